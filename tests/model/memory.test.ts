import { openMemoryStore } from "../../src/store/memory/index.js";
import { modelContract } from "./model-contract.js";

modelContract("memory", async (clock) => ({ store: openMemoryStore(clock) }));

import { openMemoryStore } from "../../src/store/memory/index.js";
import { storeContract } from "./store-contract.js";

storeContract("memory", async (clock) => ({ store: openMemoryStore(clock) }));

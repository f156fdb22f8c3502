import { memoryStore } from "../helpers/store-factories.js";
import { modelContract } from "./model-contract.js";

modelContract("memory", memoryStore);

import { memoryStore } from "../helpers/store-factories.js";
import { storeContract } from "./store-contract.js";

storeContract("memory", memoryStore);

import { sqliteStore } from "../helpers/store-factories.js";
import { storeContract } from "./store-contract.js";

storeContract("sqlite", sqliteStore);

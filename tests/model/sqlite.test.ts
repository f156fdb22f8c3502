import { sqliteStore } from "../helpers/store-factories.js";
import { modelContract } from "./model-contract.js";

modelContract("sqlite", sqliteStore);

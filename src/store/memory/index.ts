import type { Clock } from "../../core/index.js";
import type { TixStore } from "../../core/index.js";
import { SyncStore } from "../sync/sync-store.js";
import { MemoryRepository } from "./memory-repository.js";

export function openMemoryStore(clock: Clock): TixStore {
  return new SyncStore(new MemoryRepository(), clock, "memory");
}

import type { Clock } from "../../core/index.js";
import type { TixStore } from "../../core/index.js";
import { SyncRunner } from "../sync/sync-runner.js";
import { RunnerStore } from "../tix-store.js";
import { MemoryRepository } from "./memory-repository.js";

export function openMemoryStore(clock: Clock): TixStore {
  const repository = new MemoryRepository();
  return new RunnerStore(new SyncRunner(repository, clock, "memory", { ids: repository.ids }));
}

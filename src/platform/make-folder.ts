import { mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";

/**
 * `mkdir -p` with mode 0700 (tix's folders are private), written out: Node's `mkdirSync(…,
 * { recursive: true })` never returns when mkdir answers ENOENT under a folder that exists (a
 * TIX_HOME inside /proc spun for ever at full CPU). Throws mkdir's error when the folder cannot be made.
 */
export function makeFolder(folder: string): void {
  if (statSync(folder, { throwIfNoEntry: false })?.isDirectory() === true) return;
  try {
    mkdirSync(folder, { mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const parent = dirname(folder);
    if (code !== "ENOENT" || parent === folder) throw error;
    makeFolder(parent);
    mkdirSync(folder, { mode: 0o700 }); // a second ENOENT is the answer (the folder cannot be made), not a loop
  }
}

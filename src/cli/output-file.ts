import { randomBytes } from "node:crypto";
import { accessSync, closeSync, constants, fsyncSync, lstatSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { invalidArgument, quote } from "../core/index.js";
import { interrupts } from "./interrupts.js";
import { Interrupted } from "./prompts/interrupted.js";
import { fileProblem } from "./text-file.js";

/**
 * Writes `pieces` to the file `path` (`--output`), as they come: whole or not at all. A regular
 * file (new or replaced) is written beside itself under a temporary name, readable by its owner
 * only (0600: an export may hold access codes), synced, and renamed into place at the end (the
 * folder synced too), so a failure, Ctrl-C or a power loss halfway leaves what was there before.
 * Anything else that exists (`/dev/null`, a fifo) is written as it is. Answers how many bytes were written.
 *
 * `keep`: files never to be replaced — the SQLite store being read (and its `-wal`, `-shm` and
 * `-journal`): `--output ~/.local/share/tix/tix.db` put the CSV in the store's place, every event
 * and ticket gone. A file the user may not write (`chmod a-w`) is refused as `>` refuses it, not
 * replaced; a symbolic link is written through (its target replaced), not replaced by a file.
 */
export async function writeOutputFile(path: string, pieces: AsyncIterable<string>, field = "output", keep: readonly string[] = []): Promise<number> {
  const existing = statSync(path, { throwIfNoEntry: false });
  if (existing?.isDirectory()) throw invalidArgument(field, `cannot write ${quote(path)}: it is a folder, not a file`);
  refuseKeptFile(path, existing, keep, field);
  const inPlace = existing !== undefined && !existing.isFile();
  // A link's target is what gets replaced, in its own folder (renamed over the link, the link would be lost).
  const real = !inPlace && existing !== undefined && lstatSync(path).isSymbolicLink() ? realpathSync(path) : path;
  if (!inPlace && existing !== undefined) refuseUnwritable(path, real, field);
  const target = inPlace ? path : join(dirname(real), `.${basename(real)}.${randomBytes(6).toString("hex")}.tmp`);
  let fd: number;
  try {
    fd = openSync(target, inPlace ? "w" : "wx", 0o600);
  } catch (error) {
    throw invalidArgument(field, `cannot write ${quote(path)}: ${fileProblem(error)}`);
  }
  let stopped = false;
  let bytes = 0;
  let done = false;
  try {
    await interrupts.during(() => (stopped = true), async () => {
      for await (const piece of pieces) {
        if (stopped) throw new Interrupted("export interrupted", `Export stopped: ${path} was not written.`);
        bytes += writeChecked(fd, piece, path, field);
      }
    });
    // On the disk before it takes the old file's name, and the name on the disk before the answer:
    // a power loss after an export said done leaves the new file whole, never an empty one.
    if (!inPlace) syncChecked(fd, path, field);
    closeSync(fd);
    fd = -1;
    if (!inPlace) {
      renameChecked(target, real, path, field);
      syncFolder(dirname(real));
    }
    done = true;
    return bytes;
  } finally {
    if (fd !== -1) closeSync(fd);
    if (!done && !inPlace) removeQuietly(target);
  }
}

function writeChecked(fd: number, text: string, path: string, field: string): number {
  try {
    const buffer = Buffer.from(text);
    let at = 0;
    while (at < buffer.length) at += writeSync(fd, buffer, at);
    return buffer.length;
  } catch (error) {
    throw invalidArgument(field, `cannot write ${quote(path)}: ${fileProblem(error)}`);
  }
}

function syncChecked(fd: number, path: string, field: string): void {
  try {
    fsyncSync(fd);
  } catch (error) {
    throw invalidArgument(field, `cannot write ${quote(path)}: ${fileProblem(error)}`);
  }
}

/** The folder's entry for the renamed file made durable; a file system that cannot sync a folder is let be. */
function syncFolder(folder: string): void {
  let fd = -1;
  try {
    fd = openSync(folder, "r");
    fsyncSync(fd);
  } catch {
    // EINVAL, EACCES on a folder: the file itself is synced, the rename is as durable as the system makes it.
  } finally {
    if (fd !== -1) closeSync(fd);
  }
}

function renameChecked(from: string, to: string, named: string, field: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    throw invalidArgument(field, `cannot write ${quote(named)}: ${fileProblem(error)}`);
  }
}

/** The output is one of the files `keep` names (the same file by any path: a link, `./`, `..`). */
function refuseKeptFile(path: string, existing: Stats | undefined, keep: readonly string[], field: string): void {
  const where = existing === undefined ? resolvedNew(path) : undefined;
  for (const kept of keep) {
    for (const file of [kept, `${kept}-wal`, `${kept}-shm`, `${kept}-journal`]) {
      const other = statSync(file, { throwIfNoEntry: false });
      const same = existing !== undefined
        ? other !== undefined && other.dev === existing.dev && other.ino === existing.ino
        : where !== undefined && where === resolvedNew(file);
      if (same) throw invalidArgument(field, `cannot write ${quote(path)}: it is the store tix is reading (${file}); name another file`);
    }
  }
}

/** Where a file that does not exist yet would be made: its folder's real path and its name. */
function resolvedNew(path: string): string | undefined {
  try {
    return join(realpathSync(dirname(resolve(path))), basename(path));
  } catch {
    return undefined;
  }
}

/** A file the user may not write is refused as the shell's `>` refuses it (root may, as with `>`). */
function refuseUnwritable(path: string, real: string, field: string): void {
  try {
    accessSync(real, constants.W_OK);
  } catch (error) {
    throw invalidArgument(field, `cannot write ${quote(path)}: ${fileProblem(error)}`);
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone: nothing to tidy.
  }
}

import { randomBytes } from "node:crypto";
import { closeSync, openSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { invalidArgument, quote } from "../core/index.js";
import { interrupts } from "./interrupts.js";
import { Interrupted } from "./prompts/interrupted.js";
import { fileProblem } from "./text-file.js";

/**
 * Writes `pieces` to the file `path` (`--output`), as they come: whole or not at all. A regular
 * file (new or replaced) is written beside itself under a temporary name, readable by its owner
 * only (0600: an export may hold access codes), and renamed into place at the end, so a failure or
 * Ctrl-C halfway leaves what was there before. Anything else that exists (`/dev/null`, a fifo) is
 * written as it is. Answers how many bytes were written.
 */
export async function writeOutputFile(path: string, pieces: AsyncIterable<string>, field = "output"): Promise<number> {
  const existing = statSync(path, { throwIfNoEntry: false });
  if (existing?.isDirectory()) throw invalidArgument(field, `cannot write ${quote(path)}: it is a folder, not a file`);
  const inPlace = existing !== undefined && !existing.isFile();
  const target = inPlace ? path : join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
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
    closeSync(fd);
    fd = -1;
    if (!inPlace) renameChecked(target, path, field);
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

function renameChecked(from: string, to: string, field: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    throw invalidArgument(field, `cannot write ${quote(to)}: ${fileProblem(error)}`);
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone: nothing to tidy.
  }
}

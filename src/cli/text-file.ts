import { isUtf8 } from "node:buffer";
import { closeSync, openSync, readSync } from "node:fs";
import { invalidArgument, type TixError } from "../core/index.js";
import { fileProblem } from "../platform/file-problem.js";

export { fileProblem };

/** What a bounded read refuses, and how its errors name the input. */
export interface TextLimits {
  /** The flag or argument the errors name (`file`, `seat-map`). */
  readonly field: string;
  readonly maxBytes: number;
  /** Said after "is larger than N MiB" (`; split it into several imports`). */
  readonly tooLargeHint?: string;
}

/**
 * Text read chunk by chunk: no NUL byte (an image, `/dev/zero`) and at most `maxBytes`, both
 * refused at the chunk that shows them, so a huge or endless input is never read whole.
 */
export class TextChunks {
  private readonly chunks: Buffer[] = [];
  private size = 0;

  /** `source`: the input as a message names it. */
  constructor(private readonly source: string, private readonly limits: TextLimits) {}

  add(chunk: Buffer): void {
    const { field, maxBytes, tooLargeHint = "" } = this.limits;
    if (this.size === 0 && isUtf16(chunk)) throw invalidArgument(field, `${this.source} is UTF-16 text (as a spreadsheet's "Unicode text" is saved); save it as UTF-8`);
    if (chunk.includes(0)) throw invalidArgument(field, `${this.source} is not a text file (it holds NUL bytes)`);
    this.size += chunk.length;
    if (this.size > maxBytes) throw invalidArgument(field, `${this.source} is larger than ${maxBytes / 1024 / 1024} MiB${tooLargeHint}`);
    this.chunks.push(chunk);
  }

  /** The text; input that is not UTF-8 (a Latin-1 spreadsheet export) is refused, never stored as �. */
  toString(): string {
    const bytes = Buffer.concat(this.chunks);
    if (!isUtf8(bytes)) throw invalidArgument(this.limits.field, `${this.source} is not UTF-8 text (line ${firstBadLine(bytes)}); save it as UTF-8`);
    return bytes.toString("utf8");
  }
}

/**
 * UTF-16 text: a UTF-16 byte-order mark, or a first character that is ASCII with a NUL beside it
 * (`i\0d\0`). It holds NUL bytes, yet it is text: said so, with what to do.
 */
function isUtf16(start: Buffer): boolean {
  if (start.length < 2) return false;
  const [a, b] = [start[0]!, start[1]!];
  if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) return true;
  const ascii = (byte: number) => byte >= 0x09 && byte < 0x7f;
  return (ascii(a) && b === 0) || (a === 0 && ascii(b));
}

/** The number of the first line that is not UTF-8. */
function firstBadLine(bytes: Buffer): number {
  let start = 0;
  for (let line = 1; ; line++) {
    const end = bytes.indexOf(0x0a, start);
    if (!isUtf8(bytes.subarray(start, end === -1 ? bytes.length : end)) || end === -1) return line;
    start = end + 1;
  }
}

/** Reads a file as UTF-8 text under `limits`; a file that cannot be read is `INVALID_ARGUMENT` saying why in words. */
export function readTextFile(path: string, source: string, limits: TextLimits): string {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    throw invalidArgument(limits.field, `cannot read ${source}: ${fileProblem(error)}`);
  }
  try {
    const text = new TextChunks(source, limits);
    for (;;) {
      const chunk = Buffer.allocUnsafe(1024 * 1024);
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      text.add(chunk.subarray(0, read));
    }
    return text.toString();
  } catch (error) {
    if ((error as TixError).code === "INVALID_ARGUMENT") throw error;
    throw invalidArgument(limits.field, `cannot read ${source}: ${fileProblem(error)}`);
  } finally {
    closeSync(fd);
  }
}

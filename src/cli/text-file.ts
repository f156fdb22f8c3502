import { isUtf8 } from "node:buffer";
import { closeSync, openSync, readSync } from "node:fs";
import { invalidArgument, type TixError } from "../core/index.js";
import { fileProblem } from "../platform/file-problem.js";

export { fileProblem };

/**
 * The UTF-16 a text starts by saying it is in, by its byte order mark: what Windows PowerShell's
 * `>` and `Out-File` write, and Excel's "Unicode Text". Read as UTF-8, each of its characters
 * came with a NUL byte. Undefined for any other text (UTF-8, with its BOM or without).
 */
export function utf16Encoding(start: Uint8Array): "utf-16le" | "utf-16be" | undefined {
  if (start[0] === 0xff && start[1] === 0xfe) return "utf-16le";
  if (start[0] === 0xfe && start[1] === 0xff) return "utf-16be";
  return undefined;
}

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
 * refused at the chunk that shows them, so a huge or endless input is never read whole. UTF-8, or
 * UTF-16 that starts with its byte order mark (see utf16Encoding).
 */
export class TextChunks {
  private readonly chunks: Buffer[] = [];
  private size = 0;

  /** Set by the first chunk: the text is UTF-16 with its byte order mark, decoded as such. */
  private utf16: "utf-16le" | "utf-16be" | undefined;

  /** `source`: the input as a message names it. */
  constructor(private readonly source: string, private readonly limits: TextLimits) {}

  add(chunk: Buffer): void {
    const { field, maxBytes, tooLargeHint = "" } = this.limits;
    if (this.size === 0) this.utf16 = utf16Encoding(chunk);
    if (this.size === 0 && this.utf16 === undefined && looksUtf16(chunk)) throw invalidArgument(field, `${this.source} is UTF-16 text without its byte-order mark (as a spreadsheet's "Unicode text" may be saved); save it as UTF-8`);
    if (this.utf16 === undefined && chunk.includes(0)) throw invalidArgument(field, `${this.source} is not a text file (it holds NUL bytes)`);
    this.size += chunk.length;
    if (this.size > maxBytes) throw invalidArgument(field, `${this.source} is larger than ${maxBytes / 1024 / 1024} MiB${tooLargeHint}`);
    this.chunks.push(chunk);
  }

  /** The text; input that is not UTF-8 (a Latin-1 spreadsheet export) is refused, never stored as �. */
  toString(): string {
    const bytes = Buffer.concat(this.chunks);
    if (this.utf16 !== undefined) return this.fromUtf16(bytes, this.utf16);
    if (!isUtf8(bytes)) throw invalidArgument(this.limits.field, `${this.source} is not UTF-8 text (line ${firstBadLine(bytes)}); save it as UTF-8`);
    return bytes.toString("utf8");
  }

  /** UTF-16 text, its byte order mark dropped; NUL (binary data behind a mark) and unpaired halves refused. */
  private fromUtf16(bytes: Buffer, encoding: "utf-16le" | "utf-16be"): string {
    let text: string;
    try {
      text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
    } catch {
      throw invalidArgument(this.limits.field, `${this.source} is not valid ${encoding === "utf-16le" ? "UTF-16" : "UTF-16 (big-endian)"} text, though it starts as such; save it as UTF-8`);
    }
    if (text.includes("\u0000")) throw invalidArgument(this.limits.field, `${this.source} is not a text file (it holds NUL characters)`);
    return text;
  }
}

/**
 * UTF-16 text without a byte-order mark: a first character that is ASCII with a NUL beside it
 * (`i\0d\0`). It holds NUL bytes, yet it is text: said so, with what to do (with no mark, which
 * byte order it is in is a guess; with one, it is read, see utf16Encoding).
 */
function looksUtf16(start: Buffer): boolean {
  if (start.length < 2) return false;
  const [a, b] = [start[0]!, start[1]!];
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

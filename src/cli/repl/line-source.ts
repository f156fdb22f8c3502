import { isUtf8 } from "node:buffer";
import { utf16Encoding } from "../text-file.js";

const LF = 0x0a;
const CR = 0x0d;
const LINE_END = /\r\n|\n|\r/;
const BOM = "\uFEFF";

/** Where the last whole line of `bytes` ends: after its last `\n`, or a `\r` that is not the last byte. */
function completeLinesEnd(bytes: Buffer): number {
  const newline = bytes.lastIndexOf(LF);
  let carriage = bytes.lastIndexOf(CR);
  // (From -1, lastIndexOf would search from the end again and find this `\r` once more.)
  if (carriage === bytes.length - 1) carriage = carriage === 0 ? -1 : bytes.lastIndexOf(CR, carriage - 1);
  return Math.max(newline, carriage) + 1;
}

/** Lines read ahead of the batch beyond this many: stop reading until it catches up. */
const READ_AHEAD = 4096;

/**
 * A batch's stdin as lines, split as Node's readline splits them (`\n`, `\r\n` or `\r`; a last
 * line without an end counts), that also tells whether a line is already read and waiting:
 * a batch commits what it has gathered when none is (see pipeline.ts).
 */
export class LineSource {
  private readonly lines: string[] = [];
  /** The numbers of the lines read whose bytes are not UTF-8 (each shown with U+FFFD where they fail), in order. */
  private readonly notUtf8: number[] = [];
  /**
   * Bytes after the last line end read: the start of a line still arriving, as the chunks that
   * brought it (joined once its end arrives: joining at every chunk made a 20 MB line take 12 s).
   */
  private partial: Buffer[] = [];
  private pushed = 0;
  /** Whether the line `next()` answered last was not UTF-8: it must be refused, not run. */
  lastNotUtf8 = false;
  private ended = false;
  private failure: { error: unknown } | undefined;
  private wake: (() => void) | undefined;
  private taken = 0;
  /** Whether no byte has arrived yet: the first chunk tells whether the input is UTF-16. */
  private atStart = true;
  /**
   * Input that starts with a UTF-16 byte order mark (Windows PowerShell's `>` writes it) is decoded
   * to UTF-8 as it arrives; read as UTF-8, every other byte was a NUL and each line an error.
   */
  private utf16: InstanceType<typeof TextDecoder> | undefined;

  /** `onTake` is told how many lines have been taken, each time one is. */
  constructor(private readonly input: NodeJS.ReadableStream, private readonly onTake?: (taken: number) => void) {
    input.on("data", this.onData);
    input.on("end", this.onEnd);
    input.on("error", this.onError);
  }

  /** A line is read and waiting: `next()` answers without waiting for input. */
  get hasBuffered(): boolean {
    return this.lines.length > 0;
  }

  /** The next line; undefined once the input has ended and every line was taken. */
  async next(): Promise<string | undefined> {
    while (this.lines.length === 0 && !this.ended && !this.failure) {
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    if (this.lines.length > 0) {
      if (this.lines.length === READ_AHEAD) this.input.resume();
      this.taken += 1;
      this.onTake?.(this.taken);
      this.lastNotUtf8 = this.notUtf8[0] === this.taken;
      if (this.lastNotUtf8) this.notUtf8.shift();
      return this.lines.shift();
    }
    if (this.failure) throw this.failure.error;
    return undefined;
  }

  /**
   * Ends the lines here (Ctrl-C): lines read and not yet taken are dropped, `next()` answers
   * undefined, and the rest of the input is left unread.
   */
  stop(): void {
    this.lines.length = 0;
    this.notUtf8.length = 0;
    this.ended = true;
    this.close();
    this.notify();
  }

  /** Stops reading: the rest of the input is left unread (the batch ended early). */
  close(): void {
    this.input.off("data", this.onData);
    this.input.off("end", this.onEnd);
    this.input.off("error", this.onError);
    this.input.pause();
  }

  private readonly onData = (chunk: Buffer | string): void => {
    let bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    if (this.atStart && bytes.length > 0) {
      this.atStart = false;
      const encoding = utf16Encoding(bytes);
      if (encoding !== undefined) this.utf16 = new TextDecoder(encoding);
    }
    if (this.utf16 !== undefined) bytes = Buffer.from(this.utf16.decode(bytes, { stream: true }));
    this.split(bytes, false);
    if (this.lines.length >= READ_AHEAD) this.input.pause();
    this.notify();
  };

  private readonly onEnd = (): void => {
    this.split(this.utf16 === undefined ? Buffer.alloc(0) : Buffer.from(this.utf16.decode()), true);
    this.ended = true;
    this.notify();
  };

  private readonly onError = (error: unknown): void => {
    this.failure = { error };
    this.notify();
  };

  /**
   * Lines are cut from bytes (a line end is never inside a UTF-8 character), so that a line whose
   * bytes are not UTF-8 is known as such — decoded, its bad bytes would read as U+FFFD, which
   * valid text may hold too. Bytes that are all UTF-8, nearly always, are decoded at once.
   */
  private split(chunk: Buffer, atEnd: boolean): void {
    const waiting = this.partial.at(-1);
    // No line ends in this chunk (and no `\r` before it waiting for its `\n`): the line goes on.
    if (!atEnd && waiting?.[waiting.length - 1] !== CR && completeLinesEnd(chunk) === 0) {
      this.partial.push(chunk);
      return;
    }
    const bytes = this.partial.length === 0 ? chunk : Buffer.concat([...this.partial, chunk]);
    // A `\r` last in a chunk may be the first half of `\r\n`: wait for the next chunk to tell.
    const end = atEnd ? bytes.length : completeLinesEnd(bytes);
    this.partial = end === bytes.length ? [] : [bytes.subarray(end)];
    if (end === 0) return;
    const complete = bytes.subarray(0, end);
    if (isUtf8(complete)) return this.push(complete.toString("utf8").split(LINE_END), atEnd, []);
    const lines: string[] = [];
    const bad: number[] = [];
    let start = 0;
    for (let at = 0; at <= complete.length; at += 1) {
      const byte = complete[at];
      if (at < complete.length && byte !== LF && byte !== CR) continue;
      const line = complete.subarray(start, at);
      if (!isUtf8(line)) bad.push(lines.length);
      lines.push(line.toString("utf8"));
      start = at + (byte === CR && complete[at + 1] === LF ? 2 : 1);
      at = start - 1;
    }
    this.push(lines, atEnd, bad);
  }

  /**
   * `lines` as split: the last is what followed the last line end, a line only at the end of
   * input. `bad`: the indexes in `lines` of those that are not UTF-8.
   */
  private push(lines: string[], atEnd: boolean, bad: readonly number[]): void {
    const last = lines.pop();
    if (atEnd && last !== undefined && last !== "") lines.push(last);
    // A file saved as "UTF-8 with BOM" (Windows editors) starts with U+FEFF: not part of its first command.
    if (this.pushed === 0 && lines[0]?.startsWith(BOM)) lines[0] = lines[0].slice(BOM.length);
    for (const index of bad) if (index < lines.length) this.notUtf8.push(this.pushed + index + 1);
    this.pushed += lines.length;
    for (const line of lines) this.lines.push(line);
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

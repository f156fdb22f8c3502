import { StringDecoder } from "node:string_decoder";

/** Lines read ahead of the batch beyond this many: stop reading until it catches up. */
const READ_AHEAD = 4096;

/**
 * A batch's stdin as lines, split as Node's readline splits them (`\n`, `\r\n` or `\r`; a last
 * line without an end counts), that also tells whether a line is already read and waiting:
 * a batch commits what it has gathered when none is (see pipeline.ts).
 */
export class LineSource {
  private readonly lines: string[] = [];
  private readonly decoder = new StringDecoder("utf8");
  private partial = "";
  private ended = false;
  private failure: { error: unknown } | undefined;
  private wake: (() => void) | undefined;
  private taken = 0;

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
      this.onTake?.(++this.taken);
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
    this.split(typeof chunk === "string" ? chunk : this.decoder.write(chunk), false);
    if (this.lines.length >= READ_AHEAD) this.input.pause();
    this.notify();
  };

  private readonly onEnd = (): void => {
    this.split(this.decoder.end(), true);
    this.ended = true;
    this.notify();
  };

  private readonly onError = (error: unknown): void => {
    this.failure = { error };
    this.notify();
  };

  private split(text: string, atEnd: boolean): void {
    let rest = this.partial + text;
    // A `\r` last in a chunk may be the first half of `\r\n`: wait for the next chunk to tell.
    const held = !atEnd && rest.endsWith("\r");
    if (held) rest = rest.slice(0, -1);
    const parts = rest.split(/\r\n|\n|\r/);
    this.partial = (parts.pop() ?? "") + (held ? "\r" : "");
    this.lines.push(...parts);
    if (atEnd && this.partial !== "") {
      this.lines.push(this.partial);
      this.partial = "";
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

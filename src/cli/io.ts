import { fstatSync, statSync, writeSync, type Stats } from "node:fs";
import { EXIT_OUTPUT_CLOSED } from "./exit-codes.js";

/** The streams and environment a CLI run talks to; tests and the REPL pass their own. */
export interface CliIo {
  stdout: {
    write(text: string): unknown;
    isTTY?: boolean | undefined;
    /** A terminal's size, as Node's tty.WriteStream reports it. */
    columns?: number | undefined;
    rows?: number | undefined;
    /** The file descriptor behind it: a pager can only take over the process's own stdout (1). */
    fd?: number | undefined;
    /**
     * Whether the reader is known to have gone away, asked before a batch line is carried out. A
     * socket (a pipe from Node's child_process, systemd) tells without a byte written; a shell's
     * pipe (a FIFO) tells only when a write fails, which ends tix at once (endOnWriteError).
     */
    readerGone?(): boolean;
  };
  stderr: { write(text: string): unknown; isTTY?: boolean | undefined; columns?: number | undefined };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean | undefined };
  env: Readonly<Record<string, string | undefined>>;
}

/** The ios processIo made: a run over one of them is the process's own (not a test's, in-process). */
const ownIos = new WeakSet<CliIo>();

/** The process's own streams. Nothing is built until it is used (see `output`). */
export function processIo(): CliIo {
  const io: CliIo = {
    stdout: output(1),
    stderr: output(2),
    // Node builds process.stdin on first use, which costs start-up time: only a prompt, the REPL
    // and batch mode read it.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
  };
  ownIos.add(io);
  return io;
}

/** Whether `io` is the process's own (processIo), so what runs over it is the whole process's work. */
export function isProcessIo(io: CliIo): boolean {
  return ownIos.has(io);
}

/** What the REPL's line reader and the prompts write to: the Node stream behind a CliIo output. */
export function writableOf(out: CliIo["stdout"]): NodeJS.WritableStream {
  return out instanceof FdOutput ? out.stream : (out as NodeJS.WritableStream);
}

/**
 * fd 1 or 2. Node's process.stdout costs milliseconds to set up when it is a pipe (it loads the
 * net and stream modules), at every start of a command that a script runs thousands of times. So
 * where the fd is surely not a terminal — a pipe, a socket, a file or /dev/null — text goes out with writeSync, as Node
 * itself writes to a file, in order and before the process exits. A terminal (or anything else)
 * gets Node's stream, as does a pipe that another process made non-blocking once it is full.
 * Either way a reader that goes away (`tix event list | head -1`) ends tix quietly, and another
 * write error (a full disk) ends it with one line on stderr and exit 1 — except on an output that
 * keeps going on write errors (tix serve's log: keepGoingOnWriteErrors).
 */
function output(fd: 1 | 2): CliIo["stdout"] {
  let notATerminal = false;
  let socket = false;
  try {
    const stat = fstatSync(fd);
    // A shell's pipe is a FIFO; a pipe from Node's child_process (or systemd) is a socket.
    socket = stat.isSocket();
    notATerminal = stat.isFIFO() || socket || stat.isFile() || isNullDevice(stat);
  } catch {
    // Closed or odd: let Node's stream deal with it.
  }
  return notATerminal ? new FdOutput(fd, socket) : nodeStream(fd);
}

/** /dev/null, where a script sends what it does not read: a character device, as a terminal is, told apart by its device number. */
function isNullDevice(stat: Stats): boolean {
  return stat.isCharacterDevice() && stat.rdev === statSync("/dev/null", { throwIfNoEntry: false })?.rdev;
}

function nodeStream(fd: 1 | 2): NodeJS.WriteStream {
  const stream = fd === 1 ? process.stdout : process.stderr;
  if (stream.listenerCount("error") === 0) stream.on("error", (error: NodeJS.ErrnoException) => onWriteError(fd, error, ""));
  return stream;
}

/** Texts not written to an output that keeps going on write errors (keepGoingOnWriteErrors), since the last one that was. */
interface LostLines {
  lines: number;
  code: string | undefined;
}

const keptGoing = new Map<number, LostLines>();

/**
 * A long-running server's log (`tix serve`'s stderr): a line that cannot be written — a full disk
 * under the log file, a file size limit, a log pipe whose reader went away (a restarted journal) —
 * is lost, not the end of the server and of every request in flight. The next line that can be
 * written is preceded by a note of how many were lost, and why. A test's own io (no fd) is left as it is.
 */
export function keepGoingOnWriteErrors(out: CliIo["stderr"]): void {
  const fd = out instanceof FdOutput ? out.fd : (out as { fd?: unknown }).fd;
  if (fd === 1 || fd === 2) keptGoing.set(fd, { lines: 0, code: undefined });
}

function onWriteError(fd: number, error: NodeJS.ErrnoException, text: string): void {
  const lost = keptGoing.get(fd);
  if (lost === undefined) endOnWriteError(error);
  lost.lines += Math.max(1, text.split("\n").length - 1);
  lost.code = error.code;
}

function lostNote({ lines, code }: LostLines): string {
  const problem = code === undefined ? "a write error" : `${WRITE_PROBLEMS[code] ?? "a write error"} (${code})`;
  return `note: ${lines} ${lines === 1 ? "line" : "lines"} of this log could not be written and ${lines === 1 ? "is" : "are"} lost: ${problem}\n`;
}

/** Why output could not be written, as a person would say it. */
const WRITE_PROBLEMS: Readonly<Record<string, string>> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EIO: "input/output error",
  EBADF: "the output is closed",
  EFBIG: "the file is at its size limit",
  EPIPE: "its reader went away",
};

/** The exit code of a run ended by its reader going away: 0 once the command asked has done its work. */
let closedOutputExit = 0;

/**
 * A batch ended by its reader going away leaves lines not carried out: it exits 141 (128 +
 * SIGPIPE: what a shell reports for a command that signal ended, as `seq 1 100000 | head -1` under
 * `set -o pipefail`), so a script can tell. A single command has done its work by then: exit 0.
 */
export function closedOutputLeavesWorkUndone(): void {
  closedOutputExit = EXIT_OUTPUT_CLOSED;
}

/**
 * A reader that went away (EPIPE) ends tix at once and quietly, as `head` expects (exit: see
 * closedOutputLeavesWorkUndone); so no further batch line is carried out. Any other write error (a
 * full disk) ends it with one line on stderr and exit 1. What the command did stays done: a
 * reservation whose answer was lost is replayed by a retry with its key.
 */
function endOnWriteError(error: NodeJS.ErrnoException): never {
  if (error.code === "EPIPE") process.exit(closedOutputExit);
  const problem = WRITE_PROBLEMS[error.code ?? ""] ?? error.message;
  try {
    writeSync(2, `error: could not write the output: ${problem}${error.code ? ` (${error.code})` : ""}\n`);
  } catch {
    // stderr is broken too: the exit code is all that is left.
  }
  process.exit(1);
}

const EMPTY = Buffer.alloc(0);

class FdOutput {
  readonly isTTY = false;
  private node: NodeJS.WriteStream | undefined;

  constructor(
    readonly fd: 1 | 2,
    private readonly socket: boolean,
  ) {}

  /** A socket whose reader closed fails a write of no bytes (EPIPE); a FIFO accepts it, so it is not asked. */
  readerGone(): boolean {
    if (!this.socket || this.node) return false;
    try {
      writeSync(this.fd, EMPTY);
      return false;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return code === "EPIPE" || code === "ECONNRESET";
    }
  }

  /** Node's stream for this fd; from then on every write goes through it, so none overtakes another. */
  get stream(): NodeJS.WriteStream {
    return (this.node ??= nodeStream(this.fd));
  }

  write(text: string): boolean {
    if (this.node) return this.node.write(text);
    const lost = keptGoing.get(this.fd);
    const bytes = Buffer.from(lost !== undefined && lost.lines > 0 ? `${lostNote(lost)}${text}` : text);
    let written = 0;
    try {
      while (written < bytes.length) written += writeSync(this.fd, bytes, written);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") {
        onWriteError(this.fd, error as NodeJS.ErrnoException, text);
        return true;
      }
      return this.stream.write(bytes.subarray(written));
    }
    if (lost !== undefined) lost.lines = 0;
    return true;
  }
}

const isSet = (value: string | undefined): boolean => value !== undefined && value !== "" && value !== "0" && value !== "false";

/**
 * `--no-color` wins; then `--color`/FORCE_COLOR force colour on (as in Node, FORCE_COLOR beats
 * NO_COLOR), and FORCE_COLOR=0 (or false) forces it off, as Node and chalk read it; then NO_COLOR
 * turns it off; otherwise colour only when stdout is a terminal.
 */
export function colorEnabled(io: Pick<CliIo, "stdout" | "env">, flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (flag === true || isSet(io.env.FORCE_COLOR)) return true;
  if (io.env.FORCE_COLOR === "0" || io.env.FORCE_COLOR === "false") return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "") return false;
  return io.stdout.isTTY === true && io.env.TERM !== "dumb";
}

/**
 * Whether the terminal's characters are UTF-8, as the C library reads the locale: the first of
 * LC_ALL, LC_CTYPE and LANG that is set names it. None set is taken as UTF-8 (as most terminals
 * and containers are today); one set without UTF-8 in its name (`C`, `POSIX`, `en_US.ISO-8859-1`)
 * is not.
 */
export function utf8Locale(env: CliIo["env"]): boolean {
  const locale = [env.LC_ALL, env.LC_CTYPE, env.LANG].find((value) => value !== undefined && value !== "");
  return locale === undefined || /utf-?8/i.test(locale);
}

/** Prompts only when a person is surely there: both ends are terminals and input isn't disabled. */
export function canPrompt(io: CliIo, noInputFlag: boolean, json: boolean): boolean {
  // stdin last: in a script (stdout not a terminal) it is never looked at, so never built.
  return !noInputFlag && !json && !isSet(io.env.TIX_NO_INPUT) && io.stdout.isTTY === true && io.stdin.isTTY === true;
}

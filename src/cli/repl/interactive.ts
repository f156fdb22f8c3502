import { createInterface, type AsyncCompleter } from "node:readline";
import { writableOf, type CliIo } from "../io.js";
import { shorten } from "../../core/index.js";
import { EXIT_INTERRUPTED } from "../exit-codes.js";
import { interrupts } from "../interrupts.js";
import { HISTORY_SIZE, type HistoryFile } from "./history.js";
import { runLine } from "./line.js";
import type { Session } from "./session-state.js";

export const PROMPT = "tix> ";

type Answer = { kind: "line"; line: string; history: string[] } | { kind: "end" };

/**
 * Lines that came in one piece of input after the line being answered (several lines pasted at
 * once), to run in turn before the keyboard is read again, and what followed them unfinished.
 */
interface TypedAhead {
  lines: Array<Extract<Answer, { kind: "line" }>>;
  unfinished: string;
}

/**
 * The REPL at a terminal. Readline owns the terminal only while a line is being typed: it is
 * closed while the line runs, so a guided prompt (inquirer) gets the keyboard to itself.
 */
export async function runInteractive(session: Session, history: HistoryFile, completer: AsyncCompleter): Promise<number> {
  let entries = history.load();
  const ahead: TypedAhead = { lines: [], unfinished: "" };
  for (;;) {
    const queued = ahead.lines.shift();
    // A pasted line is shown as if typed at its prompt, so the screen says what ran.
    if (queued) promptOutput(session.io).write(`${PROMPT}${queued.line}\n`);
    const answer = queued ?? await readLine(session.io, entries, completer, ahead);
    if (answer.kind === "end") break;
    entries = answer.history;
    history.save(entries);
    session.state.beginLine(`\`${shorten(answer.line.trim(), 40)}\``);
    if ((await interrupts.during(whileRunning(session.io), () => runLine(answer.line, session))).kind === "leave") break;
  }
  return 0;
}

/**
 * Where the prompt and the line being typed go: the terminal stdout is, else stderr (as Python's
 * REPL does). `tix --json > out` or `tix | jq` typed at a terminal keeps stdout the lines' output
 * alone, where a `tix> ` before each line broke the JSON, while the person still sees the prompt
 * and edits the line (Tab, history) on stderr's terminal.
 */
function promptOutput(io: CliIo): NodeJS.WritableStream & { isTTY?: boolean } {
  return writableOf(io.stdout.isTTY === true ? io.stdout : io.stderr);
}

/**
 * Ctrl-C while a line runs must not end the session (its memory store would go with it): a
 * command that can stop (an import) listens itself; any other finishes what it does, since every
 * write is one transaction. A second Ctrl-C during the same line leaves tix, as a way out of a hang.
 */
function whileRunning(io: CliIo): () => void {
  let pressed = false;
  return () => {
    if (pressed) process.exit(EXIT_INTERRUPTED);
    pressed = true;
    io.stderr.write("\n(The command finishes what it is doing; press Ctrl-C again to leave tix.)\n");
  };
}

/**
 * One line from the keyboard. Ctrl-C abandons the line (left on screen with `^C`); on an empty line, twice in a row, it leaves
 * (as node's REPL does). Lines that arrive with it in the same piece of input go to `ahead`:
 * closing readline at the first would lose them.
 */
function readLine(io: CliIo, history: string[], completer: AsyncCompleter, ahead: TypedAhead): Promise<Answer> {
  const output = promptOutput(io);
  return new Promise((resolve) => {
    const rl = createInterface({
      input: io.stdin,
      output,
      // Line editing, Tab and history need a terminal at both ends (stderr's, when stdout is not one).
      terminal: output.isTTY === true,
      prompt: PROMPT,
      history: [...history],
      historySize: HISTORY_SIZE,
      removeHistoryDuplicates: true,
      completer,
    });
    let latest = history;
    let interruptedEmpty = false;
    let answered = false;
    rl.on("history", (updated: string[]) => (latest = updated));
    rl.on("line", (line: string) => {
      if (answered) {
        ahead.lines.push({ kind: "line", line, history: [...latest] });
        return;
      }
      answered = true;
      const answer: Answer = { kind: "line", line, history: [...latest] };
      // Once readline has read the rest of this piece of input (a key at a time, synchronously),
      // and before the line runs: closed any later, it would pause the next line's input.
      process.nextTick(() => {
        ahead.unfinished = rl.line;
        rl.close();
        resolve(answer);
      });
    });
    // Ctrl-D on an empty line (or Ctrl-C twice); after a line, this is just our own close().
    rl.on("close", () => {
      if (answered) return;
      output.write("\n");
      resolve({ kind: "end" });
    });
    rl.on("SIGINT", () => {
      if (rl.line.length > 0) {
        // As bash and psql do: the line stays on screen, `^C` after it, and a fresh prompt below
        // (it was erased, leaving no trace of what was abandoned). Readline's clearLine goes to the
        // line's end, writes the newline and empties what it holds.
        interruptedEmpty = false;
        rl.write(null, { ctrl: true, name: "e" });
        output.write("^C");
        (rl as unknown as { clearLine(): void }).clearLine();
        rl.prompt();
      } else if (interruptedEmpty) {
        rl.close();
      } else {
        interruptedEmpty = true;
        output.write("\n(To leave, press Ctrl-C again or Ctrl-D, or type exit)\n");
        rl.prompt();
      }
    });
    // What was typed after the last pasted line, unfinished, is where it was: on the line being edited.
    Object.assign(rl, { line: ahead.unfinished, cursor: ahead.unfinished.length });
    ahead.unfinished = "";
    rl.prompt(true);
  });
}

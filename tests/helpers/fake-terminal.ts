import { PassThrough } from "node:stream";
import { ManualClock } from "../../src/core/index.js";
import { CommandContext } from "../../src/cli/command-context.js";
import { Factory } from "../../src/cli/factory.js";
import type { SeatMapView } from "../../src/core/index.js";
import type { PromptChoice, Prompter, SearchSource, SeatPickRequest } from "../../src/cli/prompts/prompter.js";
import { SessionState, type Session } from "../../src/cli/repl/session-state.js";
import { runCommandLine } from "../../src/cli/run.js";

/**
 * The CLI over in-memory streams that claim (or not) to be terminals, a manual clock and a
 * scripted prompter: a factory, and one session's state over it (`$event`, `$ticket`).
 */
export function fakeSession(options: { tty: boolean; answers?: Array<(question: Question) => unknown> }) {
  let stdout = "";
  let stderr = "";
  const stdin = Object.assign(new PassThrough(), { isTTY: options.tty });
  const io = {
    stdout: { write: (text: string) => (stdout += text), isTTY: options.tty },
    stderr: { write: (text: string) => (stderr += text), isTTY: options.tty },
    stdin,
    env: { TIX_USER: "alice", NO_COLOR: "1", TIX_HOME: "/nonexistent/tix-test" },
  };
  const clock = new ManualClock("2025-06-01T12:00:00Z");
  const questions: Question[] = [];
  const answers = [...(options.answers ?? [])];
  const next = (question: Question): unknown => {
    questions.push(question);
    const answer = answers.shift();
    if (!answer) throw new Error(`unexpected question: ${question.message}`);
    return answer(question);
  };
  const prompter: Prompter = {
    select: async <T>(message: string, choices: ReadonlyArray<PromptChoice<T>>) => next({ message, choices }) as T,
    search: async <T>(message: string, source: SearchSource<T>) => next({ message, source }) as T,
    input: async (message: string, validate?: (answer: string) => true | string) => next({ message, validate }) as string,
    pickSeats: async (map: SeatMapView, request: SeatPickRequest) => next({ message: `pick seats: ${request.title}`, map, request }) as string[],
    confirm: async (message: string) => next({ message }) as boolean,
  };
  const f = new Factory(io, { clock, prompter });
  const state = new SessionState();
  const run = (argv: readonly string[]) => runCommandLine(argv, f, state);
  return {
    f,
    state,
    /** What the commands of a line of this session are built with (to build the program). */
    ctx: new CommandContext(f, state),
    /** Runs one command line as a line of this session. */
    run,
    /** The session as its lines see it, with these global options in front of every line. */
    lines: (defaults: readonly string[] = []): Session => ({ io, state, defaults, run }),
    clock,
    questions,
    output: () => ({ stdout, stderr }),
    clear: () => {
      stdout = "";
      stderr = "";
    },
    close: () => f.close(),
  };
}

export interface Question {
  message: string;
  choices?: ReadonlyArray<PromptChoice<unknown>>;
  validate?: ((answer: string) => true | string) | undefined;
  map?: SeatMapView;
  request?: SeatPickRequest;
  /** A search's choices for what is typed (a long list: `reserve`'s picker of many events). */
  source?: SearchSource<unknown>;
}

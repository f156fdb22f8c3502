import { PassThrough } from "node:stream";
import { ManualClock } from "../../../src/core/index.js";
import { CliContext } from "../../../src/cli/context.js";
import type { PromptChoice, Prompter } from "../../../src/cli/prompts/prompter.js";

/** A CLI context over in-memory streams that claim (or not) to be terminals, and a scripted prompter. */
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
  const ctx = new CliContext(io, clock);
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
    input: async (message: string, validate?: (answer: string) => true | string) => next({ message, validate }) as string,
  };
  ctx.prompter = prompter;
  return {
    ctx,
    clock,
    questions,
    output: () => ({ stdout, stderr }),
    clear: () => {
      stdout = "";
      stderr = "";
    },
  };
}

export interface Question {
  message: string;
  choices?: ReadonlyArray<PromptChoice<unknown>>;
  validate?: ((answer: string) => true | string) | undefined;
}

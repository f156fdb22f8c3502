import { writableOf, type CliIo } from "../io.js";
import { Interrupted, isAbandonedPrompt } from "./interrupted.js";
import type { PromptChoice, Prompter } from "./prompter.js";

/**
 * Asks with inquirer, loaded only when a question is actually asked: start-up time is measured
 * and most runs never prompt.
 */
export class InquirerPrompter implements Prompter {
  constructor(private readonly io: CliIo) {}

  async select<T>(message: string, choices: ReadonlyArray<PromptChoice<T>>): Promise<T> {
    const { select } = await import("@inquirer/prompts");
    return this.ask(() => select<T>({ message, choices: choices.map((choice) => ({ ...choice })), loop: false }, this.context()));
  }

  async input(message: string, validate?: (answer: string) => true | string): Promise<string> {
    const { input } = await import("@inquirer/prompts");
    return this.ask(() => input({ message, required: true, ...(validate ? { validate } : {}) }, this.context()));
  }

  async confirm(message: string): Promise<boolean> {
    const { confirm } = await import("@inquirer/prompts");
    return this.ask(() => confirm({ message, default: false }, this.context()));
  }

  private context(): { input: NodeJS.ReadableStream; output: NodeJS.WritableStream } {
    return { input: this.io.stdin, output: writableOf(this.io.stdout) };
  }

  private async ask<T>(question: () => Promise<T>): Promise<T> {
    try {
      return await question();
    } catch (error) {
      if (isAbandonedPrompt(error)) throw new Interrupted("the prompt was abandoned");
      throw error;
    }
  }
}

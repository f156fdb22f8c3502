import type { SeatMapView } from "../../core/index.js";
import { writableOf, type CliIo } from "../io.js";
import { terminalColumns } from "../output/seat-map.js";
import { Interrupted, isAbandonedPrompt } from "./interrupted.js";
import type { PromptChoice, Prompter, SeatPickRequest } from "./prompter.js";
import { SeatPicker, type PickerKey } from "./seat-picker.js";

const PICKER_KEYS: Readonly<Record<string, PickerKey>> = { left: "left", right: "right", up: "up", down: "down", space: "space", return: "enter", enter: "enter" };

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

  /** The seat picker (seat-picker.ts) as an inquirer prompt: it redraws on every key, in place. */
  async pickSeats(view: SeatMapView, options: SeatPickRequest): Promise<string[]> {
    const { createPrompt, useKeypress, useMemo, useState } = await import("@inquirer/core");
    const size = { width: terminalColumns(this.io), height: Number((this.io.stdout as { rows?: number }).rows) || 24 };
    const prompt = createPrompt<string[] | null, object>((_config, done) => {
      const picker = useMemo(() => new SeatPicker(view, { ...options, ...size }), []);
      const [answer, setAnswer] = useState<string[] | undefined>(undefined);
      const [, redraw] = useState(0);
      useKeypress((key) => {
        if (answer) return;
        if (key.name === "escape") return done(null);
        const pressed = PICKER_KEYS[key.name];
        if (!pressed) return;
        const seats = picker.press(pressed);
        if (seats) {
          setAnswer(seats);
          done(seats);
        } else {
          redraw((count) => count + 1);
        }
      });
      return answer ? `${options.style.chalk.green("✔")} Seats: ${answer.join(", ")}` : picker.render(options.style);
    });
    const seats = await this.ask(() => prompt({}, this.context()));
    if (!seats) throw new Interrupted("no seats were picked");
    return seats;
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

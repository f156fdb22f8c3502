import type { Globals } from "../globals.js";
import { Interrupted, NOT_CONFIRMED } from "./interrupted.js";
import type { Prompter } from "./prompter.js";

/**
 * Asks before money moves (a refund, a purchase picked from a list), showing the amount and the
 * card. Only a person at a terminal is asked: with `--yes`, or where tix may not prompt (stdin
 * not a terminal, --json, --no-input), it goes ahead. A "no" changes nothing and exits 130.
 */
export async function confirmOrStop(globals: Globals, yes: boolean | undefined, prompter: Prompter, question: string, declined: string): Promise<void> {
  if (yes === true || !globals.canPrompt) return;
  if (!(await prompter.confirm(question))) throw new Interrupted(NOT_CONFIRMED, declined);
}

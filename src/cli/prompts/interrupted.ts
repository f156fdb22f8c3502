/** A person gave up (Ctrl-C, a prompt abandoned, a confirmation declined): exit 130. */
export class Interrupted extends Error {
  constructor(
    message = "interrupted",
    /** What to tell them, if anything (Ctrl-C needs no words; a declined refund does). */
    readonly note?: string,
  ) {
    super(message);
    this.name = "Interrupted";
  }
}

/** The message of the Interrupted a declined confirmation throws. */
export const NOT_CONFIRMED = "not confirmed";

/** How a person stopped a line: a "no" to a confirmation (it carries the note saying so), or Ctrl-C or Esc. */
export function stoppedHow(error: unknown): "interrupted" | "declined" | undefined {
  if (error instanceof Interrupted) return error.message === NOT_CONFIRMED ? "declined" : "interrupted";
  return isAbandonedPrompt(error) ? "interrupted" : undefined;
}

/** inquirer rejects with these when its prompt is closed or aborted (matched by name: it is loaded lazily). */
export function isAbandonedPrompt(error: unknown): boolean {
  return error instanceof Error && (error.name === "ExitPromptError" || error.name === "AbortPromptError");
}

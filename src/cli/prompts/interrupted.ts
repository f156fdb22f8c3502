/** A person gave up (Ctrl-C, or a prompt abandoned): exit 130, with nothing more to say. */
export class Interrupted extends Error {
  constructor(message = "interrupted") {
    super(message);
    this.name = "Interrupted";
  }
}

/** inquirer rejects with these when its prompt is closed or aborted (matched by name: it is loaded lazily). */
export function isAbandonedPrompt(error: unknown): boolean {
  return error instanceof Error && (error.name === "ExitPromptError" || error.name === "AbortPromptError");
}

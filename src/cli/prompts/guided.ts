import { invalidArgument } from "../../core/index.js";
import type { Globals } from "../globals.js";

/** What to tell someone who left a required value out where tix cannot ask for it. */
export interface MissingValue {
  /** The field at fault, as errors name it: `event id`, `name`. */
  field: string;
  /** How to give it on the command line: `tix reserve EVENT_ID`. */
  usage: string;
  /** Asked by a list to pick from (which needs globals.canPick), not by a question. */
  pick?: boolean;
}

/**
 * A required value the user left out: on a terminal tix asks for it; anywhere else (a pipe, a
 * script, --json, --no-input) that is a usage error (exit 2), because a prompt there would hang.
 */
export async function valueOrAsk<T>(value: T | undefined, globals: Globals, missing: MissingValue, ask: () => Promise<T>): Promise<T> {
  if (value !== undefined) return value;
  if (!globals.canPrompt) {
    throw invalidArgument(missing.field,
      `missing; give it as in \`${missing.usage}\` (tix asks for it only when stdin and stdout are terminals, without --json or --no-input)`);
  }
  if (missing.pick === true && !globals.canPick) {
    throw invalidArgument(missing.field,
      `missing; give it as in \`${missing.usage}\` (tix offers a list to pick from only on a terminal that can move its cursor, not TERM=dumb)`);
  }
  return ask();
}

/** Turns a core parser into an inquirer validator: true, or the parser's own message. */
export function validatorOf(parse: (answer: string) => unknown): (answer: string) => true | string {
  return (answer) => {
    try {
      parse(answer);
      return true;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };
}

import type { Tix } from "../../app/open-tix.js";
import type { IdKind } from "./tree.js";

/** At most this many ids are offered at once: a shell lists them, and a store of any size answers fast. */
export const COMPLETION_IDS = 200;

/**
 * The ids completion offers: the events whose ids start with what was typed (an indexed range of
 * ids, at most COMPLETION_IDS, never every event); the acting user's tickets (the ones they can act on).
 */
export async function listIds(tix: Tix, kind: IdKind, user: string, prefix?: string): Promise<string[]> {
  // Without a prefix (the REPL's completer, which filters what it is given): every event, as before.
  if (kind === "event") return prefix === undefined ? (await tix.events.list()).map((event) => event.id) : tix.events.ids({ prefix, limit: COMPLETION_IDS });
  return (await tix.tickets.list({ userId: user })).map((ticket) => ticket.id);
}

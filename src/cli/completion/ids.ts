import type { Tix } from "../../app/open-tix.js";
import type { IdKind } from "./tree.js";

/** At most this many ids are offered at once: a shell lists them, and a store of any size answers fast. */
export const COMPLETION_IDS = 200;

/**
 * The ids completion offers that start with what was typed, at most COMPLETION_IDS in id order:
 * the events' (an indexed range of ids, never every event); the acting user's tickets (the ones
 * they can act on).
 */
export async function listIds(tix: Tix, kind: IdKind, user: string, prefix = ""): Promise<string[]> {
  if (kind === "event") return tix.events.ids({ prefix, limit: COMPLETION_IDS });
  const tickets = (await tix.tickets.list({ userId: user })).map((ticket) => ticket.id).filter((id) => id.startsWith(prefix));
  return tickets.sort().slice(0, COMPLETION_IDS);
}

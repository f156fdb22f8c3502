import type { Tix } from "../../app/open-tix.js";
import type { IdKind } from "./tree.js";

/** The ids completion offers: every event; the acting user's tickets (the ones they can act on). */
export async function listIds(tix: Tix, kind: IdKind, user: string): Promise<string[]> {
  if (kind === "event") return (await tix.events.list()).map((event) => event.id);
  return (await tix.tickets.list({ userId: user })).map((ticket) => ticket.id);
}

/** Per-tier counts as the audit log alone tells them. */
export type RebuiltCounts = Record<string, { capacity: number; held: number; sold: number }>;

/** Replays an event's log entries into per-tier capacity, held and sold: the audit log as the only source. */
export function rebuildCounts(entries: ReadonlyArray<{ action: string; details: Record<string, unknown> }>): RebuiltCounts {
  const tiers: RebuiltCounts = {};
  const tierOf = (details: Record<string, unknown>) => (tiers[details.tier as string] ??= { capacity: 0, held: 0, sold: 0 });
  for (const { action, details } of entries) {
    if (action === "event.created" || action === "event.updated") {
      for (const tier of details.tiers as Array<{ name: string; capacity: number }>) {
        (tiers[tier.name] ??= { capacity: 0, held: 0, sold: 0 }).capacity = tier.capacity;
      }
    }
    if (action === "ticket.reserved") tierOf(details).held += 1;
    if (action === "ticket.purchased") Object.assign(tierOf(details), { held: tierOf(details).held - 1, sold: tierOf(details).sold + 1 });
    if (action === "ticket.cancelled" || action === "ticket.expired") tierOf(details).held -= 1;
    if (action === "ticket.refunded") tierOf(details).sold -= 1;
  }
  return tiers;
}

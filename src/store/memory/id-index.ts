/** Ids in the order they were added; one id is held as itself, not in an array (most lists have one). */
export type IdList = string | string[] | undefined;

export function idsOf(list: IdList): string[] {
  return list === undefined ? [] : typeof list === "string" ? [list] : list.slice();
}

export function withId(list: IdList, id: string): IdList {
  if (list === undefined) return id;
  if (typeof list === "string") return [list, id];
  list.push(id);
  return list;
}

/** `id` added before the first id of a higher rank. */
function withIdInPlace(list: IdList, id: string, rank: (id: string) => number): IdList {
  const ids = idsOf(list);
  const own = rank(id);
  let at = ids.length;
  while (at > 0 && rank(ids[at - 1]!) > own) at -= 1;
  ids.splice(at, 0, id);
  return ids.length === 1 ? ids[0] : ids;
}

export function withoutId(list: IdList, id: string): IdList {
  if (list === id) return undefined;
  if (typeof list === "object") {
    // The newest is the one an undo removes: found at once.
    const at = list.lastIndexOf(id);
    if (at >= 0) list.splice(at, 1);
  }
  return list;
}

/** Ticket ids by a key (an event, an order), in the order they were added. */
export class IdIndex {
  private readonly ids = new Map<string, string | string[]>();

  list(key: string): string[] {
    return idsOf(this.ids.get(key));
  }

  /**
   * Moves `id` from the list of `from` to the list of `to` (either may be undefined: added,
   * removed). Added, it goes last (the newest); with `rank` (creation order: given for a ticket
   * that existed before), it goes to its place among the others, as SQLite's rowid order would have it.
   * `toIsNew`: `to` has no list yet (the caller knows it; no lookup).
   */
  move(id: string, from: string | undefined, to: string | undefined, rank?: (id: string) => number, toIsNew = false): void {
    if (from === to) return;
    if (from !== undefined) {
      const list = withoutId(this.ids.get(from), id);
      if (list === undefined) this.ids.delete(from);
      else this.ids.set(from, list);
    }
    if (to !== undefined) {
      const before = toIsNew ? undefined : this.ids.get(to);
      const after = rank ? withIdInPlace(before, id, rank) : withId(before, id);
      if (after !== before) this.ids.set(to, after!);
    }
  }
}

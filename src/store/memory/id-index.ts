/**
 * Ticket ids by a key (a user, an event, an order), in the order they were added. A key with one
 * id holds the id itself, not an array: most orders and many users have one ticket.
 */
export class IdIndex {
  private readonly ids = new Map<string, string | string[]>();

  list(key: string): string[] {
    const value = this.ids.get(key);
    return value === undefined ? [] : typeof value === "string" ? [value] : value.slice();
  }

  /** Moves `id` from the list of `from` to the list of `to` (either may be undefined: added, removed). */
  move(id: string, from: string | undefined, to: string | undefined): void {
    if (from === to) return;
    if (from !== undefined) this.remove(from, id);
    if (to !== undefined) this.add(to, id);
  }

  private add(key: string, id: string): void {
    const value = this.ids.get(key);
    if (value === undefined) this.ids.set(key, id);
    else if (typeof value === "string") this.ids.set(key, [value, id]);
    else value.push(id);
  }

  private remove(key: string, id: string): void {
    const value = this.ids.get(key);
    if (value === id) {
      this.ids.delete(key);
    } else if (typeof value === "object") {
      // The newest is the one an undo removes: found at once.
      const at = value.lastIndexOf(id);
      if (at >= 0) value.splice(at, 1);
    }
  }
}

import type { KeyRecord, UserStanding } from "../../core/index.js";
import { withId, withoutId, type IdList } from "./id-index.js";
import { SortedStrings } from "./sorted-strings.js";

/**
 * From this many tickets a user's ids are also kept sorted (see idsStartingWith): fewer are looked
 * through, a bounded cost, and most users (one ticket, a few) pay no sorted list for it.
 */
export const SORTED_FROM = 64;

/** A key's binding as kept: the record given, or the number of the ticket row that stands for it (see row-stand-ins.ts). */
export type Binding = KeyRecord | number;

/** A user's standing on one event (see MemoryRepository.userStanding), kept exact as tickets change. */
export interface Standing extends UserStanding {
  eventId: string;
}

/**
 * What the memory store keeps per user: ticket ids (oldest first), standings by event and key
 * bindings. Most users have one ticket, on one event, under one key: the standing on their first
 * event is this object's own fields, the others a Map made on the second event; keys start as the
 * one binding and the others go in a Map made on the second. A new user then costs one object and one entry in
 * the store's map of users.
 */
export class UserState implements Standing {
  /** The user's ticket ids, oldest first: change them through addTicket and removeTicket. */
  ticketIds: IdList;
  /** The same ids in id order, once the user has SORTED_FROM tickets. */
  private sortedIds: SortedStrings | undefined;
  /** The first event's standing, in place (eventId empty until the user has one). */
  eventId: string = "";
  liveHolds = 0;
  committed = 0;
  private otherStandings: Map<string, Standing> | undefined;
  /** The first key bound and its binding, in place; the others in a Map made on the second. */
  private firstKey: string | undefined;
  private firstBinding: Binding | undefined;
  private otherBindings: Map<string, Binding> | undefined;

  addTicket(id: string): void {
    this.ticketIds = withId(this.ticketIds, id);
    if (this.sortedIds) this.sortedIds.add(id);
    else if (typeof this.ticketIds === "object" && this.ticketIds.length >= SORTED_FROM) {
      this.sortedIds = new SortedStrings();
      for (const each of this.ticketIds) this.sortedIds.add(each);
    }
  }

  removeTicket(id: string): void {
    this.ticketIds = withoutId(this.ticketIds, id);
    this.sortedIds?.delete(id);
  }

  /**
   * The ids that start with `prefix` and come after `after` (when given), in id order, at most
   * `limit`: through the sorted ids, O(log n + limit), or, fewer than SORTED_FROM, a look at each.
   */
  idsStartingWith(prefix: string, after: string | undefined, limit: number): string[] {
    if (this.sortedIds) return this.sortedIds.startingWith(prefix, limit, after);
    const ids = this.ticketIds === undefined ? [] : typeof this.ticketIds === "string" ? [this.ticketIds] : this.ticketIds;
    return ids.filter((id) => id.startsWith(prefix) && (after === undefined || id > after)).sort().slice(0, limit);
  }

  /** The live standing (it changes as tickets change). */
  standing(eventId: string): Standing | undefined {
    if (this.eventId === eventId) return this;
    return this.otherStandings?.get(eventId);
  }

  /** Moves the user's counts on `eventId` (made at zero when there are none). */
  addStanding(eventId: string, liveHolds: number, committed: number): void {
    if (this.eventId === "") this.eventId = eventId;
    if (this.eventId === eventId) {
      this.liveHolds += liveHolds;
      this.committed += committed;
      return;
    }
    let standing = this.otherStandings?.get(eventId);
    if (!standing) {
      standing = { eventId, liveHolds: 0, committed: 0 };
      (this.otherStandings ??= new Map()).set(eventId, standing);
    }
    standing.liveHolds += liveHolds;
    standing.committed += committed;
  }

  /** The binding of `key`, if any. */
  binding(key: string): Binding | undefined {
    return this.firstKey === key ? this.firstBinding : this.otherBindings?.get(key);
  }

  /** Binds `key` to `binding` (replacing its binding, if any) and answers the binding replaced. */
  bind(key: string, binding: Binding): Binding | undefined {
    if (this.firstKey === undefined || this.firstKey === key) {
      const previous = this.firstBinding;
      this.firstKey = key;
      this.firstBinding = binding;
      return previous;
    }
    const others = (this.otherBindings ??= new Map());
    const previous = others.get(key);
    others.set(key, binding);
    return previous;
  }

  /** Undoes bind: `key` bound to `previous` again, or to nothing. */
  unbind(key: string, previous: Binding | undefined): void {
    if (this.firstKey === key) {
      this.firstBinding = previous;
      if (previous === undefined) this.firstKey = undefined;
    } else if (previous) {
      this.otherBindings!.set(key, previous);
    } else {
      this.otherBindings?.delete(key);
    }
  }
}

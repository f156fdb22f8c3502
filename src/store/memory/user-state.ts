import type { KeyRecord, UserStanding } from "../../core/index.js";
import type { IdList } from "./id-index.js";
import { TicketRow } from "./ticket-row.js";

/** A key's binding as kept: the record given, or the ticket row that stands for it (see TicketRow). */
export type Binding = KeyRecord | TicketRow;

/** A user's standing on one event (see MemoryRepository.userStanding), kept exact as tickets change. */
export interface Standing extends UserStanding {
  eventId: string;
}

/**
 * What the memory store keeps per user: ticket ids (oldest first), standings by event and key
 * bindings. Most users have one ticket, on one event, under one key: the standing on their first
 * event is this object's own fields, the others a Map made on the second event; keys start as the
 * one binding and become a Map on the second. A new user then costs one object and one entry in
 * the store's map of users.
 */
export class UserState implements Standing {
  ticketIds: IdList;
  /** The first event's standing, in place (eventId empty until the user has one). */
  eventId: string = "";
  liveHolds = 0;
  committed = 0;
  private otherStandings: Map<string, Standing> | undefined;
  private keys: Binding | Map<string, Binding> | undefined;

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

  key(key: string): KeyRecord | undefined {
    const keys = this.keys;
    if (keys === undefined) return undefined;
    const binding = keys instanceof Map ? keys.get(key) : keys.key === key ? keys : undefined;
    return binding instanceof TicketRow ? binding.keyRecord() : binding;
  }

  /** Binds `key` to `binding` (replacing its binding, if any) and answers the binding replaced. */
  bind(key: string, binding: Binding): Binding | undefined {
    const keys = this.keys;
    if (keys === undefined || (!(keys instanceof Map) && keys.key === key)) {
      this.keys = binding;
      return keys;
    }
    if (keys instanceof Map) {
      const previous = keys.get(key);
      keys.set(key, binding);
      return previous;
    }
    this.keys = new Map([[keys.key!, keys], [key, binding]]);
    return undefined;
  }

  /** Undoes bind: `key` bound to `previous` again, or to nothing. */
  unbind(key: string, previous: Binding | undefined): void {
    const keys = this.keys;
    if (keys instanceof Map) {
      if (previous) keys.set(key, previous);
      else keys.delete(key);
    } else {
      this.keys = previous;
    }
  }
}

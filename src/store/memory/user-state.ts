import type { KeyRecord, UserStanding } from "../../core/index.js";
import type { IdList } from "./id-index.js";

/** A user's standing on one event (see MemoryRepository.userStanding), kept exact as tickets change. */
export interface Standing extends UserStanding {
  eventId: string;
}

/**
 * What the memory store keeps per user: ticket ids (oldest first), standings by event and key
 * bindings. Most users have one ticket, on one event, under one key: each part starts as the one
 * value and becomes a Map on the second, so a new user costs one entry in the store's map of
 * users rather than one in each of three maps.
 */
export class UserState {
  ticketIds: IdList;
  private standings: Standing | Map<string, Standing> | undefined;
  private keys: KeyRecord | Map<string, KeyRecord> | undefined;

  standing(eventId: string): Standing | undefined {
    const standings = this.standings;
    if (standings === undefined) return undefined;
    if (standings instanceof Map) return standings.get(eventId);
    return standings.eventId === eventId ? standings : undefined;
  }

  /** The standing on `eventId`, made (at zero) when there is none. */
  standingFor(eventId: string): Standing {
    const found = this.standing(eventId);
    if (found) return found;
    const made: Standing = { eventId, liveHolds: 0, committed: 0 };
    const standings = this.standings;
    if (standings === undefined) this.standings = made;
    else if (standings instanceof Map) standings.set(eventId, made);
    else this.standings = new Map([[standings.eventId, standings], [eventId, made]]);
    return made;
  }

  key(key: string): KeyRecord | undefined {
    const keys = this.keys;
    if (keys === undefined) return undefined;
    if (keys instanceof Map) return keys.get(key);
    return keys.key === key ? keys : undefined;
  }

  /** Binds `record` (replacing the binding of its key, if any) and answers the binding replaced. */
  bind(record: KeyRecord): KeyRecord | undefined {
    const keys = this.keys;
    if (keys === undefined || (!(keys instanceof Map) && keys.key === record.key)) {
      this.keys = record;
      return keys;
    }
    if (keys instanceof Map) {
      const previous = keys.get(record.key);
      keys.set(record.key, record);
      return previous;
    }
    this.keys = new Map([[keys.key, keys], [record.key, record]]);
    return undefined;
  }

  /** Undoes bind: `key` bound to `previous` again, or to nothing. */
  unbind(key: string, previous: KeyRecord | undefined): void {
    const keys = this.keys;
    if (keys instanceof Map) {
      if (previous) keys.set(key, previous);
      else keys.delete(key);
    } else {
      this.keys = previous;
    }
  }
}

import { SeatIndex, layoutOf, packSeatStates, unpackSeatStates, type SeatLayout } from "../core/index.js";

/** An event's seats at one stored version. Versions only grow, and a new map is a new version. */
interface Entry {
  version: number;
  index: SeatIndex;
}

/**
 * A process's seat indexes, kept between operations (SQLite, PostgreSQL). An event's seats are
 * stored as packed states (2 bits a seat) with a version that every write raises by one; while
 * the stored version is the one kept here, the index is reused, not rebuilt — so a reserve's cost
 * depends on neither the seats sold nor, once warm, the size of the map. Only committed indexes
 * are kept: a transaction's own writes wait in its SeatWrites until it commits. Indexes are never
 * changed once kept (decisions change copies), so a read may use one while a write goes on.
 */
export class SeatCache {
  private readonly layouts = new Map<string, SeatLayout>();
  private readonly indexes = new Map<string, Entry>();

  constructor(private readonly size = 64) {}

  /** The map compiled, once per map text. */
  layout(map: string): SeatLayout {
    let layout = this.layouts.get(map);
    if (layout) {
      touch(this.layouts, map, layout);
      return layout;
    }
    layout = layoutOf(map);
    keep(this.layouts, map, layout, Math.max(4, this.size / 8));
    return layout;
  }

  get(eventId: string, version: number): SeatIndex | undefined {
    const entry = this.indexes.get(eventId);
    if (!entry || entry.version !== version) return undefined;
    touch(this.indexes, eventId, entry);
    return entry.index;
  }

  versionOf(eventId: string): number | undefined {
    return this.indexes.get(eventId)?.version;
  }

  /** The index of stored states (read at `version`), kept for the next operation. */
  open(eventId: string, version: number, map: string, packed: Uint8Array): SeatIndex {
    const layout = this.layout(map);
    const index = SeatIndex.open(layout, unpackSeatStates(packed, layout.seatCount));
    this.remember(eventId, { version, index });
    return index;
  }

  remember(eventId: string, entry: Entry): void {
    keep(this.indexes, eventId, entry, this.size);
  }

  /**
   * Forgets every index kept. Versions are unique along one history only: after a failover the new
   * primary may lack a version this process read on the old one (a commit kept there alone), and
   * reach that number again with other seats.
   */
  clear(): void {
    this.indexes.clear();
  }

  /** `eventId:version` of every index kept: a PostgreSQL snapshot sends the states of the others only. */
  known(): string[] {
    return [...this.indexes].map(([eventId, entry]) => `${eventId}:${entry.version}`);
  }
}

/**
 * One transaction's seats: the version each event's seats were read at, and the indexes it wrote
 * (with their new versions), published to the cache when it commits.
 */
export class SeatWrites {
  private readonly versions = new Map<string, number>();
  private readonly written = new Map<string, Entry>();

  constructor(private readonly cache: SeatCache) {}

  /** The stored seats of `eventId` are at `version`: this transaction's own, or a kept index, if either is that one. */
  loaded(eventId: string, version: number): SeatIndex | undefined {
    this.versions.set(eventId, version);
    const own = this.written.get(eventId);
    if (own && own.version === version) return own.index;
    return this.cache.get(eventId, version);
  }

  open(eventId: string, version: number, map: string, packed: Uint8Array): SeatIndex {
    this.versions.set(eventId, version);
    return this.cache.open(eventId, version, map, packed);
  }

  /**
   * A decision's new seats: their packed states and the version to store them at — one more than
   * the version read (`stored`: asked for when this transaction has not read it; 0 for none).
   */
  write(eventId: string, index: SeatIndex, stored: () => number): { version: number; packed: Uint8Array } {
    const version = (this.versions.get(eventId) ?? stored()) + 1;
    this.versions.set(eventId, version);
    this.written.set(eventId, { version, index });
    return { version, packed: packSeatStates(index.snapshot()) };
  }

  /** `eventId:version` of every index this transaction has, its own and the kept ones. */
  known(): string[] {
    return [...this.cache.known(), ...[...this.written].map(([eventId, entry]) => `${eventId}:${entry.version}`)];
  }

  commit(): void {
    for (const [eventId, entry] of this.written) this.cache.remember(eventId, entry);
  }
}

function touch<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
}

function keep<V>(map: Map<string, V>, key: string, value: V, size: number): void {
  touch(map, key, value);
  while (map.size > size) map.delete(map.keys().next().value!);
}

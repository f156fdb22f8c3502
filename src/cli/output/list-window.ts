import type { Command } from "commander";
import { invalidArgument, type EventView } from "../../core/index.js";
import type { EventPageResult } from "../../app/events.js";
import type { OutputMode } from "./table.js";

/** Rows a list shows on a terminal unless told otherwise: a screenful, fast whatever the store holds. */
export const TERMINAL_LIST_ROWS = 30;

export interface ListFlags {
  limit?: string | undefined;
  all?: boolean | undefined;
}

/** `--limit N` and `--all`, on every list command. */
export function addListOptions(command: Command): Command {
  return command
    .option("--limit <n>", `show at most N rows (default on a terminal: ${TERMINAL_LIST_ROWS}; piped and --json: all)`)
    .option("--all", "show every row, on a terminal too");
}

/** The rows to show, and how many there were. */
export interface ListWindow<T> {
  items: T[];
  total: number;
}

/**
 * How many rows a list shows: `--limit N`; `--all`; else a screenful on a terminal and every row
 * for scripts (piped and --json), so that a script never silently loses rows. `from: "end"` keeps
 * the last rows (the log's latest entries), in their order.
 */
export function listWindow<T>(items: readonly T[], flags: ListFlags, mode: OutputMode, from: "start" | "end" = "start"): ListWindow<T> {
  const limit = listLimit(flags, mode);
  const total = items.length;
  if (limit === undefined || limit >= total) return { items: [...items], total };
  return { items: from === "end" ? items.slice(total - limit) : items.slice(0, limit), total };
}

/** How many rows to show: undefined for all. */
export function listLimit(flags: ListFlags, mode: OutputMode): number | undefined {
  if (flags.limit !== undefined && flags.all) throw invalidArgument("limit", "give --limit N or --all, not both");
  if (flags.all) return undefined;
  if (flags.limit !== undefined) {
    const limit = Number(flags.limit);
    if (!/^\d+$/.test(flags.limit.trim()) || limit < 1) throw invalidArgument("limit", `"${flags.limit}" must be a whole number from 1`);
    // More than any list holds shows it all, however many digits it has.
    return Math.min(limit, Number.MAX_SAFE_INTEGER);
  }
  return mode === "tty" ? TERMINAL_LIST_ROWS : undefined;
}

/** "30 of 20,000 events; --limit N or --all": under a list on a terminal that shows only part of it. */
export function listFooter(shown: number, total: number, noun: string, latest = false): string | undefined {
  if (shown >= total) return undefined;
  return `${latest ? "the latest " : ""}${shown.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} ${noun}; --limit N or --all`;
}

/**
 * Rows the store is asked for at a time when a list is streamed: the first page small (`| head -1`
 * answers at once), each page after it twice the one before, up to a bound on what is held at once.
 * A list whose order no index holds (a user's tickets; everyone's) costs the store a scan a page,
 * so pages of one size would make a long list quadratic: 150,000 tickets took 11 s in pages of
 * 1,000, against 2.9 s read whole.
 */
const FIRST_PAGE = 1000;
const LARGEST_PAGE = 32_000;

/** What a streamed list reads from (Tix.snapshot), ended once its last page is read, or it fails or is cut. */
export interface ListSnapshot {
  close(): Promise<void>;
}

/**
 * Events a page at a time, at most `limit` in all, from the first page on (already read:
 * `first`, so that a store that cannot be read fails before anything is printed).
 */
export async function eventPages(page: (request: { limit: number; after?: string | undefined }) => Promise<EventPageResult>, limit: number | undefined, snapshot?: ListSnapshot):
  Promise<{ first: EventView[]; rest: AsyncIterable<EventView[]> }> {
  const { first, rest } = await listPages<EventView, string>(async (request) => {
    const { events, next } = await page(request);
    return { items: events, next };
  }, limit, snapshot);
  return { first, rest };
}

/** A page of a list, and where the next one starts (null: this was the last). */
export interface ListPage<T, C> {
  items: T[];
  next: C | null;
}

/**
 * Any list a page at a time (keyset: each page after the last of the one before), at most `limit`
 * items in all. The first page is read at once (`first`), so that a store that cannot be read fails
 * before anything is printed; `more`: whether pages may follow it.
 *
 * `snapshot`: what the pages are read from (Tix.snapshot: every page one state, a write committed
 * between two pages seen by none), closed as soon as no page is left to read — after the first
 * when it is the last, else when `rest` ends, fails or is left (a consumer's `break`). A reader
 * that went away (`| head -1`, EPIPE) or Ctrl-C ends the process, and its transaction with it.
 */
export async function listPages<T, C>(page: (request: { limit: number; after?: C | undefined }) => Promise<ListPage<T, C>>, limit: number | undefined, snapshot?: ListSnapshot):
  Promise<{ first: T[]; more: boolean; rest: AsyncIterable<T[]> }> {
  let pageSize = FIRST_PAGE;
  const size = (left: number) => Math.min(pageSize, left);
  let left = limit ?? Number.POSITIVE_INFINITY;
  let opening: ListPage<T, C>;
  try {
    opening = await page({ limit: size(left) });
  } catch (error) {
    await snapshot?.close().catch(() => undefined);
    throw error;
  }
  left -= opening.items.length;
  const more = opening.next !== null && left > 0;
  if (!more) await snapshot?.close();
  async function* rest(): AsyncIterable<T[]> {
    if (!more) return;
    try {
      let after = opening.next;
      while (after !== null && left > 0) {
        pageSize = Math.min(pageSize * 2, LARGEST_PAGE);
        const next = await page({ limit: size(left), after });
        left -= next.items.length;
        yield next.items;
        after = next.next;
      }
    } finally {
      await snapshot?.close();
    }
  }
  return { first: opening.items, more, rest: rest() };
}

/** `read`'s answer; when it fails, `snapshot` is closed first (the stream it was opened for never starts). */
export async function closedOnFailure<T>(snapshot: ListSnapshot, read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (error) {
    await snapshot.close().catch(() => undefined);
    throw error;
  }
}

import type { EventRow, EventReport, EventView, LogTimeCounts, FieldChange, LeftWaitlist, LogEntryView, SeatMapView, TicketView, VoucherView, WaitlistEntryView } from "../core/index.js";
import type { ImportSummary } from "../app/import-events.js";
import type { JoinOutcome } from "../app/waitlist.js";

/**
 * What a command hands to the renderer: data only; the output mode decides how it looks. A list's
 * `total` is how many rows there were when it shows only some (`--limit`, or a terminal's default).
 */
export type CommandResult =
  /** `changes`: what an update changed, `leftWaitlist`: whom it took off the waiting list (the JSON adds both); `warnings` on stderr. */
  | { type: "event"; event: EventView; message?: string; changes?: FieldChange[]; leftWaitlist?: LeftWaitlist[]; warnings?: string[] }
  /** `pages`: for a script, the rest of a long list, read and printed a page at a time (never all in memory). */
  | { type: "events"; events: EventView[]; pages?: AsyncIterable<EventView[]>; total?: number; message?: string; created?: number }
  | {
      type: "ticket";
      ticket: TicketView;
      /** Every ticket of the order, when the command acted on an order. */
      order?: { orderId: string; tickets: TicketView[] };
      message?: string;
      /** `blocks`: on a seated event, how many runs of neighbours the seats make. */
      reservation?: { key: string; replayed: boolean; blocks?: number };
      /** A reservation or purchase: on a terminal, the short answer (with the event's name and date). */
      action?: "reserve" | "purchase";
      event?: EventView;
      /** Said on stderr however the output goes (a replayed hold that has expired since). */
      warnings?: string[];
      /** Set by `transfer`: whose the tickets were, whose they are now, and whether that ended the recipient's wait for the event. */
      transfer?: { from: string; to: string; leftWaitlist: boolean };
    }
  /** `pages`: for a script, the rest of a long list, read and printed a page at a time; `seated`: whether any ticket of the whole list has a seat (its column). */
  | { type: "tickets"; tickets: TicketView[]; total?: number; pages?: AsyncIterable<TicketView[]>; seated?: boolean; everyone?: boolean }
  /** A seated event's map (`tix seats`), drawn `width` columns wide. */
  | { type: "seats"; event: EventView; seats: SeatMapView; width: number }
  /** `pages`: the rest, read and printed a page at a time; `csv`: printed as CSV (else the JSON envelope). */
  | { type: "export"; tickets: TicketView[]; pages?: AsyncIterable<TicketView[]>; csv?: boolean }
  /**
   * `export events`: every event as import reads it, read and printed a page at a time, as CSV
   * (`csv`) or the JSON envelope; `counts` grows as the pages are printed (the note after them
   * says how many access codes were hidden).
   */
  | { type: "export-events"; pages: AsyncIterable<EventRow[]>; csv: boolean; counts: { events: number; hiddenCodes: number } }
  /** `sales`: tickets bought per period (counted by the store from the audit log), for the sales chart on a terminal. */
  | { type: "report"; report: EventReport; format: "table" | "json"; sales?: LogTimeCounts | null }
  /** Text already in its final form (CSV), printed as it is except under --json. */
  | { type: "text"; text: string; data: Record<string, unknown> }
  | { type: "waitlist"; eventId: string; entries: WaitlistEntryView[]; total?: number }
  | { type: "waitlist-join"; outcome: JoinOutcome; message: string }
  /** The latest entries when `total` says there were more. */
  | { type: "log"; entries: LogEntryView[]; total?: number; pages?: AsyncIterable<LogEntryView[]>; filtered?: boolean }
  /** A summary, whatever the file's size; the rows' ids only when asked for (`--rows`). */
  /** `source`: the input as messages name it (`standard input` for `-`). */
  | { type: "import"; file: string; source: string; summary: ImportSummary; seconds: number; message: string }
  | { type: "done"; message: string; data: Record<string, unknown> }
  | { type: "voucher"; voucher: VoucherView; message: string }
  | { type: "vouchers"; vouchers: VoucherView[]; total?: number }
  | { type: "token"; token: string; userId: string; expiresAt: string; admin: boolean; message: string };

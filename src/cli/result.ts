import type { EventReport, EventView, FieldChange, LogEntryView, TicketView, VoucherView, WaitlistEntryView } from "../core/index.js";
import type { ImportSummary } from "../app/import-events.js";
import type { JoinOutcome } from "../app/waitlist.js";

/** What a command hands to the renderer: data only; the output mode decides how it looks. */
export type CommandResult =
  /** `changes`: what an update changed (the JSON adds it as `changes`). */
  | { type: "event"; event: EventView; message?: string; changes?: FieldChange[] }
  | { type: "events"; events: EventView[]; message?: string; created?: number }
  | {
      type: "ticket";
      ticket: TicketView;
      /** Every ticket of the order, when the command acted on an order. */
      order?: { orderId: string; tickets: TicketView[] };
      message?: string;
      reservation?: { key: string; replayed: boolean };
      /** Said on stderr however the output goes (a replayed hold that has expired since). */
      warnings?: string[];
      /** Set by `transfer`: whose the tickets were, and whose they are now. */
      transfer?: { from: string; to: string };
    }
  | { type: "tickets"; tickets: TicketView[] }
  | { type: "export"; tickets: TicketView[] }
  | { type: "report"; report: EventReport; format: "table" | "json" }
  /** Text already in its final form (CSV), printed as it is except under --json. */
  | { type: "text"; text: string; data: Record<string, unknown> }
  | { type: "waitlist"; eventId: string; entries: WaitlistEntryView[] }
  | { type: "waitlist-join"; outcome: JoinOutcome; message: string }
  | { type: "log"; entries: LogEntryView[] }
  /** A summary, whatever the file's size; the rows' ids only when asked for (`--rows`). */
  | { type: "import"; file: string; summary: ImportSummary; seconds: number; message: string }
  | { type: "done"; message: string; data: Record<string, unknown> }
  | { type: "voucher"; voucher: VoucherView; message: string }
  | { type: "vouchers"; vouchers: VoucherView[] }
  | { type: "token"; token: string; userId: string; expiresAt: string; admin: boolean; message: string };

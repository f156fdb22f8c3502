/**
 * The tix engine, in-process: `import { openTix } from "tix"`. Every type a program needs to name
 * what it passes and gets back is exported here (README, "Library").
 */
export { createTix, openTix, type CommitTrigger, type GroupCommitOptions, type OpenTixOptions, type Tix } from "./app/open-tix.js";
export type {
  Actor,
  EventCreateRequest,
  EventInput,
  EventExportPage,
  EventPageResult,
  EventUpdateRequest,
  EventUpdateResult,
  EventUseCases,
  EventWriteResult,
} from "./app/events.js";
export type {
  PurchaseOutcome,
  ReserveInput,
  ReserveOutcome,
  TicketPageResult,
  TicketQuery,
  TicketsOutcome,
  TicketUseCases,
  TransferOutcome,
} from "./app/tickets.js";
export type { KeyBinding, KeyUseCases } from "./app/keys.js";
export type { JoinOutcome, WaitlistUseCases } from "./app/waitlist.js";
export type { LogPageResult, LogQuery, LogUseCases } from "./app/log.js";
export type { VoucherQuery, VoucherUseCases } from "./app/vouchers.js";
export type { LogFilter, LogTimeCounts, LogTimeSpan, TicketFilter, TixStore, WriteManyOptions } from "./core/index.js";
export {
  ERROR_CODES,
  LOG_ACTIONS,
  ManualClock,
  TICKET_STATUSES,
  TixError,
  isTixError,
  systemClock,
  type Clock,
  type ErrorCode,
  type EventFields,
  type EventReport,
  type EventRow,
  type ExportCodes,
  type EventView,
  type FieldChange,
  type LeaveReason,
  type LeftWaitlist,
  type LogAction,
  type LogEntryView,
  type ReportLine,
  type SeatMapView,
  type SeatRowView,
  type SeatSectionView,
  type SeatView,
  type SeatViewState,
  type TicketStatus,
  type TicketView,
  type TierFields,
  type TierRow,
  type TierView,
  type VoucherFields,
  type VoucherView,
  type WaitlistEntryView,
} from "./core/index.js";

// The names these types had before the use cases moved to src/app (kept for existing programs).
export type { EventUseCases as EventService } from "./app/events.js";
export type { TicketUseCases as TicketEngine } from "./app/tickets.js";
export type { KeyUseCases as IdempotencyRegistry } from "./app/keys.js";

/** The tix engine, in-process: `import { openTix } from "tix"`. */
export { createTix, openTix, type OpenTixOptions, type Tix } from "./app/open-tix.js";
export type { EventUseCases, EventWriteResult } from "./app/events.js";
export type { TicketUseCases, ReserveOutcome, TicketQuery } from "./app/tickets.js";
export type { KeyUseCases, KeyBinding } from "./app/keys.js";
export type { WaitlistUseCases, JoinOutcome } from "./app/waitlist.js";
export type { LogUseCases } from "./app/log.js";
export type { TixStore, TicketFilter } from "./core/index.js";
export {
  ERROR_CODES,
  ManualClock,
  TixError,
  isTixError,
  systemClock,
  type Clock,
  type ErrorCode,
  type EventFields,
  type EventView,
  type TicketStatus,
  type TicketView,
} from "./core/index.js";

// The names these types had before the use cases moved to src/app (kept for existing programs).
export type { EventUseCases as EventService } from "./app/events.js";
export type { TicketUseCases as TicketEngine } from "./app/tickets.js";
export type { KeyUseCases as IdempotencyRegistry } from "./app/keys.js";

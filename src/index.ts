/** The tix engine, in-process: `import { openTix } from "tix"`. */
export { createTix, openTix, type OpenTixOptions, type Tix } from "./engine/open-tix.js";
export type { EventService, EventWriteResult } from "./engine/event-service.js";
export type { TicketEngine, ReserveOutcome, TicketQuery } from "./engine/ticket-engine.js";
export type { IdempotencyRegistry, KeyBinding } from "./engine/idempotency-registry.js";
export type { TixStore, TicketFilter } from "./store/port.js";
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

import type {
  CreateEventResult,
  CreateMode,
  EventDraft,
  EventPatch,
  EventRecord,
  KeyRecord,
  ReserveRequest,
  ReserveResult,
  TicketRecord,
  TicketStatus,
} from "../core/index.js";

export interface TicketFilter {
  userId?: string | undefined;
  eventId?: string | undefined;
  status?: TicketStatus | undefined;
}

/**
 * The storage port: one atomic operation per intent. Each one locks what it needs, releases holds
 * that have expired, loads a snapshot, asks the core to decide, and writes the core's changes —
 * all in one transaction. Adapters hold no business rule of their own.
 */
export interface TixStore {
  /** Where the state lives, safe to print (no password). */
  readonly description: string;

  createEvent(request: { id: string; draft: EventDraft; mode: CreateMode }): Promise<CreateEventResult>;
  updateEvent(request: { id: string; patch: EventPatch }): Promise<EventRecord>;
  getEvent(id: string): Promise<EventRecord | undefined>;
  listEvents(): Promise<EventRecord[]>;

  reserve(request: ReserveRequest): Promise<ReserveResult>;
  purchase(request: { ticketId: string; userId: string; card: string }): Promise<TicketRecord>;
  cancel(request: { ticketId: string; userId: string }): Promise<TicketRecord>;
  getTicket(id: string): Promise<TicketRecord | undefined>;
  /** Oldest first. */
  listTickets(filter: TicketFilter): Promise<TicketRecord[]>;

  /** A live binding of (userId, key), with its ticket. */
  findKey(userId: string, key: string): Promise<{ record: KeyRecord; ticket: TicketRecord } | undefined>;

  close(): Promise<void>;
}

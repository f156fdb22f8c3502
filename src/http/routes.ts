import { createHash } from "node:crypto";
import { TixError, invalidArgument, parseTicketStatus, type TicketView } from "../core/index.js";
import type { EventUseCases } from "../app/events.js";
import type { TicketUseCases } from "../app/tickets.js";
import type { IdempotencyGuard } from "./idempotency.js";
import { cardOf, eventBody, eventFieldsOf, ticketBody, type JsonObject } from "./shapes.js";

/** The engine as the routes use it: the public methods only, so tests can wrap one. */
export interface Engine {
  events: Pick<EventUseCases, "create" | "update" | "get" | "list">;
  tickets: Pick<TicketUseCases, "reserve" | "purchase" | "cancel" | "get" | "list">;
}

/** One request as a handler sees it. Everything is read lazily, so a route reads only what it needs. */
export interface Exchange {
  /** Path parameters, decoded, in order. */
  params: string[];
  query: URLSearchParams;
  header(name: string): string | undefined;
  /** The bearer token's user; throws 401 without a valid token. */
  user(): string;
  body(): Promise<JsonObject>;
}

export interface Reply {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

export interface Route {
  method: string;
  /** Segments; `:name` matches any one segment. */
  path: string[];
  handle(exchange: Exchange): Promise<Reply>;
}

const success = (fields: Record<string, unknown>, status = 200, headers?: Record<string, string>): Reply => ({
  status,
  body: { Status: "Success", ...fields },
  ...(headers && { headers }),
});
const ticketReply = (ticket: TicketView, extra: Record<string, unknown> = {}, headers?: Record<string, string>) =>
  success({ Ticket: ticketBody(ticket), ...extra }, 200, headers);
const replayHeaders = (replayed: boolean) => (replayed ? { "Idempotent-Replayed": "true" } : undefined);

const route = (method: string, path: string, handle: Route["handle"]): Route => ({
  method,
  path: path.split("/").filter(Boolean),
  handle,
});

/** The seed's routes, each: parse → one engine call → the seed's shape. */
export function createRoutes(tix: Engine, guard: IdempotencyGuard): Route[] {
  return [
    route("GET", "/events", async () => success({ Events: (await tix.events.list()).map(eventBody) })),

    route("GET", "/events/:id", async ({ params: [id] }) => success({ Event: eventBody(await tix.events.get(id!)) })),

    route("POST", "/events", async (exchange) => {
      exchange.user();
      const { event, created } = await tix.events.create(eventFieldsOf(await exchange.body()));
      return created
        ? success({ Event: eventBody(event), Created: true }, 201, { Location: `/events/${encodeURIComponent(event.id)}` })
        : success({ Event: eventBody(event), Created: false });
    }),

    route("PUT", "/events/:id", async (exchange) => {
      exchange.user();
      const { id: _ignored, ...fields } = eventFieldsOf(await exchange.body());
      if (Object.keys(fields).length === 0) {
        throw invalidArgument("body", "nothing to change; give at least one of Name, Capacity, Venue, StartsAt, Hold, Price, Currency");
      }
      return success({ Event: eventBody(await tix.events.update(exchange.params[0]!, fields)) });
    }),

    route("POST", "/tickets/:eventId/reserve", async (exchange) => {
      const userId = exchange.user();
      const key = exchange.header("idempotency-key");
      if (key === undefined) {
        throw invalidArgument("Idempotency-Key", "the header is required: send a new key for each reservation, and the same key to retry it");
      }
      const outcome = await guard.exclusive(userId, key, async () => {
        await exchange.body(); // read (and checked) inside: while a slow body arrives, the key is in flight
        return tix.tickets.reserve({ eventId: exchange.params[0]!, userId, key });
      });
      return ticketReply(outcome.ticket, { Replayed: outcome.replayed, Key: outcome.key }, replayHeaders(outcome.replayed));
    }),

    route("POST", "/tickets/:ticketId/purchase", async (exchange) => {
      const userId = exchange.user();
      const ticketId = exchange.params[0]!;
      const card = cardOf(await exchange.body());
      const purchase = async () => (await tix.tickets.purchase({ ticketId, userId, card })).ticket;
      const key = exchange.header("idempotency-key");
      if (key === undefined) return ticketReply(await purchase());
      const fingerprint = createHash("sha256").update(JSON.stringify(["purchase", ticketId, card ?? null])).digest("base64url");
      const { answer, replayed } = await guard.remembered(userId, key, fingerprint, purchase);
      return ticketReply(answer, { Replayed: replayed }, replayHeaders(replayed));
    }),

    route("DELETE", "/tickets/:ticketId", async (exchange) =>
      ticketReply((await tix.tickets.cancel({ ticketId: exchange.params[0]!, userId: exchange.user() })).ticket)),

    route("GET", "/tickets/:ticketId", async (exchange) => {
      const userId = exchange.user();
      const ticket = await tix.tickets.get(exchange.params[0]!);
      if (ticket.userId !== userId) throw new TixError("NOT_TICKET_OWNER", `ticket ${ticket.id} belongs to another user`);
      return ticketReply(ticket);
    }),

    route("GET", "/tickets", async ({ user, query }) => {
      const status = query.get("Status") ?? query.get("status") ?? undefined;
      const tickets = await tix.tickets.list({
        userId: user(),
        eventId: query.get("EventId") ?? query.get("eventId") ?? undefined,
        status: status === undefined ? undefined : parseTicketStatus(status.toLowerCase()),
      });
      return success({ Tickets: tickets.map(ticketBody) });
    }),
  ];
}

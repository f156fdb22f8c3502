import { TixError, invalidArgument, isTixError, parseTicketStatus, quote, renameField, type EventFields, type TicketView } from "../core/index.js";
import type { EventUseCases } from "../app/events.js";
import type { TicketUseCases } from "../app/tickets.js";
import type { VoucherUseCases } from "../app/vouchers.js";
import { idempotencyKeyOf, type IdempotencyGuard } from "./idempotency.js";
import {
  availabilityBody, bodyKeyOf, cardOf, changesBody, eventBody, eventFieldsOf, optionalText, requiredText, reserveOf, seatsBody, startsAtNameOf, ticketBody, voucherBody, voucherFieldsOf, type JsonObject,
} from "./shapes.js";

/** The engine as the routes use it: the public methods only, so tests can wrap one. */
export interface Engine {
  events: Pick<EventUseCases, "create" | "update" | "get" | "page" | "seats">;
  tickets: Pick<TicketUseCases, "reserve" | "purchase" | "cancel" | "get" | "list" | "page" | "transfer">;
  vouchers: Pick<VoucherUseCases, "create" | "list" | "page">;
}

/**
 * One request as a handler sees it. Everything is read lazily, so a route reads only what it needs.
 * Its methods use `this`: call them on the exchange, do not take them out of it.
 */
export interface Exchange {
  /** Path parameters, decoded, in order. */
  readonly params: readonly string[];
  /** The query string, parsed at the first call. */
  query(): URLSearchParams;
  /** A query parameter's name as the request spelled it (`Limit` for `limit`), for its errors; `name` when not sent. */
  queryName(name: string): string;
  header(name: string): string | undefined;
  /** Who acts: the bearer token's user (or the anonymous user, when the server has one); else 401. */
  user(): string;
  /** Who looks, on a public route: as `user()` when a token is sent (or the server has an anonymous user), else nobody. */
  viewer(): string | undefined;
  /** Who acts, who must be allowed to change events (an admin token, or the anonymous user); else 403. */
  admin(): string;
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

/** `GET /events` answers pages of this many events unless `?limit=` says otherwise (at most 1000). */
export const DEFAULT_EVENT_PAGE = 100;

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
  const updateEvent = async (exchange: Exchange): Promise<Reply> => {
    const actor = exchange.admin();
    const body = await exchange.body();
    const { id: bodyId, ...fields } = eventFieldsOf(body);
    // An event read and sent back carries its Id: the path's, or the client meant another event.
    if (bodyId !== undefined && bodyId !== exchange.params[0]) {
      throw invalidArgument("Id", `the body names event ${quote(bodyId)}, the path ${quote(exchange.params[0]!)}; leave Id out or give the path's`);
    }
    if (Object.keys(fields).length === 0) {
      throw invalidArgument("body", "nothing to change; give at least one of Name, Capacity, Venue, Date (or StartsAt), Hold (or HoldSeconds), Price, Currency, TicketTypes, LimitPerUser, SalesStart, SalesEnd, Seats (or SeatMap)");
    }
    // The library's `id` is the path's event id, and named so.
    const { event, changes } = await tix.events.update({ id: exchange.params[0]!, ...await withoutEchoedSalesEnd(exchange.params[0]!, fields), actor })
      .catch((error: unknown) => { throw namedAs(namedAs(error, "id", "event id"), "startsAt", startsAtNameOf(body)); });
    return success({ Event: eventBody(event), Changes: changesBody(changes) });
  };

  /**
   * An event read and sent back whole carries the answer's SalesEnd, which is its start when no end
   * was set (sales close as it starts, and follow it when it moves). Sent back beside other fields,
   * that value is the answer's, not an end of the client's: taken as one, it pinned the end to the
   * old start, so a client that moved the Date closed the sales before the new one, in silence. Alone,
   * it is meant, and kept.
   */
  const withoutEchoedSalesEnd = async <T extends EventFields & { id?: string }>(id: string, fields: T): Promise<T> => {
    const { salesEnd, ...others } = fields;
    if (typeof salesEnd !== "string" || Object.keys(others).every((name) => name === "id")) return fields;
    const current = await tix.events.get(id).catch(() => undefined);
    if (current?.salesEnd == null || current.salesEnd !== current.startsAt || Date.parse(salesEnd) !== Date.parse(current.salesEnd)) return fields;
    return others as T;
  };

  const availability = async ({ params: [id] }: Exchange) => success(availabilityBody(await tix.events.get(id!)));

  const cancel = async (exchange: Exchange) =>
    ticketReply((await tix.tickets.cancel({ ticketId: exchange.params[0]!, userId: exchange.user() })).ticket);

  return [
    route("GET", "/events", async (exchange) => {
      const query = exchange.query();
      const limit = pageLimit(query.get("limit"), exchange.queryName("limit"));
      const after = query.get("after") ?? undefined;
      const { events, next } = await tix.events.page({ limit, after }).catch((error: unknown) => { throw namedAs(error, "after", exchange.queryName("after")); });
      const nextPath = next === null ? null : `/events?limit=${limit}&after=${encodeURIComponent(next)}`;
      return success({ Events: events.map(eventBody), Next: nextPath }, 200, nextPath === null ? undefined : { Link: `<${nextPath}>; rel="next"` });
    }),

    route("GET", "/events/:id", async ({ params: [id] }) => success({ Event: eventBody(await tix.events.get(id!)) })),

    route("GET", "/events/:id/availability", availability),

    // As the seed: a body with the `Id` of an existing event describes the whole event (replace).
    route("POST", "/events", async (exchange) => {
      const actor = exchange.admin();
      const body = await exchange.body();
      // A bad time is named as the request spelled it: the seed's clients send `Date`.
      const fields = eventFieldsOf(body);
      const { event, created, changes } = await tix.events.create({ ...(fields.id === undefined ? fields : await withoutEchoedSalesEnd(fields.id, fields)), actor, mode: "replace" })
        .catch((error: unknown) => { throw namedAs(error, "startsAt", startsAtNameOf(body)); });
      return created
        ? success({ Event: eventBody(event), Created: true }, 201, { Location: `/events/${encodeURIComponent(event.id)}` })
        : success({ Event: eventBody(event), Created: false, Changes: changesBody(changes) });
    }),

    route("PUT", "/events/:id", updateEvent),

    route("PATCH", "/events/:id", updateEvent),

    route("POST", "/tickets/:eventId/reserve", async (exchange) => {
      const userId = exchange.user();
      const reserve = (key: string, body: JsonObject) => tix.tickets.reserve({ eventId: exchange.params[0]!, userId, key, ...reserveOf(body) });
      const header = idempotencyKeyOf(exchange.header("idempotency-key"));
      const outcome = header !== undefined
        // Read (and checked) inside: while a slow body arrives, the key is in flight.
        ? await guard.exclusive(userId, header, async () => {
          const body = await exchange.body();
          return reserve(keyOf(header, body)!, body);
        })
        // No header: the body's IdempotencyKey, if it has one (read first, then held as the header's is).
        : await exchange.body().then((body) => {
          const key = keyOf(undefined, body);
          if (key === undefined) {
            throw invalidArgument("Idempotency-Key", "the header is required: send a new key for each reservation, and the same key to retry it");
          }
          return guard.exclusive(userId, key, () => reserve(key, body));
        });
      const order = outcome.tickets.length > 1 || outcome.blocks !== undefined
        ? { Tickets: outcome.tickets.map(ticketBody), OrderId: outcome.orderId, ...(outcome.blocks === undefined ? {} : { Blocks: outcome.blocks }) }
        : {};
      return ticketReply(outcome.ticket, { Replayed: outcome.replayed, Key: outcome.key, ...order }, replayHeaders(outcome.replayed));
    }),

    // Public, as availability is; with a token, the viewer's own seats are `yours`.
    route("GET", "/events/:id/seats", async (exchange) => {
      const viewer = exchange.viewer();
      const { event, seats } = await tix.events.seats({ eventId: exchange.params[0]!, userId: viewer });
      return success({ EventId: event.id, Seats: seatsBody(seats, viewer !== undefined) });
    }),

    // The key is the engine's (stored with the purchase, replayed by any server over the store);
    // the guard only refuses a second request while the first with the same key is in flight here.
    route("POST", "/tickets/:ticketId/purchase", async (exchange) => {
      const userId = exchange.user();
      const purchase = (key: string | undefined, body: JsonObject) =>
        tix.tickets.purchase({ ticketId: exchange.params[0]!, userId, card: cardOf(body), key, voucher: optionalText(body, "Voucher") });
      const header = idempotencyKeyOf(exchange.header("idempotency-key"));
      let key = header;
      const outcome = header !== undefined
        ? await guard.exclusive(userId, header, async () => {
          const body = await exchange.body();
          return purchase(keyOf(header, body), body);
        })
        : await exchange.body().then((body) => {
          key = keyOf(undefined, body);
          return key === undefined ? purchase(undefined, body) : guard.exclusive(userId, key, () => purchase(key, body));
        });
      if (key === undefined) return ticketReply(outcome.ticket);
      return ticketReply(outcome.ticket, { Replayed: outcome.replayed, Key: key }, replayHeaders(outcome.replayed));
    }),

    route("POST", "/tickets/:ticketId/cancel", cancel),

    // A ticket id or an order id; the answer is the moved tickets, now the recipient's.
    route("POST", "/tickets/:ticketId/transfer", async (exchange) => {
      const userId = exchange.user();
      const to = requiredText(await exchange.body(), "To", "bob");
      const { ticket, tickets, orderId, from, leftWaitlist } = await tix.tickets.transfer({ ticketId: exchange.params[0]!, userId, to });
      return success({ Ticket: ticketBody(ticket), Tickets: tickets.map(ticketBody), OrderId: orderId, From: from, To: to, LeftWaitlist: leftWaitlist });
    }),

    route("POST", "/events/:id/vouchers", async (exchange) => {
      const actor = exchange.admin();
      const voucher = await tix.vouchers.create({ ...voucherFieldsOf(await exchange.body()), eventId: exchange.params[0]!, actor });
      return success({ Voucher: voucherBody(voucher) }, 201);
    }),

    // Paged as GET /events: at most `limit` (default 100) after the voucher `after` (its code).
    route("GET", "/events/:id/vouchers", async (exchange) => {
      exchange.admin();
      const query = exchange.query();
      const limit = pageLimit(query.get("limit"), exchange.queryName("limit"));
      const eventId = exchange.params[0]!;
      const { vouchers, next } = await tix.vouchers.page({ eventId, limit, after: query.get("after") ?? undefined })
        .catch((error: unknown) => { throw namedAs(error, "after", exchange.queryName("after")); });
      return paged({ Vouchers: vouchers.map(voucherBody) }, next, (after) => `/events/${encodeURIComponent(eventId)}/vouchers?limit=${limit}&after=${encodeURIComponent(after)}`);
    }),

    route("DELETE", "/tickets/:ticketId", cancel),

    route("GET", "/tickets/:ticketId", async (exchange) => {
      const userId = exchange.user();
      const ticket = await tix.tickets.get(exchange.params[0]!);
      if (ticket.userId !== userId) throw new TixError("NOT_TICKET_OWNER", `ticket ${ticket.id} belongs to another user`);
      return ticketReply(ticket);
    }),

    route("GET", "/tickets/:eventId/availability", availability),

    // Paged as GET /events: at most `limit` (default 100) after the ticket `after` (its id); the filters ride along in `Next`.
    route("GET", "/tickets", async (exchange) => {
      const query = exchange.query();
      // Names in any case (QueryParameters); an error names each as the query spells it, not as a path's "event id".
      const status = query.get("status") ?? undefined;
      const eventId = query.get("eventId") ?? undefined;
      const limit = pageLimit(query.get("limit"), exchange.queryName("limit"));
      const { tickets, next } = await Promise.resolve().then(() => tix.tickets.page({
        userId: exchange.user(),
        eventId,
        status: status === undefined ? undefined : parseTicketStatus(status),
        limit,
        after: query.get("after") ?? undefined,
      })).catch((error: unknown) => {
        throw namedAs(namedAs(namedAs(error, "eventId", exchange.queryName("eventId")), "status", exchange.queryName("status")), "after", exchange.queryName("after"));
      });
      const filters = `${eventId === undefined ? "" : `eventId=${encodeURIComponent(eventId)}&`}${status === undefined ? "" : `status=${encodeURIComponent(status)}&`}`;
      return paged({ Tickets: tickets.map(ticketBody) }, next, (after) => `/tickets?${filters}limit=${limit}&after=${encodeURIComponent(after)}`);
    }),
  ];
}

/**
 * A reserve's or purchase's idempotency key: the `Idempotency-Key` header's (the API's, as the seed
 * and the IETF draft send it), else the body's `IdempotencyKey` (a client whose request model
 * carries its key; it was ignored in silence). Both, they must be the same key: 400 when they
 * differ, as which one the client meant is a guess.
 */
function keyOf(header: string | undefined, body: JsonObject): string | undefined {
  const sent = bodyKeyOf(body);
  if (sent === undefined) return header;
  if (header !== undefined && header !== sent.key) {
    throw invalidArgument(sent.name, `${quote(sent.key)} is not the Idempotency-Key header's ${quote(header)}; send the key once, in the header`);
  }
  return sent.key;
}

/**
 * `error` with its `field` shown as `name` for good: the names a body's fields get on the way out
 * (errors.ts, BODY_FIELD_NAMES) would otherwise name a path's or a query's value as a body field.
 */
function namedAs(error: unknown, field: string, name: string): unknown {
  if (!isTixError(error) || error.field !== field || error.code !== "INVALID_ARGUMENT" || error.selfNamed) return error;
  const renamed = renameField(error, name);
  return new TixError(renamed.code, renamed.message, { field, detail: renamed.message, details: renamed.details, cause: renamed.cause, selfNamed: true });
}

/** A page's answer: its items, `Next` (the next page's path, or null on the last), and the same as `Link: <…>; rel="next"`. */
function paged(body: JsonObject, next: string | null, pathAfter: (after: string) => string) {
  const nextPath = next === null ? null : pathAfter(next);
  return success({ ...body, Next: nextPath }, 200, nextPath === null ? undefined : { Link: `<${nextPath}>; rel="next"` });
}

function pageLimit(text: string | null, name: string): number {
  if (text === null) return DEFAULT_EVENT_PAGE;
  // The Web API's pages stay small (one request's answer); the library allows larger ones.
  if (!/^\d{1,4}$/.test(text) || Number(text) < 1 || Number(text) > 1000) throw invalidArgument(name, `"${text}" must be a whole number from 1 to 1000`);
  return Number(text);
}

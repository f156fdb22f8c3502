import type { TixError } from "../../core/index.js";
import type { CommandResult } from "../result.js";

/** The contract's JSON envelope for a success. */
export function successEnvelope(result: CommandResult): Record<string, unknown> {
  const success = (fields: Record<string, unknown>) => ({ status: "success", ...fields });
  switch (result.type) {
    case "event":
      return success(result.changes === undefined ? { event: result.event } : { event: result.event, changes: result.changes, leftWaitlist: result.leftWaitlist ?? [] });
    case "events":
      return success(result.created === undefined ? { events: result.events } : { events: result.events, created: result.created });
    case "ticket":
      return success({
        ticket: result.ticket,
        ...(result.order ? { tickets: result.order.tickets, orderId: result.order.orderId } : {}),
        ...(result.reservation ? { replayed: result.reservation.replayed, key: result.reservation.key } : {}),
        ...(result.transfer ? { from: result.transfer.from, to: result.transfer.to, leftWaitlist: result.transfer.leftWaitlist } : {}),
        ...(result.reservation?.blocks === undefined ? {} : { blocks: result.reservation.blocks }),
      });
    case "seats":
      return success({ eventId: result.event.id, seats: result.seats });
    case "tickets":
    case "export":
      return success({ tickets: result.tickets });
    case "report":
      return success({ report: result.report });
    case "export-events":
      // Never built whole: render streams its pages (eventPieces).
      return success({ events: [] });
    case "waitlist":
      return success({ eventId: result.eventId, waitlist: result.entries });
    case "waitlist-join":
      return success({ entry: result.outcome.entry, joined: result.outcome.joined, ticket: result.outcome.ticket });
    case "log":
      return success({ entries: result.entries });
    case "import": {
      const { created, updated, unchanged, changedFields, skipped, skippedCount, leftWaitlist, leftWaitlistCount } = result.summary;
      return success({ file: result.file, imported: created + updated + unchanged, created, updated, unchanged, changedFields, skipped, skippedCount, leftWaitlist, leftWaitlistCount, seconds: result.seconds });
    }
    case "token":
      return success({ token: result.token, userId: result.userId, expiresAt: result.expiresAt, admin: result.admin });
    case "done":
    case "text":
      return success(result.data);
    case "voucher":
      return success({ voucher: result.voucher });
    case "vouchers":
      return success({ vouchers: result.vouchers });
  }
}

/** The contract's JSON envelope for a failure. */
export function errorEnvelope(error: TixError): Record<string, unknown> {
  return { status: "error", error: error.toJSON() };
}

/** Items of a long list written at a time: the JSON is never built as one string, however long the list. */
const JSON_CHUNK = 1000;

/**
 * An envelope as JSON text, one line, in pieces: a long list (a million events) is written a
 * thousand items at a time. The text is exactly JSON.stringify's.
 */
export function* jsonChunks(envelope: Record<string, unknown>): Iterable<string> {
  const key = Object.keys(envelope).find((name) => Array.isArray(envelope[name]) && (envelope[name] as unknown[]).length > JSON_CHUNK);
  if (key === undefined) {
    yield `${JSON.stringify(envelope)}\n`;
    return;
  }
  const items = envelope[key] as unknown[];
  const [head, tail] = around(envelope, key);
  yield head;
  for (let start = 0; start < items.length; start += JSON_CHUNK) yield listPiece(items.slice(start, start + JSON_CHUNK), start === 0);
  yield tail;
}

/** The same for a list read page by page (`pages` follow what the envelope's list already holds). */
export async function* streamedJson(envelope: Record<string, unknown>, key: string, pages: AsyncIterable<readonly unknown[]>): AsyncIterable<string> {
  const [head, tail] = around({ ...envelope, [key]: [] }, key);
  yield head;
  let first = true;
  for await (const page of pages) {
    if (page.length === 0) continue;
    yield listPiece(page, first);
    first = false;
  }
  yield tail;
}

/** The envelope's text before and after its list `key` (whose items go in between). */
function around(envelope: Record<string, unknown>, key: string): [head: string, tail: string] {
  const shell = JSON.stringify({ ...envelope, [key]: [] });
  // Inside a JSON string every quote is escaped, so the first `"key":[]` is the list's place.
  const marker = `${JSON.stringify(key)}:[]`;
  const inside = shell.indexOf(marker) + marker.length - 1;
  return [shell.slice(0, inside), `${shell.slice(inside)}\n`];
}

function listPiece(items: readonly unknown[], first: boolean): string {
  const text = items.map((item) => JSON.stringify(item) ?? "null").join(",");
  return first ? text : `,${text}`;
}

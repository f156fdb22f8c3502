import type { TixError } from "../../core/index.js";
import type { CommandResult } from "../result.js";

/** The contract's JSON envelope for a success. */
export function successEnvelope(result: CommandResult): Record<string, unknown> {
  const success = (fields: Record<string, unknown>) => ({ status: "success", ...fields });
  switch (result.type) {
    case "event":
      return success(result.changes === undefined ? { event: result.event } : { event: result.event, changes: result.changes });
    case "events":
      return success(result.created === undefined ? { events: result.events } : { events: result.events, created: result.created });
    case "ticket":
      return success({
        ticket: result.ticket,
        ...(result.order ? { tickets: result.order.tickets, orderId: result.order.orderId } : {}),
        ...(result.reservation ? { replayed: result.reservation.replayed, key: result.reservation.key } : {}),
        ...(result.transfer ? { from: result.transfer.from, to: result.transfer.to } : {}),
      });
    case "tickets":
    case "export":
      return success({ tickets: result.tickets });
    case "report":
      return success({ report: result.report });
    case "waitlist":
      return success({ eventId: result.eventId, waitlist: result.entries });
    case "waitlist-join":
      return success({ entry: result.outcome.entry, joined: result.outcome.joined, ticket: result.outcome.ticket });
    case "log":
      return success({ entries: result.entries });
    case "import": {
      const { created, updated, skipped, skippedCount } = result.summary;
      return success({ file: result.file, imported: created + updated, created, updated, skipped, skippedCount, seconds: result.seconds });
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

/**
 * tix's records as PostgreSQL columns: each field and the column it is stored in, so that a row
 * comes back in the record's shape — as columns aliased to the fields, or as one JSON object
 * (json_build_object), which lets one statement return a decision's whole snapshot.
 */
type Columns = ReadonlyArray<readonly [field: string, column: string]>;

export const EVENT: Columns = [
  ["id", "id"], ["name", "name"], ["venue", "venue"], ["startsAt", "starts_at"], ["capacity", "capacity"], ["held", "held"],
  ["sold", "sold"], ["holdSeconds", "hold_seconds"], ["priceMinor", "price_minor"], ["currency", "currency"],
  ["limitPerUser", "limit_per_user"], ["createdAt", "created_at"], ["updatedAt", "updated_at"], ["salesStart", "sales_start"],
  ["salesEnd", "sales_end"], ["seatMap", "seat_map"],
];
export const TIER: Columns = [
  ["name", "name"], ["capacity", "capacity"], ["priceMinor", "price_minor"], ["held", "held"], ["sold", "sold"],
  ["salesStart", "sales_start"], ["salesEnd", "sales_end"], ["accessCode", "access_code"],
];
export const TICKET: Columns = [
  ["id", "id"], ["eventId", "event_id"], ["tier", "tier"], ["orderId", "order_id"], ["userId", "user_id"], ["status", "status"],
  ["reservedAt", "reserved_at"], ["expiresAt", "expires_at"], ["purchasedAt", "purchased_at"], ["cancelledAt", "cancelled_at"],
  ["checkedInAt", "checked_in_at"], ["priceMinor", "price_minor"], ["currency", "currency"], ["cardLast4", "card_last4"],
  ["voucher", "voucher"], ["discountMinor", "discount_minor"], ["seat", "seat"],
];
export const VOUCHER: Columns = [
  ["eventId", "event_id"], ["code", "code"], ["kind", "kind"], ["value", "value"], ["maxUses", "max_uses"], ["uses", "uses"],
  ["validUntil", "valid_until"], ["tier", "tier"], ["createdAt", "created_at"],
];
export const KEY: Columns = [["userId", "user_id"], ["key", "key"], ["request", "request"], ["ticketId", "ticket_id"], ["orderId", "order_id"], ["createdAt", "created_at"]];
export const WAITING: Columns = [["eventId", "event_id"], ["userId", "user_id"], ["tier", "tier"], ["joinedAt", "joined_at"]];

/**
 * The waiting list of the event `eventId` (an SQL expression), at most `perTier` (one) entries of
 * each tier, as a subquery of waitlist rows: one tier's long line must not crowd out another's
 * first waiting user (WAITLIST_BATCH is per tier).
 */
export function waitingHead(eventId: string, perTier: string): string {
  return `(SELECT * FROM (SELECT w.*, row_number() OVER (PARTITION BY w.tier ORDER BY w.joined_at, w.seq) AS in_tier
    FROM tix.waitlist w WHERE w.event_id = ${eventId}) ranked WHERE in_tier <= ${perTier})`;
}
export const LOG: Columns = [
  ["seq", "seq"], ["at", "at"], ["actor", "actor"], ["action", "action"], ["eventId", "event_id"], ["ticketId", "ticket_id"],
  ["orderId", "order_id"], ["details", "details"],
];

/** `alias.column AS "field", …` */
export function select(columns: Columns, alias: string): string {
  return columns.map(([field, column]) => `${alias}.${column} AS "${field}"`).join(", ");
}

/** `json_build_object('field', alias.column, …)` */
export function jsonObject(columns: Columns, alias: string, extra = ""): string {
  return `json_build_object(${columns.map(([field, column]) => `'${field}', ${alias}.${column}`).join(", ")}${extra})`;
}

/**
 * `element` for each row of `from` (its FROM and WHERE), in `order`, as one JSON array ('[]' for
 * none): an ARRAY subquery, where `json_agg(… ORDER BY …)` cost the server an aggregate's set-up
 * (its transition and sort state) at every run of the statement, rows or none.
 */
export function jsonArray(element: string, from: string, order: string): string {
  return `array_to_json(ARRAY(SELECT ${element} ${from} ORDER BY ${order}))`;
}

/** An event with its tiers, in position order, as one JSON object. */
export function eventJson(alias: string): string {
  return jsonObject(EVENT, alias, `, 'tiers', ${jsonArray(jsonObject(TIER, "r"), `FROM tix.tiers r WHERE r.event_id = ${alias}.id`, "r.position")}`);
}

/** PostgreSQL answers BIGINT as text (it may exceed 2^53); tix's BIGINTs are times and amounts that never do. */
export function parseBigint(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`BIGINT ${text} is outside the exact range of a number`);
  return value;
}

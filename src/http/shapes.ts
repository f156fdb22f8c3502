import { MAX_HOLD_SECONDS, given, invalidArgument, invalidArgumentNamed, isTixError, parseTierName, validateIdempotencyKey, type EventFields, type EventView, type FieldChange, type SeatMapView, type TicketView, type VoucherFields, type VoucherView } from "../core/index.js";

/**
 * The seed's wire shapes: PascalCase names, ticket statuses capitalised ("Reserved"). Only the
 * casing differs from the contract's JSON (src/core/views.ts); the values are the same.
 */
export interface TicketBody {
  Id: string;
  EventId: string;
  UserId: string;
  Status: "Reserved" | "Purchased" | "Cancelled" | "Expired";
  ReservedAt: string;
  ExpiresAt: string;
  PurchasedAt: string | null;
  CancelledAt: string | null;
  Price: string;
  PriceMinor: number;
  Currency: string;
  CardLast4: string | null;
  Tier: string;
  OrderId: string;
  CheckedInAt: string | null;
  Voucher: string | null;
  Discount: string;
  DiscountMinor: number;
  /** The seat (`Stalls:A12`) on a seated event; null for general admission. */
  Seat: string | null;
}

export interface EventBody {
  Id: string;
  Name: string;
  Venue: string | null;
  StartsAt: string | null;
  /** The seed's name for `StartsAt`; the same value. */
  Date: string | null;
  Capacity: number;
  Held: number;
  Sold: number;
  Available: number;
  HoldSeconds: number;
  Price: string;
  PriceMinor: number;
  Currency: string;
  Tiers: Array<{
    Name: string; Capacity: number; Held: number; Sold: number; Available: number; Price: string; PriceMinor: number;
    SalesStart: string | null; SalesEnd: string | null; RequiresCode: boolean;
  }>;
  /** The seed's view of the tiers: each one's name and price. */
  TicketTypes: Array<{ Name: string; Price: string }>;
  LimitPerUser: number | null;
  SalesStart: string | null;
  SalesEnd: string | null;
  /** True when the event sells seats (`GET /events/{id}/seats`). */
  Seated: boolean;
}

export function ticketBody(ticket: TicketView): TicketBody {
  return {
    Id: ticket.id,
    EventId: ticket.eventId,
    UserId: ticket.userId,
    Status: capitalise(ticket.status),
    ReservedAt: ticket.reservedAt,
    ExpiresAt: ticket.expiresAt,
    PurchasedAt: ticket.purchasedAt,
    CancelledAt: ticket.cancelledAt,
    Price: ticket.price,
    PriceMinor: ticket.priceMinor,
    Currency: ticket.currency,
    CardLast4: ticket.cardLast4,
    Tier: ticket.tier,
    OrderId: ticket.orderId,
    CheckedInAt: ticket.checkedInAt,
    Voucher: ticket.voucher,
    Discount: ticket.discount,
    DiscountMinor: ticket.discountMinor,
    Seat: ticket.seat,
  };
}

export function eventBody(event: EventView): EventBody {
  return {
    Id: event.id,
    Name: event.name,
    Venue: event.venue,
    StartsAt: event.startsAt,
    Date: event.startsAt,
    Capacity: event.capacity,
    Held: event.held,
    Sold: event.sold,
    Available: event.available,
    HoldSeconds: event.holdSeconds,
    Price: event.price,
    PriceMinor: event.priceMinor,
    Currency: event.currency,
    Tiers: event.tiers.map((tier) => ({
      Name: tier.name, Capacity: tier.capacity, Held: tier.held, Sold: tier.sold, Available: tier.available, Price: tier.price, PriceMinor: tier.priceMinor,
      SalesStart: tier.salesStart, SalesEnd: tier.salesEnd, RequiresCode: tier.requiresCode,
    })),
    TicketTypes: event.tiers.map((tier) => ({ Name: tier.name, Price: tier.price })),
    LimitPerUser: event.limitPerUser,
    SalesStart: event.salesStart,
    SalesEnd: event.salesEnd,
    Seated: event.seated,
  };
}

export function voucherBody(voucher: VoucherView) {
  return {
    EventId: voucher.eventId, Code: voucher.code, Discount: voucher.discount, Percent: voucher.percent, Amount: voucher.amount,
    AmountMinor: voucher.amountMinor, MaxUses: voucher.maxUses, Uses: voucher.uses, ValidUntil: voucher.validUntil, Tier: voucher.tier,
    CreatedAt: voucher.createdAt,
  };
}

/** `GET /events/{id}/availability`: the seed's `Available`, with the counts behind it. */
export function availabilityBody(event: EventView) {
  return {
    EventId: event.id,
    Available: event.available,
    Capacity: event.capacity,
    Held: event.held,
    Sold: event.sold,
    Tiers: event.tiers.map((tier) => ({ Name: tier.name, Available: tier.available })),
  };
}

/** `GET /events/{id}/seats`: the map with each seat's state, in PascalCase; `Yours` only for a viewer who is known. */
export function seatsBody(view: SeatMapView, known: boolean) {
  return {
    Capacity: view.capacity,
    Free: view.free,
    Held: view.held,
    Sold: view.sold,
    ...(known ? { Yours: view.yours } : {}),
    Sections: view.sections.map((section) => ({
      Name: section.name,
      Tier: section.tier,
      Rows: section.rows.map((row) => ({
        Row: row.row,
        GapBefore: row.gapBefore,
        Seats: row.seats.map((seat) => ({ Seat: seat.seat, Number: seat.number, State: seat.state, GapBefore: seat.gapBefore })),
      })),
    })),
  };
}

/**
 * `POST /tickets/{eventId}/reserve` body, all optional: `Quantity`, `Tier`, `Code` (a tier's access code), and on a seated event
 * `Seats` (`["A12","A13"]` or `"A12,A13"`) or `AllowSplit`. No body: one ticket, as the seed sends.
 */
export function reserveOf(body: JsonObject): { quantity?: string | number; tier?: string; code?: string; seats?: string | string[]; allowSplit?: boolean } {
  const asked: ReturnType<typeof reserveOf> = {};
  // The seed's clients send no body: nothing to look up, under either spelling.
  if (isEmpty(body)) return asked;
  const quantity = textOrNumber(body, "Quantity");
  const tier = text(body, "Tier");
  const code = optionalText(body, "Code") ?? optionalText(body, "AccessCode");
  if (code !== undefined) asked.code = code;
  const seats = field(body, "Seats");
  const allowSplit = field(body, "AllowSplit");
  if (quantity !== undefined) asked.quantity = quantity;
  if (tier != null) asked.tier = tier;
  // An empty list is no particular seats, as null is: a typed client's model (C#'s
  // `List<string> Seats = new()`) sends `"Seats":[]` with its Quantity. It was 400 "with no empty name".
  if (seats !== undefined && seats !== null && !(Array.isArray(seats) && seats.length === 0)) {
    if (typeof seats === "string") asked.seats = seats;
    else if (Array.isArray(seats) && seats.every((seat) => typeof seat === "string")) asked.seats = seats as string[];
    else throw invalidArgument("Seats", 'must be a list of seat names ["A12","A13"], or "A12,A13"');
  }
  if (allowSplit !== undefined && allowSplit !== null) {
    if (typeof allowSplit !== "boolean") throw invalidArgument("AllowSplit", "must be true or false");
    asked.allowSplit = allowSplit;
  }
  return asked;
}

/**
 * An idempotency key sent in the body (`IdempotencyKey`, in any case: `idempotencyKey` from
 * JavaScript): a client whose request model carries its key. The header is the API's (the seed's,
 * the IETF draft's); this one is used when no header is sent (`keyOf`). Checked as the library
 * checks a key (1 to 255 printable characters: a JSON string is the client's text, where a
 * header's bytes are not) and named as sent. Null is left out.
 */
export function bodyKeyOf(body: JsonObject): { key: string; name: string } | undefined {
  if (isEmpty(body)) return undefined;
  const name = spelledAs(body, "IdempotencyKey");
  const value = name === undefined ? undefined : body[name];
  if (name === undefined || value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalidArgument(name, 'must be a string, e.g. {"IdempotencyKey": "order-1001"}');
  try {
    return { key: validateIdempotencyKey(value), name };
  } catch (error) {
    throw isTixError(error) && error.code === "INVALID_ARGUMENT" ? invalidArgument(name, error.detail) : error;
  }
}

/** What an update changed, in the answer's PascalCase. */
export function changesBody(changes: readonly FieldChange[]) {
  return changes.map((change) => ({
    Field: change.field,
    ...(change.tier === undefined ? {} : { Tier: change.tier }),
    From: change.from,
    To: change.to,
  }));
}

/**
 * The engine's field names as a request spells them: an INVALID_ARGUMENT names what the client
 * sent (`Capacity:`, `SalesEnd:`, the `Idempotency-Key` header), as the CLI names its flags.
 */
export const BODY_FIELD_NAMES: Readonly<Record<string, string>> = {
  id: "Id", name: "Name", venue: "Venue", startsAt: "StartsAt", capacity: "Capacity", hold: "Hold", price: "Price",
  currency: "Currency", tier: "Tier", limitPerUser: "LimitPerUser", salesStart: "SalesStart", salesEnd: "SalesEnd",
  quantity: "Quantity", seats: "Seats", code: "Code", card: "Card", to: "To", percent: "Percent", amount: "Amount",
  maxUses: "MaxUses", validUntil: "ValidUntil", key: "Idempotency-Key", seatMap: "SeatMap", voucher: "Voucher",
  // Ids in a path (`/tickets/{eventId}/reserve`), and the user a token names.
  eventId: "event id", ticketId: "ticket id", userId: "user",
};

function capitalise<T extends string>(text: T): Capitalize<T> {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}` as Capitalize<T>;
}

/** A request body: a JSON object, or nothing. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** Whether the body has no field at all (without making an array of its names). */
function isEmpty(body: JsonObject): boolean {
  for (const _name in body) return false;
  return true;
}

/**
 * A body's field by its name in any case, as the seed's ASP.NET reads one (its web defaults match
 * property names case-insensitively): PascalCase from the seed's clients, camelCase from
 * JavaScript's, `startsat` or `CAPACITY` from anyone else — such a name was ignored in silence,
 * and the event made without it. Given twice in two cases (`{"Capacity":5,"capacity":6000}`) is
 * refused: which one the client meant is a guess.
 */
function field(body: JsonObject, pascalName: string): unknown {
  const found = spelledAs(body, pascalName);
  // Present is present: `"Venue": null` is returned as null (it clears the venue).
  return found === undefined ? undefined : body[found];
}

/** The name `pascalName` has in the body, in whatever case it was sent (undefined: not sent); sent in two cases, refused. */
function spelledAs(body: JsonObject, pascalName: string): string | undefined {
  const lower = pascalName.toLowerCase();
  let found: string | undefined;
  for (const name in body) {
    if (name.length !== lower.length || name.toLowerCase() !== lower) continue;
    if (found !== undefined) throw invalidArgument(pascalName, `given both as ${found} and as ${name}; send one`);
    found = name;
  }
  return found;
}

/**
 * A string field. `null` is a value only where it means something (`nullable`: `"Venue": null`
 * clears the venue); elsewhere it is the field left out, as ASP.NET binds a null to a nullable
 * property: System.Text.Json writes a model's null properties (`"Id": null` on a new event,
 * `"Tier": null`), and such a client's request was refused (`Id: must be a string`).
 */
function text(body: JsonObject, name: string, { nullable = false } = {}): string | null | undefined {
  const value = field(body, name);
  if (value === undefined) return undefined;
  if (value === null) return nullable ? null : undefined;
  if (typeof value !== "string") throw invalidArgument(name, `must be a string${nullable ? " or null" : ""}`);
  return value;
}

/** Numbers are taken as written (JSON `45.5` is the amount "45.5"): money never passes through arithmetic. Null is left out, as in text(). */
function textOrNumber(body: JsonObject, name: string): string | number | undefined {
  const value = field(body, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string" || typeof value === "number") return value;
  throw invalidArgument(name, "must be a string or a number");
}

/**
 * `HoldSeconds`: whole seconds, as a JSON number or a number written as a string (`"600"`), as
 * ASP.NET's web defaults read numbers (JsonNumberHandling.AllowReadingFromString) for the seed.
 */
function holdSeconds(body: JsonObject): number | undefined {
  const value = textOrNumber(body, "HoldSeconds");
  if (value === undefined) return undefined;
  const seconds = typeof value === "number" ? value : /^\s*\d{1,9}\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > MAX_HOLD_SECONDS) {
    throw invalidArgument("HoldSeconds", `must be whole seconds from 1 to ${MAX_HOLD_SECONDS}, got ${given(value)}`);
  }
  return seconds;
}

/**
 * The seed's `Date` as a .NET client serializes a DateTime (`2030-06-15T20:00:00.1234567Z`, seven
 * digits) cut to the millisecond tix keeps, as it always was: the engine refuses a finer time (a
 * person's typo, or a loss said nowhere), but the seed's clients work unchanged.
 */
function toMilliseconds(time: string): string {
  return time.replace(/(\.\d{3})\d+/, "$1");
}

/**
 * `StartsAt`, or the seed's `Date`: one time under two names. An event's answer carries both, so a
 * client that reads one and sends it back sends both, the same time: that is one time. Two
 * different times (the seed's `Date` changed, `StartsAt` left as read) are refused: which one is
 * meant is a guess, and `Date` was dropped in silence (the event kept its old time, answered 200).
 */
function startsAtOf(body: JsonObject): string | null | undefined {
  const startsAt = text(body, "StartsAt", { nullable: true });
  const date = text(body, "Date", { nullable: true });
  if (startsAt === undefined || date === undefined) return startsAt ?? date;
  if (startsAt === date) return startsAt;
  const instant = (time: string | null) => (time === null ? Number.NaN : Date.parse(toMilliseconds(time)));
  if (startsAt !== null && date !== null && Number.isFinite(instant(startsAt)) && instant(startsAt) === instant(date)) return startsAt;
  throw invalidArgument("Date", `given both as StartsAt (${JSON.stringify(startsAt)}) and as Date (${JSON.stringify(date)}), two different times; send one`);
}

/**
 * How the request spelled the event's start time, for its errors: `Date` when it sent the seed's
 * name alone (a bad `Date` was reported as `StartsAt:`, a name the client never sent).
 */
export function startsAtNameOf(body: JsonObject): string {
  return field(body, "StartsAt") === undefined && field(body, "Date") !== undefined ? "Date" : "StartsAt";
}

/** `Hold` (a duration) or `HoldSeconds`: one at a time, as a field in two cases (HoldSeconds was dropped unread). */
function holdOf(body: JsonObject): string | number | undefined {
  const hold = textOrNumber(body, "Hold");
  if (hold === undefined) return holdSeconds(body);
  if (field(body, "HoldSeconds") != null) {
    throw invalidArgument("HoldSeconds", `given both as ${spelledAs(body, "Hold")} and as ${spelledAs(body, "HoldSeconds")}; send one`);
  }
  return hold;
}

/**
 * `POST /events`, `PUT` and `PATCH /events/{id}` bodies → the engine's event fields. The seed's
 * names are read too: `Date` for `StartsAt`, `TicketTypes` for the tiers.
 */
export function eventFieldsOf(body: JsonObject): EventFields & { id?: string } {
  const fields: EventFields & { id?: string } = {};
  const id = text(body, "Id");
  const name = text(body, "Name");
  const venue = text(body, "Venue", { nullable: true });
  const startsAt = startsAtOf(body);
  const capacity = textOrNumber(body, "Capacity");
  const hold = holdOf(body);
  const price = textOrNumber(body, "Price");
  const currency = text(body, "Currency");
  const salesStart = text(body, "SalesStart", { nullable: true });
  const salesEnd = text(body, "SalesEnd", { nullable: true });
  // As the answer gives it: a client that reads an event, changes LimitPerUser and sends it back had it dropped in silence.
  const limitPerUser = field(body, "LimitPerUser");
  if (limitPerUser !== undefined) {
    if (limitPerUser !== null && typeof limitPerUser !== "number" && typeof limitPerUser !== "string") {
      throw invalidArgument("LimitPerUser", 'must be a whole number, or null (or "none") for no limit');
    }
    fields.limitPerUser = limitPerUser;
  }
  if (salesStart !== undefined) fields.salesStart = salesStart;
  if (salesEnd !== undefined) fields.salesEnd = salesEnd;
  if (id != null) fields.id = id;
  if (name != null) fields.name = name;
  if (venue !== undefined) fields.venue = venue;
  if (startsAt !== undefined) fields.startsAt = startsAt === null ? null : toMilliseconds(startsAt);
  if (capacity !== undefined) fields.capacity = capacity;
  if (hold !== undefined) fields.hold = hold;
  // A JSON number passed as one: the library reads it as written and shows it so in a refusal (got -1, not "-1").
  if (price !== undefined) fields.price = price;
  if (currency != null) fields.currency = currency;
  const seated = seatMapOf(body, fields);
  const tiers = ticketTypesOf(body, capacity, seated);
  if (tiers) fields.tiers = tiers;
  // An event read and sent back whole (a client's object, one field changed, then PUT) carries the
  // answer's Price, the lowest of its TicketTypes' prices: beside the types whose lowest price it
  // is, it is no price of its own (it was 400 "an event with tiers has a price in each tier").
  if (price !== undefined && tiers !== undefined && isLowestPrice(price, tiers)) delete fields.price;
  return fields;
}

/** Whether `price` is the lowest of the types' prices, every type giving one (as an event's answer shows them). */
function isLowestPrice(price: string | number, tiers: NonNullable<EventFields["tiers"]>): boolean {
  const amount = (value: unknown) => (typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : Number.NaN);
  const prices = tiers.map((tier) => (typeof tier === "object" ? amount(tier.price) : Number.NaN));
  return prices.length > 0 && prices.every((each) => Number.isFinite(each)) && amount(price) === Math.min(...prices);
}

/** `Seats` (compact specs, `["Floor:A-T:1-30"]`) or `SeatMap` (a venue file's JSON): a seated event. */
function seatMapOf(body: JsonObject, fields: EventFields): boolean {
  const seats = field(body, "Seats");
  const seatMap = field(body, "SeatMap");
  if (seats !== undefined && seats !== null) {
    if (!Array.isArray(seats) || !seats.every((spec) => typeof spec === "string")) {
      throw invalidArgument("Seats", 'must be a list of compact specs, e.g. ["Floor:A-T:1-30"]');
    }
    fields.seats = seats as string[];
  }
  if (seatMap !== undefined && seatMap !== null) {
    if (typeof seatMap !== "object" || Array.isArray(seatMap)) throw invalidArgument("SeatMap", 'must be a venue map {"sections": [...]}');
    fields.seatMap = seatMap as JsonObject;
  }
  return fields.seats !== undefined || fields.seatMap !== undefined;
}

/**
 * The seed's `TicketTypes` — `[{"Name","Price"}]` or `{"Name": price}` — as tiers. tix sells each
 * tier from its own capacity: a single type takes the event's `Capacity`; with several, a new one
 * needs its own `Capacity` (dividing one capacity among them would invent a split nobody asked
 * for). On an update a type without `Capacity` keeps its tier's, and one without `Price` its price;
 * a new tier without a price is free.
 */
function ticketTypesOf(body: JsonObject, eventCapacity: string | number | undefined, seated: boolean): EventFields["tiers"] {
  const given = field(body, "TicketTypes");
  if (given === undefined || given === null) return undefined;
  let types: JsonObject[];
  if (Array.isArray(given)) {
    types = given.map((item: unknown) => {
      if (typeof item !== "object" || item === null || Array.isArray(item)) throw invalidArgument("TicketTypes", 'each ticket type must be an object {"Name","Price"}');
      return item as JsonObject;
    });
  } else if (typeof given === "object") {
    types = Object.entries(given as JsonObject).map(([Name, Price]) => ({ Name, Price }));
  } else {
    throw invalidArgument("TicketTypes", 'must be a list [{"Name","Price"}] or an object {"Name": price}');
  }
  if (types.length === 0) return undefined;
  return types.map((type, index) => {
    try {
      return ticketTypeOf(type, types.length === 1 ? eventCapacity : undefined, seated);
    } catch (error) {
      // In the object form `{"General": 89.00}` the value is the price.
      throw inTicketType(error, (field) => (Array.isArray(given) ? `TicketTypes[${index}].${field}` : field === "Price" ? `TicketTypes.${String(type.Name)}` : `TicketTypes.${String(type.Name)}.${field}`));
    }
  });
}

/**
 * A ticket type's own field named where the request has it (`TicketTypes[1].Name: must be a
 * string`): it said `Name: must be a string`, which reads as the event's name, and a bad type name
 * was `Tier: …`, a name an event body never has.
 */
function inTicketType(error: unknown, where: (field: string) => string): unknown {
  if (!isTixError(error) || error.code !== "INVALID_ARGUMENT" || error.field === undefined || error.selfNamed || error.field === "TicketTypes") return error;
  return invalidArgumentNamed(error.field, `${where(error.field === "tier" ? "Name" : error.field)}: ${error.detail}`);
}

function ticketTypeOf(type: JsonObject, eventCapacity: string | number | undefined, seated: boolean): NonNullable<EventFields["tiers"]>[number] {
  const name = text(type, "Name");
  const price = textOrNumber(type, "Price");
  const capacity = textOrNumber(type, "Capacity") ?? eventCapacity;
  if (name == null) throw invalidArgument("TicketTypes", "each ticket type needs a Name");
  parseTierName(name); // refused as the engine would, but named as this body has it
  const accessCode = text(type, "AccessCode", { nullable: true });
  const rules = {
    code: accessCode !== undefined ? accessCode : text(type, "Code", { nullable: true }),
    salesStart: text(type, "SalesStart", { nullable: true }), salesEnd: text(type, "SalesEnd", { nullable: true }),
  };
  // Seated: a tier's capacity is its seats in the map; its price (and rules) are given.
  if (seated && textOrNumber(type, "Capacity") === undefined) return { name, price: price ?? "", ...rules };
  // Without one, an existing tier keeps its capacity (as it keeps its price); a new tier is refused.
  return { name, capacity, price: price ?? "", ...rules };
}

/** A string field the request must have (PascalCase or camelCase); null counts as left out. */
export function requiredText(body: JsonObject, name: string, example: string): string {
  const value = field(body, name);
  if (value === undefined || value === null) throw invalidArgument(name, `is required, e.g. {"${name}": "${example}"}`);
  if (typeof value !== "string") throw invalidArgument(name, `must be a string, e.g. {"${name}": "${example}"}`);
  return value;
}

/** An optional string field (PascalCase or camelCase); null counts as left out. */
export function optionalText(body: JsonObject, name: string): string | undefined {
  return text(body, name, { nullable: true }) ?? undefined;
}

/** `POST /events/{id}/vouchers`: `{"Code","Percent"|"Amount","MaxUses","ValidUntil","Tier"}`. */
export function voucherFieldsOf(body: JsonObject): Omit<VoucherFields, "eventId"> {
  const code = requiredText(body, "Code", "SPRING");
  const percent = textOrNumber(body, "Percent");
  const amount = textOrNumber(body, "Amount");
  // The discount is one of two fields: named as the body spells them (the engine's words are the library's).
  if (percent === undefined && amount === undefined) throw invalidArgument("Percent", 'is required, or Amount, e.g. {"Percent": 20} or {"Amount": "5.00"}');
  if (percent !== undefined && amount !== undefined) throw invalidArgument("Amount", "given with Percent; send one of them");
  const maxUses = textOrNumber(body, "MaxUses");
  return {
    code,
    percent,
    amount,
    maxUses,
    validUntil: optionalText(body, "ValidUntil"),
    tier: optionalText(body, "Tier"),
  };
}

/** `POST /tickets/{id}/purchase` body: `{"Card": "4242 4242 4242 4242"}`, optional. */
export function cardOf(body: JsonObject): string | undefined {
  return text(body, "Card") ?? text(body, "CardNumber") ?? undefined;
}

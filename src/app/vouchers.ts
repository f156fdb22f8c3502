import { eventNotFound, invalidArgument, parseCode, parseLookupId, parseUserId, parseVoucherInput, toVoucherView, type VoucherFields, type VoucherView } from "../core/index.js";
import type { TixStore, VoucherRecord } from "../core/index.js";
import { LIBRARY_ACTOR, type Actor } from "./events.js";
import { pageLimit } from "./page-limit.js";
import { fieldsOf, optionalRequest, requestObject } from "./request.js";

export interface VoucherQuery {
  /** Only this event's vouchers. */
  eventId?: string | undefined;
}

const VOUCHER_FIELDS = fieldsOf<VoucherFields & Actor>()("eventId", "code", "percent", "amount", "maxUses", "validUntil", "tier", "actor");

/** Vouchers: discount codes of an event, redeemed by `purchase` (`voucher`). */
export class VoucherUseCases {
  /** Held in a private field: a program sees only the methods (`tix.vouchers.store` is not there to write through). */
  readonly #store: TixStore;

  constructor(store: TixStore) {
    this.#store = store;
  }

  /** A new voucher: `percent` (1–100) or `amount` off each ticket, at most `maxUses` tickets, until `validUntil`, for one `tier` or all. */
  async create(request: VoucherFields & Actor): Promise<VoucherView> {
    const { actor = LIBRARY_ACTOR, ...fields } = requestObject(request, "vouchers.create", '{ eventId, code: "SPRING", percent: 10 }', VOUCHER_FIELDS);
    const parsed = parseVoucherInput({ ...fields, eventId: parseLookupId(fields.eventId, "eventId") }, parseUserId(actor, "actor"));
    const voucher = await this.#store.createVoucher(parsed);
    return this.#view([voucher]).then(([view]) => view!);
  }

  /**
   * An event's vouchers with their uses (every event's without one), oldest first:
   * `list({ eventId })`, as every other list takes its filter; `list(eventId)` is read the same.
   */
  async list(filter?: VoucherQuery | string): Promise<VoucherView[]> {
    const { eventId } = typeof filter === "string" ? { eventId: filter } : optionalRequest(filter, "vouchers.list", "{ eventId }", ["eventId"]);
    const id = eventId === undefined ? undefined : parseLookupId(eventId, "eventId");
    if (id !== undefined && !(await this.#store.getEvent(id))) throw eventNotFound(id);
    return this.#view(await this.#store.listVouchers(id));
  }

  /**
   * One page of an event's vouchers, oldest first: at most `limit` (1 to 100,000) after the voucher
   * `after` (the last code of the previous page; left out for the first). `next`: what to pass as
   * `after` for the following page, or null when this page is the last.
   */
  async page(request: { eventId: string; limit: number; after?: string | undefined }): Promise<{ vouchers: VoucherView[]; next: string | null }> {
    const { eventId, limit, after: afterCode } = requestObject(request, "vouchers.page", "{ eventId, limit: 100, after }", ["eventId", "limit", "after"]);
    pageLimit(limit);
    const id = parseLookupId(eventId, "eventId");
    // A code, checked as one: a number or an object went to the store as is ("no voucher [object Object]").
    const after = afterCode === undefined ? undefined : parseCode(afterCode, "after");
    if (!(await this.#store.getEvent(id))) throw eventNotFound(id);
    const vouchers = await this.#store.listVouchers(id, { limit: limit + 1, after });
    // An unknown `after` gives an empty page, which must not read as "the end of the list".
    if (vouchers.length === 0 && after !== undefined && (await this.#store.listVouchers(id)).every((voucher) => voucher.code !== after)) {
      throw invalidArgument("after", `no voucher ${after} for event ${id}; give the last code of the previous page`);
    }
    const shown = vouchers.slice(0, limit);
    return { vouchers: await this.#view(shown), next: vouchers.length > limit ? shown[shown.length - 1]!.code : null };
  }

  /** Amounts are shown in their event's currency. */
  async #view(vouchers: readonly VoucherRecord[]): Promise<VoucherView[]> {
    const currencies = new Map<string, string>();
    for (const voucher of vouchers) {
      if (!currencies.has(voucher.eventId)) currencies.set(voucher.eventId, (await this.#store.getEvent(voucher.eventId))?.currency ?? "USD");
    }
    return vouchers.map((voucher) => toVoucherView(voucher, currencies.get(voucher.eventId)!));
  }
}

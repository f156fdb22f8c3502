import { parseCode, parseLookupId, parseTierName, parseUserId, toTicketView, toWaitlistView, type TicketView, type WaitlistEntryView } from "../core/index.js";
import type { TixStore } from "../core/index.js";
import { ensureEvent, withSuggestions } from "./suggest.js";
import { fieldsOf, requestObject } from "./request.js";

export interface JoinOutcome {
  entry: WaitlistEntryView;
  /** False when the user was already waiting. */
  joined: boolean;
  /** A hold given at once, when a place was free. */
  ticket: TicketView | null;
}

/** Waiting lists: when a place is released, the first waiting user is given a hold. */
const JOIN_FIELDS = fieldsOf<Parameters<WaitlistUseCases["join"]>[0]>()("eventId", "userId", "tier", "code");
const LEAVE_FIELDS = fieldsOf<Parameters<WaitlistUseCases["leave"]>[0]>()("eventId", "userId");

export class WaitlistUseCases {
  /** Held in a private field: a program sees only the methods (`tix.waitlist.store` is not there to write through). */
  readonly #store: TixStore;

  constructor(store: TixStore) {
    this.#store = store;
  }

  /** `code`: the access code of a tier that requires one. */
  async join(request: { eventId: string; userId: string; tier?: string | undefined; code?: string | undefined }): Promise<JoinOutcome> {
    requestObject(request, "waitlist.join", "{ eventId, userId }", JOIN_FIELDS);
    const eventId = parseLookupId(request.eventId, "eventId");
    const { entry, joined, ticket } = await withSuggestions(this.#store, { eventId }, () => this.#store.joinWaitlist({
      eventId,
      userId: parseUserId(request.userId, "userId"),
      tier: request.tier === undefined ? undefined : parseTierName(request.tier),
      code: request.code === undefined ? undefined : parseCode(request.code, "code"),
    }));
    const position = ticket ? 0 : await this.#store.waitlistPosition({ eventId, userId: entry.userId });
    return {
      entry: { ...toWaitlistView([entry])[0]!, position },
      joined,
      ticket: ticket ? toTicketView(ticket) : null,
    };
  }

  async leave(request: { eventId: string; userId: string }): Promise<void> {
    requestObject(request, "waitlist.leave", "{ eventId, userId }", LEAVE_FIELDS);
    const eventId = parseLookupId(request.eventId, "eventId");
    const userId = parseUserId(request.userId, "userId");
    await withSuggestions(this.#store, { eventId }, () => this.#store.leaveWaitlist({ eventId, userId }));
  }

  /** The waiting users of an event, first in line first. */
  async show(eventId: string): Promise<WaitlistEntryView[]> {
    const id = parseLookupId(eventId, "eventId");
    await ensureEvent(this.#store, id);
    return toWaitlistView(await this.#store.listWaitlist(id));
  }

}

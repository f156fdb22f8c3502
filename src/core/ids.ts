import { customAlphabet } from "nanoid";
import type { IdSource } from "./model.js";

// Unambiguous, URL- and shell-safe alphabet; 16 characters ≈ 95 bits of randomness.
const randomPart = customAlphabet("0123456789abcdefghijkmnopqrstuvwxyz", 16);

export const newEventId = (): string => `evt_${randomPart()}`;
export const newTicketId = (): string => `tkt_${randomPart()}`;
export const newIdempotencyKey = (): string => `key_${randomPart()}`;

/** Ids chosen by users (`event create --id`) follow the same shape as generated ones. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const newOrderId = (): string => `ord_${randomPart()}`;

/** Purchase and cancel take a ticket id or an order id, told apart by prefix (as Stripe routes ids). */
export const isOrderId = (id: string): boolean => id.startsWith("ord_");

/** The ids every store gives what a decision creates; tests inject their own IdSource instead. */
export const RANDOM_IDS: IdSource = { ticket: newTicketId, order: newOrderId };

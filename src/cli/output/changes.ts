import { formatDuration, type FieldChange, type LeftWaitlist } from "../../core/index.js";
import { UNICODE_MARKS, type Marks } from "./style.js";
import { escapeControl } from "./text.js";

const LABELS: Readonly<Record<FieldChange["field"], string>> = {
  name: "name",
  venue: "venue",
  startsAt: "starts",
  capacity: "capacity",
  price: "price",
  holdSeconds: "hold",
  limitPerUser: "limit per user",
  tier: "tier",
  salesStart: "sales start",
  salesEnd: "sales end",
  accessCode: "access code",
  seats: "seat map",
};

/** A field's name as people read it (`holdSeconds` → "hold"). */
export function fieldLabel(field: FieldChange["field"]): string {
  return LABELS[field];
}

/**
 * `price 89.00 → 45.00` (`->` in the style's ASCII marks), one line per change; names are shown
 * with their control characters escaped.
 */
export function describeChanges(changes: readonly FieldChange[], marks: Marks = UNICODE_MARKS): string[] {
  return changes.map((change) => {
    if (change.field === "tier") return `tier ${escapeControl(change.tier ?? "")} added (${escapeControl(String(change.to))})`;
    const label = change.tier === undefined ? LABELS[change.field] : `${escapeControl(change.tier)} ${LABELS[change.field]}`;
    return `${label} ${shown(change, change.from)} ${marks.arrow} ${shown(change, change.to)}`;
  });
}

function shown(change: FieldChange, value: FieldChange["from"]): string {
  if (value === null) return change.field === "limitPerUser" ? "one hold at a time" : "none";
  if (change.field === "holdSeconds" && typeof value === "number") return formatDuration(value);
  if (change.field === "accessCode") return "(hidden)";
  if (change.field === "name" || change.field === "venue") return `"${escapeControl(String(value))}"`;
  return String(value);
}

/** Waiting users named one a line up to this many; the rest are counted. */
const LEFT_SHOWN = 10;

/** `carol left the waiting list for GA (sales not open yet)`; with `eventId`, `… the waiting list of event E for …`. */
export function leftWaitlistLine(user: LeftWaitlist, eventId?: string): string {
  const list = eventId === undefined ? "the waiting list" : `the waiting list of event ${eventId}`;
  return `${escapeControl(user.userId)} left ${list} for ${escapeControl(user.tier)} (${user.reason})`;
}

/** One line per user (leftWaitlistLine) up to LEFT_SHOWN, then a count. */
function describeLeftWaitlist(left: readonly LeftWaitlist[], marks: Marks): string[] {
  const lines = left.slice(0, LEFT_SHOWN).map((user) => leftWaitlistLine(user));
  if (left.length > LEFT_SHOWN) lines.push(`${marks.ellipsis} and ${left.length - LEFT_SHOWN} more left the waiting list`);
  return lines;
}

/** What an update did, a line each: the fields it changed, then the waiting users it took off the list. */
export function updateLines(changes: readonly FieldChange[], leftWaitlist: readonly LeftWaitlist[] = [], marks: Marks = UNICODE_MARKS): string[] {
  return [...describeChanges(changes, marks), ...describeLeftWaitlist(leftWaitlist, marks)];
}

/**
 * The success line of an update: what changed (fields, and waiting users it took off the list), or
 * that nothing did. It starts with ✓, which the note shows in the style's marks (see render.ts).
 */
export function updatedMessage(eventId: string, changes: readonly FieldChange[], leftWaitlist: readonly LeftWaitlist[] = [], marks: Marks = UNICODE_MARKS): string {
  if (changes.length === 0 && leftWaitlist.length === 0) return `✓ Event ${eventId} unchanged: every field given already had that value`;
  return [`✓ Updated event ${eventId}:`, ...updateLines(changes, leftWaitlist, marks).map((line) => `  ${line}`)].join("\n");
}

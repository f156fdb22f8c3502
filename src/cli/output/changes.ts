import { formatDuration, type FieldChange } from "../../core/index.js";
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

/** `price 89.00 → 45.00`, one line per change; names are shown with their control characters escaped. */
export function describeChanges(changes: readonly FieldChange[]): string[] {
  return changes.map((change) => {
    if (change.field === "tier") return `tier ${escapeControl(change.tier ?? "")} added (${escapeControl(String(change.to))})`;
    const label = change.tier === undefined ? LABELS[change.field] : `${escapeControl(change.tier)} ${LABELS[change.field]}`;
    return `${label} ${shown(change, change.from)} → ${shown(change, change.to)}`;
  });
}

function shown(change: FieldChange, value: FieldChange["from"]): string {
  if (value === null) return change.field === "limitPerUser" ? "one hold at a time" : "none";
  if (change.field === "holdSeconds" && typeof value === "number") return formatDuration(value);
  if (change.field === "accessCode") return "(hidden)";
  if (change.field === "name" || change.field === "venue") return `"${escapeControl(String(value))}"`;
  return String(value);
}

/** The success line of an update: what changed, or that nothing did. */
export function updatedMessage(eventId: string, changes: readonly FieldChange[]): string {
  if (changes.length === 0) return `✓ Event ${eventId} unchanged: every field given already had that value`;
  return [`✓ Updated event ${eventId}:`, ...describeChanges(changes).map((line) => `  ${line}`)].join("\n");
}

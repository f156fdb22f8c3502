import { Chalk, type ChalkInstance } from "chalk";
import type { TicketStatus } from "../../core/index.js";

/** Colour comes from one switch (see io.ts); chalk's own detection is not consulted. */
export interface Style {
  readonly enabled: boolean;
  readonly chalk: ChalkInstance;
  statusColor(status: TicketStatus): (text: string) => string;
}

/** The two styles, each made once: a batch resolves its options on every line. */
const styles = new Map<boolean, Style>();

export function createStyle(enabled: boolean): Style {
  let style = styles.get(enabled);
  if (style === undefined) styles.set(enabled, (style = newStyle(enabled)));
  return style;
}

function newStyle(enabled: boolean): Style {
  const chalk = enabled ? new Chalk({ level: 1 }) : plain;
  const statusColors: Record<TicketStatus, ChalkInstance> = {
    reserved: chalk.yellow,
    purchased: chalk.green,
    cancelled: chalk.dim,
    expired: chalk.red,
  };
  return { enabled, chalk, statusColor: (status) => statusColors[status] };
}

/**
 * Chalk without colour (level 0), without loading chalk: every style, however chained, answers
 * its text as it is. Output without colour — every script's, every pipe's — never initialises
 * chalk (scripts/build.mjs, trick 8a).
 */
const plain: ChalkInstance = new Proxy(
  (...texts: unknown[]) => (texts.length === 1 ? String(texts[0]) : texts.join(" ")),
  { get: (_target, key) => (key === "level" ? 0 : plain) },
) as unknown as ChalkInstance;

import { Chalk, type ChalkInstance } from "chalk";
import type { TicketStatus } from "../../core/index.js";

/** Colour comes from one switch (see io.ts); chalk's own detection is not consulted. */
export interface Style {
  readonly enabled: boolean;
  /**
   * Pictures (bars, the sales chart) may be drawn with block and line characters: colour is on
   * and the locale's characters are UTF-8. Else they are drawn in ASCII (`#`, `=`, `.`, `|`).
   */
  readonly blocks: boolean;
  readonly chalk: ChalkInstance;
  statusColor(status: TicketStatus): (text: string) => string;
}

/** The styles, each made once: a batch resolves its options on every line. */
const styles = new Map<string, Style>();

/** `unicode`: the terminal's locale is UTF-8 (see io.ts), so pictures may use block characters. */
export function createStyle(enabled: boolean, unicode = true): Style {
  const key = `${enabled}/${unicode}`;
  let style = styles.get(key);
  if (style === undefined) styles.set(key, (style = newStyle(enabled, enabled && unicode)));
  return style;
}

function newStyle(enabled: boolean, blocks: boolean): Style {
  const chalk = enabled ? new Chalk({ level: 1 }) : plain;
  const statusColors: Record<TicketStatus, ChalkInstance> = {
    reserved: chalk.yellow,
    purchased: chalk.green,
    cancelled: chalk.dim,
    expired: chalk.red,
  };
  return { enabled, blocks, chalk, statusColor: (status) => statusColors[status] };
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

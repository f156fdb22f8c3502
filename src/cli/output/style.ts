import { Chalk, type ChalkInstance } from "chalk";
import type { TicketStatus } from "../../core/index.js";

/** Colour comes from one switch (see io.ts); chalk's own detection is not consulted. */
export interface Style {
  enabled: boolean;
  chalk: ChalkInstance;
  statusColor(status: TicketStatus): (text: string) => string;
}

export function createStyle(enabled: boolean): Style {
  const chalk = new Chalk({ level: enabled ? 1 : 0 });
  const statusColors: Record<TicketStatus, ChalkInstance> = {
    reserved: chalk.yellow,
    purchased: chalk.green,
    cancelled: chalk.dim,
    expired: chalk.red,
  };
  return { enabled, chalk, statusColor: (status) => statusColors[status] };
}

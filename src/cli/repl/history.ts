import { chmodSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { mentionsUrlSecret } from "../../core/index.js";
import { makeFolder } from "../../platform/make-folder.js";
import { commandNames } from "./line.js";
import { tokenizeLine } from "./tokenize.js";

/** How many lines the history file keeps (the newest). */
export const HISTORY_SIZE = 1000;

/**
 * The REPL's history in `$TIX_HOME/history`: one line per entry, oldest first (as shells keep
 * theirs), readable by its owner only. A line naming a card number is never written to disk:
 * tix stores at most a card's last four digits, anywhere; nor one whose store URL carries a
 * password (`--store postgres://tix:secret@db/tix`), which tix never prints either; nor one giving
 * a tier's access code (`--code FANS`, `--tier Presale:200:39.00,code=FANS`), which no output or
 * log entry shows. A voucher's code (`purchase --voucher SPRING`, `voucher create --code SPRING`)
 * is no secret — a discount shared with buyers, shown by `voucher list`, a ticket and the log —
 * so such lines are kept.
 */
export class HistoryFile {
  constructor(readonly path: string) {}

  /** Newest first, as readline wants it; a missing or unreadable file is an empty history. */
  load(): string[] {
    try {
      return readFileSync(this.path, "utf8").split("\n").filter((line) => line.trim() !== "").reverse().slice(0, HISTORY_SIZE);
    } catch {
      return [];
    }
  }

  /** Takes readline's history (newest first). Failing to save never disturbs the session. */
  save(newestFirst: readonly string[]): void {
    const lines = newestFirst.filter((line) => !mentionsCard(line) && !mentionsUrlSecret(line) && !mentionsAccessCode(line)).slice(0, HISTORY_SIZE).reverse();
    try {
      makeFolder(dirname(this.path));
      const temporary = `${this.path}.${process.pid}.tmp`;
      writeFileSync(temporary, lines.map((line) => `${line}\n`).join(""), { mode: 0o600 });
      chmodSync(temporary, 0o600);
      renameSync(temporary, this.path);
    } catch {
      // A read-only home still gets a working REPL, just without saved history.
    }
  }
}

/** `--card`, or a run of 12+ digits (spaces and dashes allowed) that could be a card number. */
export function mentionsCard(line: string): boolean {
  return /--card\b/.test(line) || /\d(?:[ -]?\d){11,}/.test(line);
}

/**
 * A tier's access code: a tier spec's `,code=` (`--tier VIP:10:90,code=FANS`), or `--code` on any
 * line but `voucher create` (whose `--code` is the voucher's). A line that cannot be split into
 * words is read as giving one.
 */
export function mentionsAccessCode(line: string): boolean {
  if (/,\s*code\s*=/i.test(line)) return true;
  return /--code\b/.test(line) && !createsVoucher(line);
}

/** The line's command, after the global options (`--store URL`, `--user ID`, switches), is `voucher create`. */
function createsVoucher(line: string): boolean {
  let words: string[];
  try {
    words = tokenizeLine(line);
  } catch {
    return false;
  }
  const [command, subcommand] = commandNames(words);
  return command === "voucher" && subcommand === "create";
}

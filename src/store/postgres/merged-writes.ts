import type { Statement } from "./connection.js";

/**
 * A decision's writes as few statements: consecutive writes to *different* tables become one
 * statement of data-modifying WITH clauses (a reserve's event, tier, ticket, key and log entry:
 * one statement, not five — each statement costs both ends a message exchange and an executor
 * start). Only different tables are joined, because the parts of one statement run in no set
 * order and must not touch one row twice: a second write to a table starts the next statement,
 * so writes to one table keep the order the core gave them. Foreign keys are checked at the end
 * of the statement, so a part may name a row another part inserts.
 */
export function mergedWrites(statements: readonly Statement[]): Statement[] {
  const merged: Statement[] = [];
  let run: Statement[] = [];
  let tables = new Set<string>();
  for (const statement of statements) {
    const table = tableWritten(statement[0]);
    if (table === undefined || tables.has(table)) {
      if (run.length > 0) merged.push(joined(run));
      run = [];
      tables = new Set();
    }
    if (table === undefined) {
      merged.push(statement);
      continue;
    }
    run.push(statement);
    tables.add(table);
  }
  if (run.length > 0) merged.push(joined(run));
  return merged;
}

const tables = new Map<string, string | undefined>();

/** The table an INSERT, UPDATE or DELETE writes; undefined for any other statement. */
function tableWritten(text: string): string | undefined {
  if (!tables.has(text)) tables.set(text, /^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+([\w.]+)/i.exec(text)?.[1]);
  return tables.get(text);
}

/**
 * Joined texts, found by their parts' texts one after another: each part's text is a string made
 * once, whose hash is kept, where one key joining them all would be a new string (kilobytes) to
 * hash for every decision.
 */
interface JoinedTexts {
  text?: string;
  next: Map<string, JoinedTexts>;
}
const joinedTexts: JoinedTexts = { next: new Map() };

/** `WITH w1 AS (…), w2 AS (…) …`, each part's parameters numbered after those of the parts before it. */
function joined(run: readonly Statement[]): Statement {
  if (run.length === 1) return run[0]!;
  let found = joinedTexts;
  for (const [part] of run) {
    let next = found.next.get(part);
    if (next === undefined) found.next.set(part, (next = { next: new Map() }));
    found = next;
  }
  let text = found.text;
  if (text === undefined) {
    let offset = 0;
    const parts = run.map(([part, params = []], index) => {
      const renumbered = part.replace(/\$(\d+)/g, (_, number: string) => `$${Number(number) + offset}`);
      offset += params.length;
      return `w${index} AS (${renumbered})`;
    });
    text = `WITH ${parts.join(",\n")}\nSELECT 1`;
    found.text = text;
  }
  return [text, run.flatMap(([, params = []]) => params)];
}

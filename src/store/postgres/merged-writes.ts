import type { Statement } from "./connection.js";

/**
 * Writes as few statements: consecutive writes to *different* tables become one statement of
 * data-modifying WITH clauses (a reserve's event, tier, ticket, key and log entry: one statement,
 * not five — each statement costs both ends a message exchange and an executor start), and
 * writes of one row each by the same `INSERT … VALUES` become one insert of several rows (a
 * batch of 64 reserves: one statement, not 64). The parts of one statement run in no set order
 * and must not touch one row twice, so a table's writes are joined only as rows of one insert —
 * whose rows go in in the order given (an audit log's sequence keeps it) — with no two rows of
 * one conflict key; any other second write to a table starts the next statement, so writes to
 * one table keep the order the core gave them. Foreign keys are checked at the end of the
 * statement, so a part may name a row another part inserts.
 */
export function mergedWrites(statements: readonly Statement[]): Statement[] {
  const merged: Statement[] = [];
  let run = new Map<string, Part>();
  const flush = () => {
    if (run.size > 0) merged.push(joined([...run.values()].map(statementOf)));
    run = new Map();
  };
  for (const statement of statements) {
    const table = tableWritten(statement[0]);
    if (table === undefined) {
      flush();
      merged.push(statement);
      continue;
    }
    const part = run.get(table);
    if (part === undefined) {
      run.set(table, { first: statement, rows: [statement[1] ?? []], keys: undefined });
      continue;
    }
    if (!addRow(part, statement)) {
      flush();
      run.set(table, { first: statement, rows: [statement[1] ?? []], keys: undefined });
    }
  }
  flush();
  return merged;
}

/** A table's writes in a statement: one statement, or the rows of one `INSERT … VALUES`. */
interface Part {
  first: Statement;
  rows: Array<readonly unknown[]>;
  /** The rows' conflict keys (made when a second row comes). */
  keys: Set<string> | undefined;
}

/** Adds `statement` as a row of `part`'s insert, if it is one and touches no row another does. */
function addRow(part: Part, statement: Statement): boolean {
  const [text, params = []] = statement;
  const insert = insertOf(text);
  if (text !== part.first[0] || insert === undefined) return false;
  const keyOf = (row: readonly unknown[]) => JSON.stringify(insert.key!.map((index) => row[index]));
  if (insert.key !== undefined) {
    part.keys ??= new Set(part.rows.map(keyOf));
    const key = keyOf(params);
    if (part.keys.has(key)) return false;
    part.keys.add(key);
  }
  part.rows.push(params);
  return true;
}

function statementOf(part: Part): Statement {
  if (part.rows.length === 1) return [part.first[0], part.rows[0]];
  return [insertOf(part.first[0])!.rows(part.rows.length), part.rows.flat()];
}

const tables = new Map<string, string | undefined>();

/** The table an INSERT, UPDATE or DELETE writes; undefined for any other statement. */
function tableWritten(text: string): string | undefined {
  if (!tables.has(text)) tables.set(text, /^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+([\w.]+)/i.exec(text)?.[1]);
  return tables.get(text);
}

/**
 * An `INSERT … VALUES (…)` of one row: its text for n rows, and the positions in a row of its
 * conflict key (none without ON CONFLICT: a plain insert of one key twice fails either way).
 */
interface Insert {
  rows(count: number): string;
  key: number[] | undefined;
}

const inserts = new Map<string, Insert | undefined>();

function insertOf(text: string): Insert | undefined {
  if (!inserts.has(text)) inserts.set(text, parseInsert(text));
  return inserts.get(text);
}

function parseInsert(text: string): Insert | undefined {
  const head = /^\s*INSERT INTO\s+[\w.]+\s*\(([^)]*)\)\s*VALUES\s*\(/i.exec(text);
  if (!head) return undefined;
  // The row's tuple: to its closing parenthesis (it may hold calls, such as decode(…)).
  const open = head[0].length - 1;
  let depth = 0;
  let close = open;
  for (; close < text.length; close++) {
    if (text[close] === "(") depth++;
    else if (text[close] === ")" && --depth === 0) break;
  }
  const tuple = text.slice(open, close + 1);
  const after = text.slice(close + 1);
  const numbers = [...tuple.matchAll(/\$(\d+)/g)].map((match) => Number(match[1]));
  const width = Math.max(0, ...numbers);
  // Each row's parameters are its own $1…$width, in a tuple that names each once, in order.
  if (numbers.some((number, index) => number !== index + 1) || numbers.length !== width) return undefined;
  const columns = head[1]!.split(",").map((column) => column.trim());
  const conflict = /^\s*ON CONFLICT\s*\(([^)]*)\)/i.exec(after);
  const key = conflict?.[1]!.split(",").map((column) => columns.indexOf(column.trim()));
  if (key?.some((index) => index < 0) || (!conflict && /ON CONFLICT/i.test(after))) return undefined;
  const texts = new Map<number, string>();
  return {
    key,
    rows(count) {
      let found = texts.get(count);
      if (found === undefined) {
        const tuples = Array.from({ length: count }, (_, row) => tuple.replace(/\$(\d+)/g, (_, number: string) => `$${Number(number) + row * width}`));
        texts.set(count, (found = `${text.slice(0, open)}${tuples.join(", ")}${after}`));
      }
      return found;
    },
  };
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

/** One level of the JSON being walked: an object (its names so far, the last one) or an array (the index). */
type Frame = { names: Set<string>; name: string } | { index: number };

/** A name given twice in one object: where that object is (names and indexes from the top) and the name. */
export interface RepeatedName {
  readonly path: ReadonlyArray<string | number>;
  readonly name: string;
}

/**
 * The first name given twice in one object of `text`, which is valid JSON, as its path
 * (`Capacity`, `TicketTypes[1].Price`); undefined when every object's names are distinct.
 * JSON.parse keeps the last of two in silence (`{"Capacity":5,"Capacity":7}` read as 7), so a
 * proxy that checked the first and the server would act on different values.
 */
export function repeatedName(text: string): string | undefined {
  const [first] = repeatedNames(text, 1);
  return first === undefined ? undefined : namePath([...first.path, first.name]);
}

/**
 * Every name given twice in one object of `text` (valid JSON), in the order met, at most `limit`
 * (each repeat once: a name given three times is met twice).
 */
export function repeatedNames(text: string, limit = Number.POSITIVE_INFINITY): RepeatedName[] {
  const found: RepeatedName[] = [];
  const frames: Frame[] = [];
  let expectName = false;
  for (let at = 0; at < text.length && found.length < limit; at++) {
    const char = text[at];
    if (char === '"') {
      const string = stringAt(text, at);
      at = string.end;
      const top = frames.at(-1);
      if (!expectName || top === undefined || !("names" in top)) continue;
      const name = string.value();
      if (top.names.has(name)) found.push({ path: frames.slice(0, -1).map((frame) => ("names" in frame ? frame.name : frame.index)), name });
      top.names.add(name);
      top.name = name;
      expectName = false;
    } else if (char === "{") {
      frames.push({ names: new Set(), name: "" });
      expectName = true;
    } else if (char === "[") {
      frames.push({ index: 0 });
    } else if (char === "}" || char === "]") {
      frames.pop();
    } else if (char === ",") {
      const top = frames.at(-1)!;
      if ("names" in top) expectName = true;
      else top.index++;
    }
  }
  return found;
}

/**
 * The JSON string whose opening quote is at `start` in `text` (valid JSON): where its closing
 * quote is, and its value, decoded only when asked for (most strings are passed over).
 */
function stringAt(text: string, start: number): { end: number; value: () => string } {
  let escaped = false;
  let at = start + 1;
  for (; text[at] !== '"'; at++) {
    if (text[at] !== "\\") continue;
    escaped = true;
    at++; // the escaped character, which may be a quote
  }
  const end = at;
  const value = (): string => {
    const raw = text.slice(start + 1, end);
    return escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
  };
  return { end, value };
}

/** `["TicketTypes", 1, "Price"]` → `TicketTypes[1].Price`. */
export function namePath(path: ReadonlyArray<string | number>): string {
  return path.map((step, at) => (typeof step === "number" ? `[${step}]` : `${at === 0 ? "" : "."}${step}`)).join("");
}

/**
 * The first number in `text` (valid JSON) too large for a double (`1e400`), which JSON.parse reads
 * as Infinity, with where it is: a message then shows it as sent, not as "Infinity".
 */
export function overflowingNumber(text: string): { path: string; literal: string } | undefined {
  const frames: Array<{ name: string } | { index: number }> = [];
  const literal = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  for (let at = 0; at < text.length; at++) {
    const char = text[at]!;
    if (char === '"') {
      const string = stringAt(text, at);
      at = string.end;
      const top = frames.at(-1);
      // A name is followed by a colon; a string value is not looked at.
      if (top !== undefined && "name" in top && /^\s*:/.test(text.slice(at + 1, at + 20))) top.name = string.value();
    } else if (char === "{") {
      frames.push({ name: "" });
    } else if (char === "[") {
      frames.push({ index: 0 });
    } else if (char === "}" || char === "]") {
      frames.pop();
    } else if (char === ",") {
      const top = frames.at(-1);
      if (top !== undefined && "index" in top) top.index++;
    } else if (char === "-" || (char >= "0" && char <= "9")) {
      literal.lastIndex = at;
      const number = literal.exec(text)![0];
      if (!Number.isFinite(Number(number))) {
        return { path: namePath(frames.map((frame) => ("name" in frame ? frame.name : frame.index))), literal: number };
      }
      at += number.length - 1;
    }
  }
  return undefined;
}

import { invalidArgument } from "../core/index.js";

/**
 * A path segment with its escapes decoded as Kestrel decodes a path: each `%XX` run that is UTF-8
 * becomes its characters; an escape that is not (`%zz`, a lone `%`, `%FF`, an overlong `%C0%AF`) is
 * kept as written, so `/events/%zz` asks for the event `%zz` (404) rather than being refused. An
 * escaped null character (`%00`) is refused, 400, as Kestrel refuses it.
 */
export function decodeSegment(segment: string, pathText: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    decoded = decodeLeniently(segment);
  }
  if (decoded.includes("\0")) throw invalidArgument("path", `"${pathText}" is not a valid URL path: it has an escaped null character (%00)`);
  return decoded;
}

const HEX_PAIR = /^[0-9a-f]{2}$/i;
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

/** decodeSegment's slow path, for a segment decodeURIComponent refuses: escape by escape. */
function decodeLeniently(segment: string): string {
  let out = "";
  let at = 0;
  const byteAt = (position: number): number => (segment[position] === "%" && HEX_PAIR.test(segment.slice(position + 1, position + 3)) ? parseInt(segment.slice(position + 1, position + 3), 16) : -1);
  while (at < segment.length) {
    const lead = byteAt(at);
    if (lead < 0) {
      out += segment[at++];
      continue;
    }
    // A UTF-8 sequence: its lead byte says how many escapes belong to it.
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    const bytes = [lead];
    for (let next = 1; next < length; next++) {
      const byte = byteAt(at + 3 * next);
      if (byte < 0) break;
      bytes.push(byte);
    }
    let text: string | undefined;
    if (length > 0 && bytes.length === length) {
      try {
        text = STRICT_UTF8.decode(Uint8Array.from(bytes));
      } catch {
        text = undefined;
      }
    }
    if (text === undefined) {
      // Not UTF-8: this escape stays as written; the next one is looked at afresh.
      out += segment.slice(at, at + 3);
      at += 3;
    } else {
      out += text;
      at += 3 * length;
    }
  }
  return out;
}

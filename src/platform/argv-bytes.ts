import { isUtf8 } from "node:buffer";
import { readFileSync } from "node:fs";

/**
 * The first of this process's arguments (`args`, those after the script) whose bytes are not
 * UTF-8, by its index; else undefined. Node decodes the command line with U+FFFD in place of bytes
 * that are not UTF-8, and keeps no bytes: so only when an argument holds U+FFFD are the bytes
 * read, as Linux keeps them in /proc/self/cmdline (the last `args.length` of its NUL-ended
 * strings). Where that cannot be read, an argument holding U+FFFD is taken as given.
 */
export function argumentNotUtf8(args: readonly string[]): number | undefined {
  if (!args.some((arg) => arg.includes("\uFFFD"))) return undefined;
  let strings: Buffer[];
  try {
    const bytes = readFileSync("/proc/self/cmdline");
    strings = [];
    for (let start = 0; start < bytes.length; ) {
      const end = bytes.indexOf(0, start);
      strings.push(bytes.subarray(start, end === -1 ? bytes.length : end));
      start = end === -1 ? bytes.length : end + 1;
    }
  } catch {
    return undefined;
  }
  if (strings.length < args.length) return undefined;
  const own = strings.slice(strings.length - args.length);
  const index = own.findIndex((bytes, at) => !isUtf8(bytes) && bytes.toString("utf8") === args[at]);
  return index === -1 ? undefined : index;
}

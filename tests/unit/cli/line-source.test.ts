import { PassThrough } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { LineSource } from "../../../src/cli/repl/line-source.js";
import { groupedWords } from "../../../src/cli/repl/grouped-line.js";

/** Everything `source` gives until the end. */
async function drain(source: LineSource): Promise<string[]> {
  const lines: string[] = [];
  for (let line = await source.next(); line !== undefined; line = await source.next()) lines.push(line);
  return lines;
}

describe("LineSource: a batch's stdin as lines", () => {
  it("splits as readline does: \\n, \\r\\n (even across chunks) and \\r end a line; a last line without an end counts", async () => {
    const input = new PassThrough();
    const source = new LineSource(input);
    input.write("one\r");
    input.write("\ntwo\n\nthr");
    input.write(Buffer.from("ee\rfour\r\n€"));
    // A character split between chunks is decoded whole.
    const euro = Buffer.from("€ five");
    input.write(euro.subarray(0, 1));
    input.end(euro.subarray(1));
    expect(await drain(source)).toEqual(["one", "two", "", "three", "four", "€€ five"]);
  });

  it("decodes input that starts with a UTF-16 byte order mark, a character or a surrogate pair split across chunks too", async () => {
    const input = new PassThrough();
    const source = new LineSource(input);
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("one\r\nCaf\u00e9 \ud83c\udfb5\rlast", "utf16le")]);
    // Odd-sized chunks: halves of a code unit, and of the pair, arrive apart.
    for (let at = 0; at < bytes.length; at += 3) input.write(bytes.subarray(at, at + 3));
    input.end();
    expect(await drain(source)).toEqual(["one", "Caf\u00e9 \ud83c\udfb5", "last"]);
    expect(source.lastNotUtf8).toBe(false);
  });

  it("joins a long line's chunks once, when its end arrives (joined at every chunk, a 20 MB line took 12 s)", async () => {
    const input = new PassThrough();
    const source = new LineSource(input);
    const concat = vi.spyOn(Buffer, "concat");
    try {
      const chunk = Buffer.alloc(64 * 1024, "a");
      for (let index = 0; index < 200; index += 1) input.write(chunk);
      input.write("\r");
      input.write("\nnext\r");
      input.end("last");
      const lines = await drain(source);
      expect(lines.map((line) => line.length)).toEqual([200 * chunk.length, 4, 4]);
      expect([lines[1], lines[2]]).toEqual(["next", "last"]);
      // Bytes copied to join them: about the line's length, not ~200 times it.
      const copied = concat.mock.calls.reduce((sum, [list]) => sum + list.reduce((bytes, part) => bytes + part.length, 0), 0);
      expect(copied).toBeLessThan(1.5 * 200 * chunk.length);
    } finally {
      concat.mockRestore();
    }
  });

  it("reads a chunk that is a lone \\r as the first half of \\r\\n (it ended a line there, and the \\n another)", async () => {
    const input = new PassThrough();
    const source = new LineSource(input);
    input.write("a\n");
    input.write("\r");
    input.write("\nb\n");
    input.write("\r");
    input.end();
    expect(await drain(source)).toEqual(["a", "", "b", ""]);
  });

  it("knows a line whose bytes are not UTF-8 (valid text holding U+FFFD is not one), whatever the chunks", async () => {
    const input = new PassThrough();
    const source = new LineSource(input);
    const seen: Array<[string, boolean]> = [];
    const reading = (async () => {
      for (let line = await source.next(); line !== undefined; line = await source.next()) seen.push([line, source.lastNotUtf8]);
    })();
    input.write(Buffer.concat([Buffer.from("ok\nCaf"), Buffer.from([0xe9]), Buffer.from("\r\nvalid \ufffd\n")]));
    // A bad byte in a line that ends in the next chunk, then a character split between chunks.
    input.write(Buffer.concat([Buffer.from("half "), Buffer.from([0xff])]));
    const euro = Buffer.from("€");
    input.write(Buffer.concat([Buffer.from(" end\nsplit "), euro.subarray(0, 2)]));
    input.end(Buffer.concat([euro.subarray(2), Buffer.from("\nlast "), Buffer.from([0xc3])]));
    await reading;
    expect(seen).toEqual([["ok", false], ["Caf\ufffd", true], ["valid \ufffd", false], ["half \ufffd end", true], ["split €", false], ["last \ufffd", true]]);
  });

  it("drops the byte-order mark a file saved as UTF-8 with BOM starts with, even split between chunks; only there", async () => {
    const input = new PassThrough();
    const source = new LineSource(input);
    const bom = Buffer.from("\ufeffseed\n\ufeffkept\n");
    input.write(bom.subarray(0, 2));
    input.end(bom.subarray(2));
    expect(await drain(source)).toEqual(["seed", "\ufeffkept"]);
  });

  it("tells whether a line is already read and waiting", async () => {
    const input = new PassThrough();
    const source = new LineSource(input);
    expect(source.hasBuffered).toBe(false);
    const first = source.next();
    input.write("a\nb\npartial");
    expect(await first).toBe("a");
    expect(source.hasBuffered).toBe(true);
    expect(await source.next()).toBe("b");
    // "partial" has no end yet: nothing is waiting until the input ends.
    expect(source.hasBuffered).toBe(false);
    input.end();
    expect(await source.next()).toBe("partial");
    expect(await source.next()).toBeUndefined();
  });
});

describe("groupedWords: which batch lines may share a commit", () => {
  it("a reserve, purchase or cancel on the session's store, without $event or $ticket", () => {
    expect(groupedWords("reserve evt_a --user bob --json")).toEqual(["reserve", "evt_a", "--user", "bob", "--json"]);
    expect(groupedWords("tix --user bob purchase tkt_1 --card 4242424242424242")).toEqual(["--user", "bob", "purchase", "tkt_1", "--card", "4242424242424242"]);
    expect(groupedWords("cancel ord_1")).toEqual(["cancel", "ord_1"]);
    expect(groupedWords("   # a comment")).toEqual([]);
    expect(groupedWords("")).toEqual([]);
  });

  it("any other line runs alone", () => {
    for (const line of [
      "reserve $event", "purchase $ticket", "cancel ${ticket}", "reserve evt_a --store memory", "--store=memory reserve evt_a",
      "reserve --help", "reserve evt_a -h", "event show evt_a", "ticket list", "checkin tkt_1", "exit", "help", "seed",
      "reserve 'unterminated", "--user reserve evt_a",
    ]) expect(groupedWords(line), line).toBeUndefined();
  });
});

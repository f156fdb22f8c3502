import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
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

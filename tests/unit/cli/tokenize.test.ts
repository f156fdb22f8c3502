import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tokenizeLine } from "../../../src/cli/repl/tokenize.js";

describe("tokenizeLine: a REPL line split as a shell would", () => {
  it("splits on blanks and keeps quoted text whole", () => {
    expect(tokenizeLine("  event   create\t--name 'Rock Night' --venue \"Seattle Dome\" ")).toEqual(
      ["event", "create", "--name", "Rock Night", "--venue", "Seattle Dome"]);
    expect(tokenizeLine(`--name=Jazz' 'Evening`)).toEqual(["--name=Jazz Evening"]);
    expect(tokenizeLine(`--venue ""`)).toEqual(["--venue", ""]);
  });

  it("splits a line of plain words as the character-by-character walk does", () => {
    expect(tokenizeLine("\t reserve  evt_1\r\n--user\tu1 ")).toEqual(["reserve", "evt_1", "--user", "u1"]);
    expect(tokenizeLine(" \t ")).toEqual([]);
    // A trailing comment changes no word, and sends the line through the walk.
    const plain = fc.string({ unit: fc.constantFrom("a", "Z", "-", "=", "_", "`", " ", "\t", "\r", "\n", "\u00a0", "é", "\v") });
    fc.assert(fc.property(plain, (line) => {
      expect(tokenizeLine(line)).toEqual(tokenizeLine(`${line} # a comment`));
    }));
  });

  it("honours escapes: backslash outside quotes, \\\" \\\\ \\$ inside double quotes, none inside single", () => {
    expect(tokenizeLine(String.raw`--name Rock\ Night \'x\'`)).toEqual(["--name", "Rock Night", "'x'"]);
    expect(tokenizeLine(String.raw`"say \"hi\" \\ \$event \n"`)).toEqual([String.raw`say "hi" \ $event \n`]);
    expect(tokenizeLine(String.raw`'a\b "c"'`)).toEqual([String.raw`a\b "c"`]);
  });

  it("skips blank lines and # comments, but not a # inside a word", () => {
    expect(tokenizeLine("")).toEqual([]);
    expect(tokenizeLine("   ")).toEqual([]);
    expect(tokenizeLine("# reserve evt_x")).toEqual([]);
    expect(tokenizeLine("event list # all of them")).toEqual(["event", "list"]);
    expect(tokenizeLine("reserve evt_x --key order#1 '#2'")).toEqual(["reserve", "evt_x", "--key", "order#1", "#2"]);
  });

  it("replaces $event and $ticket (also ${…} and inside double quotes), never inside single quotes", () => {
    const vars = { event: "evt_jazz", ticket: "tkt_123" };
    expect(tokenizeLine("purchase $ticket", vars)).toEqual(["purchase", "tkt_123"]);
    expect(tokenizeLine('ticket list --event="$event" --key ${ticket}-retry', vars)).toEqual(
      ["ticket", "list", "--event=evt_jazz", "--key", "tkt_123-retry"]);
    expect(tokenizeLine("--key '$ticket'", vars)).toEqual(["--key", "$ticket"]);
  });

  it("leaves other $words, a lone $ and $5 as typed", () => {
    expect(tokenizeLine("--key $HOME-$ $5 ${x", { event: "e" })).toEqual(["--key", "$HOME-$", "$5", "${x"]);
  });

  it("refuses a shell's operator standing as a word, unquoted (a line is not a shell); quoted, escaped or inside a word it is text", () => {
    for (const line of ["event list | head", "event list > out", "event list < in", "seed && event list", "seed ; event list", "seed &", "event list 2>&1"]) {
      expect(() => tokenizeLine(line), line).toThrow(/a tix line is not a shell/);
    }
    expect(() => tokenizeLine("event list | $x", { x: "y" })).toThrow(/"\|": a tix line is not a shell/);
    expect(tokenizeLine('--name "Rock | Roll" \'|\' \\; --seats A:1-4|5-8 "$x"', { x: "&&" })).toEqual(["--name", "Rock | Roll", "|", ";", "--seats", "A:1-4|5-8", "&&"]);
  });

  it("refuses an operator glued to a word's unquoted end or start (psql's `list;`, `>out`), naming the word; quoted or mid-word it is text", () => {
    const refusals: Array<[string, RegExp]> = [
      ["event list;", /"list;" \(its ;\): a tix line is not a shell/],
      ["seed&& event list", /"seed&&" \(its &&\)/],
      ["event list|", /"list\|" \(its \|\)/],
      ["event list >out", /">out" \(its >\)/],
      ["event list >>'out'", /">>out" \(its >>\)/],
      ["reserve $event --user bob;", /"bob;" \(its ;\)/],
      ["event show \"x\";", /"x;" \(its ;\)/],
    ];
    for (const [line, message] of refusals) expect(() => tokenizeLine(line, { event: "e1" }), line).toThrow(message);
    expect(tokenizeLine("--name 'bob;' \"a&\" a\\; \\>x $x A:1-4|5-8", { x: "y;" })).toEqual(["--name", "bob;", "a&", "a;", ">x", "y;", "A:1-4|5-8"]);
  });

  it("refuses an unset variable, an unterminated quote and a trailing backslash, naming the problem", () => {
    expect(() => tokenizeLine("purchase $ticket", { event: "e", ticket: undefined })).toThrow(/\$ticket: no ticket id has been printed/);
    expect(() => tokenizeLine("--name 'Rock")).toThrow(/unterminated ' quote/);
    expect(() => tokenizeLine('--name "Rock')).toThrow(/unterminated " quote/);
    expect(() => tokenizeLine("event list \\")).toThrow(/backslash/);
    expect(() => tokenizeLine("${event", { event: "e" })).toThrow(/unterminated/);
  });
});

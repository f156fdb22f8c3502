import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runTix } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

let home: ReturnType<typeof tempDir>;
beforeEach(() => (home = tempDir()));
afterEach(() => home.remove());

const tix = (args: string[]) => runTix(args, home.path);
const write = (name: string, text: string | Buffer) => {
  const path = join(home.path, name);
  writeFileSync(path, text);
  return path;
};
const eventCount = () => tix(["--json", "event", "list"]).json().events.length;

describe("an import from standard input (-)", () => {
  it("reads the rows from a pipe, given --format; refuses without it, and in a session, where stdin is the session's", () => {
    const csv = runTix(["import", "-", "--format", "csv"], home.path, { input: "name,capacity\nPiped,3\n" });
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout).toMatch(/^file:\t-\ncreated:\t1\n/);
    const json = runTix(["--json", "import", "-", "--format", "json"], home.path, { input: JSON.stringify([{ name: "Also piped", capacity: 2 }]) });
    expect(json.json()).toMatchObject({ file: "-", created: 1 });
    expect(tix(["--json", "event", "list"]).json().events.map((event: { name: string }) => event.name).sort()).toEqual(["Also piped", "Piped"]);

    const nameless = runTix(["import", "-"], home.path, { input: "name,capacity\nX,1\n" });
    expect([nameless.code, nameless.stderr]).toEqual([2, "error: format: standard input has no name to tell its format by; give --format csv or --format json\n"]);
    const invalid = runTix(["import", "-", "--format", "csv"], home.path, { input: "name,capacity\nBad,x\n" });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/^error: standard input: 1 invalid row; nothing was imported/);
    const session = runTix(["repl"], home.path, { input: "import - --format csv\n" });
    expect(session.stderr).toBe("line 1: error: file: in a session, standard input is the session's own; give a file\n");
    expect(eventCount()).toBe(2);
  });
});

describe("a strict import", () => {
  it("refuses an unknown column, naming the nearest known one, and imports nothing", () => {
    const csv = tix(["import", write("typo.csv", "name,capacity,prise\nJazz,10,45.00\n")]);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toBe("error: file: unknown column \"prise\" (did you mean price?); the columns are id, name, capacity, venue, startsAt, hold, price, currency, tiers, limitPerUser, salesStart, salesEnd, seats\n");
    const json = tix(["--json", "import", write("typo.json", JSON.stringify([{ name: "Jazz", capacity: 10, venu: "Hall" }]))]);
    expect(json.code).toBe(2);
    expect(json.json().error.message).toMatch(/unknown key "venu" \(did you mean venue\?\)/);
    expect(eventCount()).toBe(0);
  });

  it("refuses two columns (or keys of a row) for one field, which imported the last one's value in silence", () => {
    const csv = tix(["import", write("twice.csv", "name,capacity,name\nA,1,B\n")]);
    expect([csv.code, csv.stderr]).toEqual([2, "error: file: \"name\" is given twice; keep one column for it\n"]);
    const spelled = tix(["import", write("spelled.csv", "name,capacity,startsAt,Starts At\nA,1,2030-01-01T10:00:00Z,2031-01-01T10:00:00Z\n")]);
    expect([spelled.code, spelled.stderr]).toEqual([2, "error: file: \"startsAt\" and \"Starts At\" both give startsAt; keep one column for it\n"]);
    const json = tix(["--json", "import", write("twice.json", JSON.stringify([{ name: "A", capacity: 1, startsAt: "2030-01-01T10:00:00Z", starts_at: "2031-01-01T10:00:00Z" }]))]);
    expect(json.code).toBe(2);
    expect(json.json().error.rows).toEqual([{ line: 1, message: "row: \"startsAt\" and \"starts_at\" both give startsAt; keep one key for it" }]);
    expect(eventCount()).toBe(0);
  });

  it("refuses a JSON row that gives one key twice (JSON.parse kept the last value in silence); --skip-invalid skips that row alone", () => {
    const text = '[\n{"name":"A","capacity":5,"capacity":500},\n{"name":"B","capacity":5},\n'
      + '{"name":"C","tiers":[{"name":"GA","capacity":5,"price":"10.00","price":"1.00"}]}\n]';
    const file = write("repeated.json", text);
    const refused = tix(["import", file]);
    expect([refused.code, refused.stderr]).toEqual([2, `error: ${file}: 2 invalid rows; nothing was imported (--skip-invalid imports the valid rows)\n`
      + '  line 2: row: "capacity" is given twice; keep one key for it\n  line 4: row: "tiers[0].price" is given twice; keep one key for it\n']);
    expect(eventCount()).toBe(0);
    const skipped = tix(["--json", "import", file, "--skip-invalid"]).json();
    expect(skipped).toMatchObject({ created: 1, skippedCount: 2 });
    expect(tix(["--json", "event", "list"]).json().events.map((event: { name: string }) => event.name)).toEqual(["B"]);
    const events = tix(["import", write("events-twice.json", '{"events":[{"name":"D","capacity":1}],"events":[]}')]);
    expect([events.code, events.stderr]).toEqual([2, 'error: file: "events" is given twice; keep one list of events\n']);
  });

  it("says so when a file has no rows (empty, a header alone, an empty list): exit 0, nothing imported", () => {
    // An empty .json file was "file: is not valid JSON: Unexpected end of JSON input", exit 2.
    for (const [name, text] of [["empty.csv", ""], ["header.csv", "name,capacity\n"], ["none.json", "[]"], ["empty.json", ""], ["blank.json", "\uFEFF \n"]]) {
      const run = tix(["import", write(name!, text!)]);
      expect(run.code, name).toBe(0);
      expect(run.stderr, name).toMatch(/^warning: .* has no rows; nothing was imported\n$/);
    }
    const piped = runTix(["import", "-", "--format", "csv"], home.path, { input: "" });
    expect(piped.stderr).toBe("warning: standard input has no rows; nothing was imported\n");
    expect(runTix(["import", "-", "--format", "json"], home.path, { input: "" })).toMatchObject({ code: 0, stderr: "warning: standard input has no rows; nothing was imported\n" });
    expect(eventCount()).toBe(0);
  });

  it("matches a header whatever its case: ID, NAME, STARTS AT", () => {
    const caps = tix(["--json", "import", write("caps.csv", "ID,NAME,CAPACITY,STARTS AT\nevt_caps,Loud,4,2030-01-01T20:00Z\n")]);
    expect(caps.code, caps.stderr).toBe(0);
    expect(tix(["--json", "event", "show", "evt_caps"]).json().event).toMatchObject({ name: "Loud", capacity: 4, startsAt: "2030-01-01T20:00:00.000Z" });
  });

  it("reports every invalid row with the file's own line number and column name, then imports nothing", () => {
    const rows = ["Name,Capacity,Starts At", "Good,5,2026-01-01", "Bad,-3,2026-01-01", "", '"Two', 'lines",7,never', "Fine,1,"];
    const out = tix(["import", write("bad.csv", rows.join("\n"))]);
    expect(out.code).toBe(2);
    expect(out.stderr).toBe([
      "error: " + join(home.path, "bad.csv") + ": 2 invalid rows; nothing was imported (--skip-invalid imports the valid rows)",
      '  line 3: Capacity: must be a whole number from 1 to 10000000, got "-3"',
      '  line 5: Starts At: "never" is not an ISO-8601 time such as 2025-06-15T20:00Z',
      "",
    ].join("\n"));
    const json = tix(["--json", "import", join(home.path, "bad.csv")]).json();
    expect(json.error).toMatchObject({ code: "INVALID_ARGUMENT", invalidRows: 2, rows: [{ line: 3, column: "Capacity" }, { line: 5, column: "Starts At" }] });
    expect(eventCount()).toBe(0);
  });

  it("refuses an id given twice in one file (which row wins would be a guess), naming both lines; --skip-invalid keeps the first", () => {
    const file = write("twice.csv", "Id,name,capacity\nevt_a,A,10\nevt_b,B,5\nevt_a,A again,20\n");
    const out = tix(["import", file]);
    expect(out).toMatchObject({ code: 2, stdout: "" });
    expect(out.stderr).toBe(`error: ${file}: 1 invalid row; nothing was imported (--skip-invalid imports the valid rows)\n  line 4: Id: "evt_a" is given twice (also on line 2); give each event once\n`);
    expect(eventCount()).toBe(0);
    const skipped = tix(["--json", "import", file, "--skip-invalid"]).json();
    expect(skipped).toMatchObject({ created: 2, updated: 0, skippedCount: 1, skipped: [{ line: 4, column: "Id" }] });
    expect(tix(["--json", "event", "show", "evt_a"]).json().event).toMatchObject({ name: "A", capacity: 10 });
  });

  it("names the first 50 invalid rows, then counts the rest", () => {
    const rows = ["name,capacity", ...Array.from({ length: 70 }, (_, index) => `E${index},zero`)];
    const out = tix(["import", write("many.csv", rows.join("\n"))]);
    const lines = out.stderr.trimEnd().split("\n");
    expect(lines[0]).toMatch(/70 invalid rows; nothing was imported/);
    expect(lines.slice(1, 51).every((line, index) => line.startsWith(`  line ${index + 2}: capacity:`))).toBe(true);
    expect(lines.slice(51)).toEqual(["  … and 20 more invalid rows"]);
  });

  it("recognises a ';'- or tab-separated file and reads it with --delimiter", () => {
    const semicolons = write("de.csv", "name;capacity;price\nKonzert;10;45.00\n");
    expect(tix(["import", semicolons])).toMatchObject({ code: 2, stderr: "error: file: this looks like a ';'-separated file; use --delimiter ';'\n" });
    const tabs = write("tabs.csv", "name\tcapacity\nGig\t3\n");
    expect(tix(["import", tabs]).stderr).toBe("error: file: this looks like a tab-separated file; use --delimiter tab\n");
    expect(tix(["import", semicolons, "--delimiter", ";"]).code).toBe(0);
    expect(tix(["import", tabs, "--delimiter", "tab"]).code).toBe(0);
    // A --delimiter the header does not have, where a comma is: csv-parse's "Invalid Opening Quote" said nothing of it.
    const commas = write("commas.csv", 'name,capacity,venue\nShow,10,"Hall, Left"\n');
    expect(tix(["import", commas, "--delimiter", ";"])).toMatchObject({ code: 2, stderr: "error: delimiter: this looks like a ','-separated file; leave out --delimiter (',' is the default)\n" });
    expect(tix(["import", semicolons, "--delimiter", "tab"]).stderr).toBe("error: delimiter: this looks like a ';'-separated file; use --delimiter ';'\n");
    // A JSON file is not read with a delimiter: one given is bad input, not ignored in silence.
    const json = write("one.json", '[{"name":"Json Gig","capacity":4}]');
    expect(tix(["import", json, "--delimiter", ";"])).toMatchObject({ code: 2, stderr: "error: delimiter: applies to CSV files only; this one is read as JSON\n" });
    expect(tix(["import", commas, "--format", "json", "--delimiter", ","]).code).toBe(2);
    expect(tix(["--json", "event", "list"]).json().events.map((event: { name: string }) => event.name)).not.toContain("Json Gig");
    expect(tix(["--json", "event", "list"]).json().events.map((event: { name: string; price: string }) => [event.name, event.price])).toEqual(
      expect.arrayContaining([["Konzert", "45.00"], ["Gig", "0.00"]]));
  });

  it("JSON: a null row or a name given as an object is an invalid row (exit 2); a UTF-8 BOM is read past", () => {
    const text = '[\n  {"name": "Fine", "capacity": 2},\n  null,\n  {"name": {"en": "Gala"}, "capacity": 3},\n  {"name": ["A"], "capacity": 1},\n  ["Gala", 3],\n  7\n]';
    const out = tix(["--json", "import", write("odd.json", text)]);
    expect(out.code).toBe(2);
    expect(out.json().error.rows).toEqual([
      { line: 3, message: "row: is null, not an event (an object with a name)" },
      { line: 4, column: "name", message: "name: must be text, not an object" },
      { line: 5, column: "name", message: "name: must be text, not an array" },
      // A row written as an array (a CSV line pasted as JSON) is said to be one: it read "is a object".
      { line: 6, message: "row: is an array, not an event (an object with a name)" },
      { line: 7, message: "row: is a number, not an event (an object with a name)" },
    ]);
    const bom = tix(["--json", "import", write("bom.json", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"events": [{"name": "Bom", "capacity": 1}]}')]))]);
    expect(bom.code, bom.stdout).toBe(0);
    expect(tix(["--json", "event", "list"]).json().events.map((event: { name: string }) => event.name)).toEqual(["Bom"]);
  });

  it("reads a file saved as UTF-16 with its byte order mark (Excel's Unicode Text, PowerShell's Out-File), from stdin too", () => {
    // Before: "is not a text file (it holds NUL bytes)", exit 2, for a plain text file.
    const utf16 = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const file = tix(["--json", "import", write("unicode.csv", utf16("name,capacity,venue\r\nCaf\u00e9 Night,5,M\u00fcnchen\r\n"))]);
    expect([file.code, file.stderr, file.json().created]).toEqual([0, "", 1]);
    const piped = runTix(["import", "-", "--format", "json"], home.path, { input: utf16('[{"name":"Piped","capacity":2}]') });
    expect([piped.code, piped.stderr]).toEqual([0, ""]);
    expect(tix(["--json", "event", "list"]).json().events.map((event: { name: string; venue: string }) => [event.name, event.venue])).toEqual([
      ["Caf\u00e9 Night", "M\u00fcnchen"], ["Piped", null],
    ]);
    // A mark and then what is not UTF-16 (an odd byte count, NUL characters) is still refused, changing nothing.
    expect(tix(["import", write("odd.csv", Buffer.from([0xff, 0xfe, 0x61, 0x00, 0x62]))])).toMatchObject({
      code: 2, stderr: expect.stringContaining("is not valid UTF-16 text, though it starts as such; save it as UTF-8"),
    });
    expect(tix(["import", write("nul.csv", utf16("name,capacity\n\u0000,1\n"))])).toMatchObject({ code: 2, stderr: expect.stringContaining("it holds NUL characters") });
  });

  it("refuses what is not a text file, or too large, with one clear line (tix import /dev/zero)", () => {
    const zero = tix(["import", "/dev/zero", "--format", "csv"]);
    expect(zero).toMatchObject({ code: 2, stderr: 'error: file: "/dev/zero" is not a text file (it holds NUL bytes)\n' });
    const huge = write("huge.csv", Buffer.alloc(65 * 1024 * 1024, "a"));
    expect(tix(["import", huge]).stderr).toMatch(/^error: file: ".*huge.csv" is larger than 64 MiB; split it into several imports\n$/);
  });

  it("refuses a file that is not UTF-8 (a Latin-1 export, random bytes) naming its first bad line, instead of storing � for its letters", () => {
    const latin1 = write("latin1.csv", Buffer.from("name,capacity\nCaf\xe9 M\xfcnchen,5\n", "latin1"));
    expect(tix(["import", latin1])).toMatchObject({ code: 2, stderr: `error: file: "${latin1}" is not UTF-8 text (line 2); save it as UTF-8\n` });
    // Random bytes without a NUL: not "a tab-separated file" or a CSV quote error.
    const noise = write("noise.csv", Buffer.from([0x6e, 0x61, 0x09, 0x81, 0x22, 0xff, 0x0a, 0x41]));
    expect(tix(["import", noise])).toMatchObject({ code: 2, stderr: `error: file: "${noise}" is not UTF-8 text (line 1); save it as UTF-8\n` });
    expect(tix(["--json", "event", "list"]).json().events).toEqual([]);
  });

  it("names UTF-16 text without its byte-order mark (a spreadsheet's \"Unicode text\") as such, not as 'not a text file'", () => {
    const text = "id,name,capacity\ne1,Café,3\n";
    const utf16le = Buffer.from(text, "utf16le");
    const files = [
      write("le.csv", utf16le),
      write("be.csv", Buffer.from(utf16le.swap16())),
    ];
    for (const file of files) {
      expect(tix(["import", file])).toMatchObject({ code: 2, stdout: "", stderr: `error: file: "${file}" is UTF-16 text without its byte-order mark (as a spreadsheet's "Unicode text" may be saved); save it as UTF-8\n` });
    }
    // Standard input too (ASCII only, so the text passed to the child is its bytes as they are).
    const piped = runTix(["import", "-", "--format", "csv"], home.path, { input: Buffer.from("id,name\n", "utf16le").toString("latin1") });
    expect(piped).toMatchObject({ code: 2, stderr: `error: file: standard input is UTF-16 text without its byte-order mark (as a spreadsheet's "Unicode text" may be saved); save it as UTF-8\n` });
    expect(tix(["--json", "event", "list"]).json().events).toEqual([]);
  });

  it("says in words why a file cannot be read: no such file, a folder (not errno codes)", () => {
    expect(tix(["import", "nope.csv"])).toMatchObject({ code: 2, stderr: 'error: file: cannot read "nope.csv": no such file\n' });
    const folder = join(home.path, "folder.csv");
    mkdirSync(folder);
    expect(tix(["import", folder])).toMatchObject({ code: 2, stderr: `error: file: cannot read "${folder}": it is a folder, not a file\n` });
    // Without an extension too: a name typed without it (events for events.csv), or a folder, is
    // said to be that, not a format to give (they read 'cannot tell the format … give --format').
    expect(tix(["import", "events"])).toMatchObject({ code: 2, stderr: 'error: file: cannot read "events": no such file\n' });
    const plainFolder = join(home.path, "exports");
    mkdirSync(plainFolder);
    expect(tix(["import", plainFolder])).toMatchObject({ code: 2, stderr: `error: file: cannot read "${plainFolder}": it is a folder, not a file\n` });
    // A file that is there still needs a format its name does not give.
    expect(tix(["import", write("events.txt", "name,capacity\nA,1\n")]).stderr).toContain("cannot tell the format");
  });
});

describe("an import's answer", () => {
  const rows = (count: number) => ["name,capacity,venue,starts_at", ...Array.from({ length: count }, (_, index) => `Show ${index},10,Hall,2026-0${1 + (index % 9)}-01T20:00Z`)].join("\n");

  it("is a summary, not the rows; --rows adds each event's id, streamed", () => {
    const file = write("shows.csv", rows(1200));
    const out = tix(["import", file]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(new RegExp(`^file:\\t${file}\\ncreated:\\t1200\\nupdated:\\t0\\nunchanged:\\t0\\nchanged:\\t\\nskipped:\\t0\\nseconds:\\t[\\d.]+\\n$`));
    const json = tix(["--json", "import", file]).json();
    expect(json).toMatchObject({ status: "success", imported: 1200, created: 0, updated: 0, unchanged: 1200, changedFields: {}, skipped: [], skippedCount: 0 });
    expect(json.events).toBeUndefined();
    const listed = tix(["--json", "import", file, "--rows"]).json();
    expect(listed.events).toHaveLength(1200);
    expect(listed.events[0]).toEqual({ id: expect.stringMatching(/^evt_[0-9a-f]{16}$/), created: false, outcome: "unchanged", changes: [] });
    expect(tix(["import", file, "--rows"]).stdout.split("\n").filter((line) => /^evt_\w+\tunchanged$/.test(line))).toHaveLength(1200);
  });

  it("says what an update changed: updated against unchanged, each field's count of events, each row's changes with --rows", () => {
    const first = write("first.csv", "id,name,capacity,price\nevt_a,A,10,20.00\nevt_b,B,5,10.00\nevt_c,C,7,1.00\n");
    expect(tix(["--json", "import", first]).json()).toMatchObject({ imported: 3, created: 3, updated: 0, unchanged: 0, changedFields: {} });
    const second = write("second.csv", "id,name,capacity,price\nevt_a,A,12,20.00\nevt_b,B,5,10.00\nevt_c,Cee,7,2.00\n");
    const human = tix(["import", second, "--rows"]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain("created:\t0\nupdated:\t2\nunchanged:\t1\nchanged:\tcapacity on 1 event, name on 1 event, price on 1 event\n");
    expect(human.stdout).toContain('evt_a\tupdated\tcapacity 10 → 12\nevt_b\tunchanged\nevt_c\tupdated\tname "C" → "Cee"; price 1.00 → 2.00\n');
    const back = tix(["--json", "import", first, "--rows"]).json();
    expect(back).toMatchObject({ imported: 3, created: 0, updated: 2, unchanged: 1, changedFields: { capacity: 1, name: 1, price: 1 } });
    expect(back.events[2]).toEqual({ id: "evt_c", created: false, outcome: "updated", changes: [{ field: "name", from: "Cee", to: "C" }, { field: "price", from: "2.00", to: "1.00" }] });
    expect(tix(["--json", "event", "show", "evt_a"]).json().event).toMatchObject({ capacity: 10 });
  });

  it("names the waiting users its updates took off a line (a note on stderr, --json too; leftWaitlist in --json)", () => {
    const at = (args: string[]) => runTix(args, home.path, { env: { TIX_NOW: "2030-01-01T12:00:00Z" } });
    expect(at(["event", "create", "--id", "evt_x", "--name", "X", "--capacity", "1", "--limit-per-user", "2", "--starts-at", "2030-06-01T20:00Z"]).code).toBe(0);
    expect(at(["--user", "bob", "reserve", "evt_x"]).code).toBe(0);
    for (const user of ["alice", "carol"]) expect(at(["--user", user, "--json", "waitlist", "join", "evt_x"]).json()).toMatchObject({ joined: true });
    const later = write("later.csv", "id,name,capacity,salesStart\nevt_x,X,1,2030-02-01T00:00Z\n");
    const human = at(["import", later]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stderr).toContain([
      "note: alice left the waiting list of event evt_x for GA (sales not open yet)",
      "note: carol left the waiting list of event evt_x for GA (sales not open yet)",
    ].join("\n"));
    expect(at(["--json", "waitlist", "show", "evt_x"]).json().waitlist).toEqual([]);
    expect(at(["event", "update", "evt_x", "--sales-start", "2030-01-01T00:00Z"]).code).toBe(0);
    expect(at(["--user", "dan", "--json", "waitlist", "join", "evt_x"]).json()).toMatchObject({ joined: true });
    const machine = at(["--json", "import", later]);
    // Under --json too: the note on stderr, the JSON on stdout saying the same (leftWaitlist).
    expect(machine.stderr).toBe("note: dan left the waiting list of event evt_x for GA (sales not open yet)\n");
    expect(machine.json()).toMatchObject({ leftWaitlist: [{ eventId: "evt_x", userId: "dan", tier: "GA", reason: "sales not open yet" }], leftWaitlistCount: 1 });
    expect(at(["--json", "import", later]).json()).toMatchObject({ leftWaitlist: [], leftWaitlistCount: 0 });
  });

  it("makes a retried import of rows without ids idempotent: the ids come from the rows", () => {
    const file = write("twice.csv", `${rows(3)}\nShow 0,10,Hall,2026-01-01T20:00Z\n`);
    expect(tix(["--json", "import", file]).json()).toMatchObject({ created: 4, updated: 0 });
    expect(tix(["--json", "import", file]).json()).toMatchObject({ created: 0, updated: 0, unchanged: 4 });
    expect(eventCount()).toBe(4);
  });
});

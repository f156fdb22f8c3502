// `tix export events` → `tix import`: real round trips through bin/tix, between SQLite files and
// the memory store, as CSV and JSON.
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, lstatSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TIX_BIN, runTix, testEnv, type TixRun } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

let home: ReturnType<typeof tempDir>;
beforeEach(() => (home = tempDir()));
afterEach(() => home.remove());

const file = (name: string) => join(home.path, name);
/** bin/tix over the SQLite file `db` (in the test's folder). */
const on = (db: string, args: string[], input?: string): TixRun => runTix(["--store", `sqlite:${file(db)}`, ...args], home.path, input === undefined ? {} : { input });
const ok = (run: TixRun): TixRun => {
  expect(run.code, run.stderr).toBe(0);
  return run;
};

/**
 * Events with every field an event can hold: tiers with their own sales windows and access
 * codes, a seated venue with a code, a plain one; names with unicode, commas, quotes, a line
 * break, spaces at the ends, a start a spreadsheet would run (`=`, `-`, `@`, a tab), and tier and
 * section names holding `;` and `\` (the list cells' separator and escape).
 */
const EVENT_COMMANDS: string[][] = [
  ["event", "create", "--id", "evt_tour", "--name", 'Tour, "live" — Zürich ☃ 東京', "--venue", "Hallenstadion, Zürich",
    "--starts-at", "2027-09-01T20:00Z", "--sales-start", "2027-03-01T10:00Z", "--sales-end", "2027-08-31T23:59Z", "--hold", "1h30m12s", "--limit-per-user", "4",
    "--tier", "Presale:200:39.00,code=FANS,sales-start=2027-03-02T09:00Z,sales-end=2027-03-08", "--tier", "GA:800:49.00"],
  ["event", "create", "--id", "evt_hall", "--name", "  Riverside Hall  ", "--starts-at", "2027-03-01T19:00:00Z", "--currency", "EUR",
    "--seats", "Stalls:A-C:1-5|6-12", "--seats", "Stalls:|D:1-12", "--seats", "Circle@VIP:A-B:1-10", "--tier", "Stalls:40", "--tier", "VIP:90,code=gold"],
  ["event", "create", "--id", "evt_odd", "--name", "=HYPERLINK(\"x\")\nsecond line", "--venue", "'-quoted", "--capacity", "3", "--price", "0"],
  ["event", "create", "--id", "evt_semi", "--name", "\t@tab", "--tier", "Pit; Front\\:5:1.00", "--tier", "Rock, Pop:3:2.50,code=a-b_c"],
  ["event", "create", "--id", "evt_sections", "--name", "-minus", "--seats", "Sec;1\\@A;B:A:1-3", "--seats", "Side:1-2:1", "--tier", "A;B:20.00"],
  ["event", "create", "--id", "evt_plain", "--name", "Plain", "--capacity", "10", "--price", "5", "--currency", "JPY"],
];

function makeEvents(db: string): void {
  for (const command of EVENT_COMMANDS) ok(on(db, command));
}

/** What a store holds of its events, counts and windows included. */
const eventList = (db: string) => ok(on(db, ["--json", "event", "list"])).json().events;

describe("tix export events → tix import: the same events in another store", () => {
  it("CSV between SQLite files: every field kept (ids, tiers, windows, codes, seats, names), and a re-import is unchanged", () => {
    makeEvents("a.db");
    const exported = ok(on("a.db", ["export", "events"])).stdout;
    writeFileSync(file("e.csv"), exported);
    const lines = exported.split("\n");
    expect(lines[0]).toBe("id,name,capacity,venue,startsAt,hold,price,currency,tiers,limitPerUser,salesStart,salesEnd,seats");
    // Readable and editable in a spreadsheet: one cell per field, tiers and seats as --tier and --seats take them.
    expect(exported).toContain('evt_tour,"Tour, ""live"" — Zürich ☃ 東京",1000,"Hallenstadion, Zürich",2027-09-01T20:00:00.000Z,1h30m12s,,USD,'
      + '"Presale:200:39.00,code=FANS,sales-start=2027-03-02T09:00:00.000Z,sales-end=2027-03-08T00:00:00.000Z; GA:800:49.00",4,2027-03-01T10:00:00.000Z,2027-08-31T23:59:00.000Z,\n');
    expect(exported).toContain('evt_hall,"  Riverside Hall  ",68,,2027-03-01T19:00:00.000Z,10m,,EUR,"Stalls:48:40.00; VIP:20:90.00,code=GOLD",,,,Stalls:A-C:1-5|6-12; Stalls:|D:1-12; Circle@VIP:A-B:1-10\n');
    expect(exported).toContain("evt_plain,Plain,10,,,10m,5,JPY,,,,,\n");
    // Cells a spreadsheet would run are kept as text; `;` and `\` in names are escaped in list cells.
    expect(exported).toContain("evt_odd,\"'=HYPERLINK(\"\"x\"\")\nsecond line\",3,''-quoted,");
    expect(exported).toContain("evt_semi,'\t@tab,8,,,10m,,USD,\"Pit\\; Front\\\\:5:1.00; Rock, Pop:3:2.50,code=A-B_C\",");
    expect(exported).toContain("Sec\\;1\\\\@A\\;B:A:1-3; Side:1-2:1\n");

    const imported = ok(on("b.db", ["--json", "import", file("e.csv")])).json();
    expect(imported).toMatchObject({ created: 6, updated: 0, unchanged: 0, skippedCount: 0 });
    expect(eventList("b.db")).toEqual(eventList("a.db"));
    // Everything the views do not show (the codes, the map, the windows as set) is in the export: equal too.
    expect(ok(on("b.db", ["export", "events"])).stdout).toBe(exported);
    expect(ok(on("b.db", ["seats", "evt_hall"])).stdout).toBe(ok(on("a.db", ["seats", "evt_hall"])).stdout);
    // The code came across: reserving needs it.
    expect(on("b.db", ["reserve", "evt_semi", "--tier", "Rock, Pop"]).code).toBe(7);
    expect(on("b.db", ["reserve", "evt_semi", "--tier", "Rock, Pop", "--code", "A-B_C"]).code).toBe(0);

    // Again into the store it came from, and into the new one: unchanged, every event.
    for (const db of ["a.db", "b.db"]) {
      const again = ok(on(db, ["--json", "import", file("e.csv"), "--rows"])).json();
      expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 6, changedFields: {} });
      expect(again.events.map((event: { outcome: string }) => event.outcome)).toEqual(Array(6).fill("unchanged"));
    }
    expect(ok(on("b.db", ["import", file("e.csv")])).stdout).toMatch(/^file:\t.*\ncreated:\t0\nupdated:\t0\nunchanged:\t6\n/);
  });

  it("JSON, to a file (--output, readable by its owner only) and from it: the same events; re-imported, unchanged", () => {
    makeEvents("a.db");
    const answer = ok(on("a.db", ["--json", "export", "events", "--format", "json", "--output", file("e.json")])).json();
    expect(answer).toEqual({ status: "success", file: file("e.json"), exported: 6, hiddenCodes: 0 });
    expect(statSync(file("e.json")).mode & 0o777).toBe(0o600);
    const json = readFileSync(file("e.json"), "utf8");
    // The same bytes as standard output gets.
    expect(json).toBe(ok(on("a.db", ["export", "events", "--format", "json"])).stdout);
    const tour = JSON.parse(json).events.find((event: { id: string }) => event.id === "evt_tour");
    expect(tour).toEqual({
      id: "evt_tour", name: 'Tour, "live" — Zürich ☃ 東京', capacity: 1000, venue: "Hallenstadion, Zürich", startsAt: "2027-09-01T20:00:00.000Z",
      hold: "1h30m12s", price: null, currency: "USD",
      tiers: [
        { name: "Presale", capacity: 200, price: "39.00", code: "FANS", salesStart: "2027-03-02T09:00:00.000Z", salesEnd: "2027-03-08T00:00:00.000Z" },
        { name: "GA", capacity: 800, price: "49.00", code: null, salesStart: null, salesEnd: null },
      ],
      limitPerUser: 4, salesStart: "2027-03-01T10:00:00.000Z", salesEnd: "2027-08-31T23:59:00.000Z", seats: null,
    });
    expect(ok(on("c.db", ["--json", "import", file("e.json")])).json()).toMatchObject({ created: 6 });
    expect(eventList("c.db")).toEqual(eventList("a.db"));
    expect(ok(on("c.db", ["export", "events", "--format", "json"])).stdout).toBe(json);
    expect(ok(on("c.db", ["--json", "import", file("e.json")])).json()).toMatchObject({ created: 0, updated: 0, unchanged: 6 });
    // The CSV of the JSON-made store is the CSV of the first.
    expect(ok(on("c.db", ["export", "events"])).stdout).toBe(ok(on("a.db", ["export", "events"])).stdout);
  });

  it("memory ↔ SQLite, through a batch over the memory store", () => {
    // SQLite → memory → a file: the same export.
    makeEvents("a.db");
    const fromSqlite = ok(on("a.db", ["export", "events"])).stdout;
    writeFileSync(file("a.csv"), fromSqlite);
    const batch = runTix(["--store", "memory"], home.path, { input: `import ${file("a.csv")}\nexport events --output ${file("m.csv")}\nimport ${file("a.csv")}\n` });
    expect(batch.code, batch.stderr).toBe(0);
    expect(batch.stdout).toMatch(/created:\t6\n[\s\S]*created:\t0\nupdated:\t0\nunchanged:\t6\n/);
    expect(readFileSync(file("m.csv"), "utf8")).toBe(fromSqlite);

    // Events made in memory → JSON on standard output → SQLite.
    const simple = runTix(["--store", "memory", "--json"], home.path, {
      input: "event create --id evt_mem --name 'Mem, \"ory\" ✓' --tier 'VIP:5:10.00,code=VIP1,sales-end=2030-01-01' --tier GA:10:1 --limit-per-user 2\n"
        + "event create --id evt_mem_hall --name Hall --seats 'Front@Gold:A-B:1-4|5-8' --tier 'Gold:12.50,sales-start=2029-06-01'\n"
        + "export events --format json\n",
    });
    expect(simple.code, simple.stderr).toBe(0);
    const exportLine = simple.stdout.trim().split("\n").at(-1)!;
    writeFileSync(file("mem.json"), exportLine);
    ok(on("d.db", ["import", file("mem.json")]));
    expect(ok(on("d.db", ["export", "events", "--format", "json"])).stdout).toBe(`${exportLine}\n`);
    expect(ok(on("d.db", ["--json", "import", file("mem.json")])).json()).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
  });
});

describe("--output", () => {
  it("replaces a file whole, and refuses a folder or a missing one in one line, writing nothing", () => {
    makeEvents("a.db");
    writeFileSync(file("old.csv"), "old\n", { mode: 0o644 });
    // --json is the answer's form; the file is in --format (CSV by default).
    expect(ok(on("a.db", ["--json", "export", "events", "--output", file("old.csv")])).json()).toMatchObject({ exported: 6 });
    expect(readFileSync(file("old.csv"), "utf8")).toBe(ok(on("a.db", ["export", "events"])).stdout);
    expect(statSync(file("old.csv")).mode & 0o777).toBe(0o600);
    expect(on("a.db", ["export", "events", "--output", home.path])).toMatchObject({ code: 2, stdout: "", stderr: `error: output: cannot write "${home.path}": it is a folder, not a file\n` });
    const missing = file("no/such/e.csv");
    expect(on("a.db", ["export", "events", "--output", missing])).toMatchObject({ code: 2, stderr: `error: output: cannot write "${missing}": no such file\n` });
    expect(readdirSync(home.path).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("export tickets takes it too: the same text as standard output, in --format, whole or not at all", () => {
    makeEvents("a.db");
    for (const user of ["u1", "u2", "u3"]) ok(on("a.db", ["--user", user, "reserve", "evt_plain"]));
    expect(ok(on("a.db", ["--json", "export", "tickets", "--event", "evt_plain", "--output", file("t.csv")])).json()).toMatchObject({ exported: 3 });
    expect(readFileSync(file("t.csv"), "utf8")).toBe(ok(on("a.db", ["export", "tickets", "--event", "evt_plain"])).stdout);
    expect(statSync(file("t.csv")).mode & 0o777).toBe(0o600);
    ok(on("a.db", ["export", "tickets", "--event", "evt_plain", "--format", "json", "--output", file("t.json")]));
    expect(readFileSync(file("t.json"), "utf8")).toBe(ok(on("a.db", ["export", "tickets", "--event", "evt_plain", "--format", "json"])).stdout);
    const missing = file("no/such/t.csv");
    expect(on("a.db", ["export", "tickets", "--event", "evt_plain", "--output", missing])).toMatchObject({ code: 2, stdout: "", stderr: `error: output: cannot write "${missing}": no such file\n` });
    expect(readdirSync(home.path).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });
});

describe("--output and the files around it", () => {
  it("never replaces the SQLite store it reads, nor its -wal or -shm, by any path: one line, exit 2, the store intact", () => {
    makeEvents("a.db");
    const before = eventList("a.db");
    symlinkSync(file("a.db"), file("link.db"));
    const attempts: Array<[string[], string]> = [
      [["export", "events", "--output", file("a.db")], file("a.db")],
      [["export", "events", "--format", "json", "--output", join(home.path, ".", "..", basenameOf(home.path), "a.db")], file("a.db")],
      [["export", "tickets", "--event", "evt_plain", "--output", file("link.db")], file("a.db")],
      [["export", "events", "--output", file("a.db-wal")], file("a.db-wal")],
      [["export", "events", "--output", file("a.db-shm")], file("a.db-shm")],
    ];
    for (const [args, named] of attempts) {
      const run = on("a.db", args);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toBe(`error: output: cannot write "${args[args.length - 1]}": it is the store tix is reading (${named}); name another file\n`);
    }
    expect(lstatSync(file("link.db")).isSymbolicLink()).toBe(true);
    expect(eventList("a.db")).toEqual(before);
    expect(readdirSync(home.path).filter((name) => name.endsWith(".tmp"))).toEqual([]);
    // Another store's file is just a file: exporting a.db over b.db is asked for in so many words.
    ok(on("b.db", ["event", "list"]));
    ok(on("a.db", ["export", "events", "--output", file("b.db")]));
  });

  it("writes through a symbolic link (its target replaced, the link kept), and refuses a file the user may not write", () => {
    makeEvents("a.db");
    writeFileSync(file("target.csv"), "old\n");
    symlinkSync("target.csv", file("latest.csv"));
    ok(on("a.db", ["export", "events", "--output", file("latest.csv")]));
    expect(readlinkSync(file("latest.csv"))).toBe("target.csv");
    expect(readFileSync(file("target.csv"), "utf8")).toBe(ok(on("a.db", ["export", "events"])).stdout);

    // A read-only file (chmod a-w) is refused as the shell's > refuses it; root may write anything, so as nobody.
    const asRoot = process.getuid?.() === 0;
    writeFileSync(file("kept.csv"), "keep me\n");
    chmodSync(file("kept.csv"), 0o444);
    if (asRoot) for (const name of ["", "a.db", "kept.csv"]) chownSync(file(name), 65534, 65534);
    chmodSync(home.path, 0o755);
    const argv = [process.execPath, TIX_BIN, "--store", `sqlite:${file("a.db")}`, "export", "events", "--output", file("kept.csv")];
    const command = asRoot ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", ...argv] : argv;
    const run = spawnSync(command[0]!, command.slice(1), { env: testEnv(home.path), encoding: "utf8" });
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toBe(`error: output: cannot write "${file("kept.csv")}": permission denied\n`);
    expect(readFileSync(file("kept.csv"), "utf8")).toBe("keep me\n");
    expect(statSync(file("kept.csv")).mode & 0o777).toBe(0o444);
  });

  it("--output - is standard output, as import - is standard input (it made a file named -)", () => {
    makeEvents("a.db");
    const stdout = ok(on("a.db", ["export", "events"])).stdout;
    expect(ok(on("a.db", ["export", "events", "--output", "-"])).stdout).toBe(stdout);
    expect(ok(on("a.db", ["export", "tickets", "--event", "evt_plain", "--output", "-", "--format", "json"])).stdout).toBe(ok(on("a.db", ["export", "tickets", "--event", "evt_plain", "--format", "json"])).stdout);
    // As standard output: --json with CSV is refused as without --output.
    expect(on("a.db", ["--json", "export", "events", "--output", "-", "--format", "csv"]).code).toBe(2);
    expect(readdirSync(home.path)).not.toContain("-");
  });

  // Whole or not at all through a power loss too: the new file's data must be on the disk before it
  // takes the old one's name (else the rename can outlive the data: an empty file), and the rename before "done".
  const hasStrace = spawnSync("strace", ["-V"]).status === 0;
  it.skipIf(!hasStrace)("syncs the file before renaming it into place, and its folder after", () => {
    makeEvents("a.db");
    const log = file("strace.log");
    const run = spawnSync("strace", ["-f", "-y", "-o", log, "-e", "trace=fsync,fdatasync,rename,renameat,renameat2",
      process.execPath, TIX_BIN, "--store", `sqlite:${file("a.db")}`, "export", "events", "--output", file("e.csv")], { env: testEnv(home.path), encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const calls = readFileSync(log, "utf8").split("\n").filter((entry) => /\.e\.csv\.[0-9a-f]+\.tmp|<\/[^>]*>\)/.test(entry) && !entry.includes("a.db"));
    const synced = calls.findIndex((entry) => /(fsync|fdatasync)\(\d+<[^>]*\.e\.csv\.[0-9a-f]+\.tmp>\)\s+= 0/.test(entry));
    const renamed = calls.findIndex((entry) => /rename.*\.e\.csv\.[0-9a-f]+\.tmp.*e\.csv"?.*\s= 0/.test(entry));
    const folder = calls.findIndex((entry) => /(fsync|fdatasync)\(/.test(entry) && new RegExp(`<${home.path}>\\)\\s+= 0`).test(entry));
    expect(synced, calls.join("\n")).toBeGreaterThanOrEqual(0);
    expect(renamed, calls.join("\n")).toBeGreaterThan(synced);
    expect(folder, calls.join("\n")).toBeGreaterThan(renamed);
    expect(readFileSync(file("e.csv"), "utf8")).toBe(ok(on("a.db", ["export", "events"])).stdout);
  });

  it("says a full disk or a file size limit in words, and leaves what was there", () => {
    makeEvents("a.db");
    expect(on("a.db", ["export", "events", "--output", "/dev/full"])).toMatchObject({ code: 2, stdout: "", stderr: `error: output: cannot write "/dev/full": no space left on the device (ENOSPC)\n` });
    writeFileSync(file("old.csv"), "old\n");
    // A file size limit of 64 KiB, over the memory store (no -shm file to grow): 2,000 events do not fit.
    const rows = Array.from({ length: 2000 }, (_, i) => `evt_${i},Event number ${i} with a longer name,100\n`).join("");
    writeFileSync(file("many.csv"), `id,name,capacity\n${rows}`);
    const limited = spawnSync("sh", ["-c", `ulimit -f 64 && exec "$0" "$@"`, process.execPath, TIX_BIN, "--store", "memory"], {
      env: testEnv(home.path), encoding: "utf8", input: `import ${file("many.csv")}\nexport events --output ${file("old.csv")}\n`,
    });
    expect(limited.stderr).toBe(`line 2: error: output: cannot write "${file("old.csv")}": the file is at its size limit (EFBIG)\n`);
    expect(limited.status).toBe(2);
    expect(readFileSync(file("old.csv"), "utf8")).toBe("old\n");
    expect(readdirSync(home.path).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });
});

const basenameOf = (path: string): string => path.slice(path.lastIndexOf("/") + 1);

describe("access codes in an export", () => {
  it("--no-codes writes (hidden), which an import refuses, naming the line and column, rather than open the tier to all", () => {
    makeEvents("a.db");
    const hidden = ok(on("a.db", ["export", "events", "--no-codes"])).stdout;
    expect(hidden).not.toMatch(/FANS|GOLD|A-B_C/);
    expect(hidden).toContain("Presale:200:39.00,code=(hidden),sales-start=");
    writeFileSync(file("hidden.csv"), hidden);
    const refused = on("b.db", ["import", file("hidden.csv")]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("error: " + file("hidden.csv") + ": 3 invalid rows; nothing was imported");
    expect(refused.stderr).toContain('line 3: tier "VIP": its code is (hidden): the export was made without its access codes; write the code itself, or none to sell the tier without one\n');
    expect(refused.stderr).toMatch(/line 2: tier "Presale": its code is \(hidden\)/);
    expect(ok(on("b.db", ["--json", "event", "list"])).json().events).toEqual([]);
    const json = ok(on("a.db", ["--json", "export", "events", "--no-codes", "--format", "json", "--output", file("hidden.json")])).json();
    expect(json.hiddenCodes).toBe(3);
    // The export's JSON is one line: its events are told apart by their place in the list.
    expect(on("b.db", ["import", file("hidden.json")]).stderr).toContain('line 1, item 1: tier "Presale": its code is (hidden): the export was made without its access codes');
  });
});

describe("import's columns for what export writes", () => {
  it("seats: the map as --seats takes it, checked by the same rules, errors with the file's line and column", () => {
    const csv = file("seats.csv");
    writeFileSync(csv, "id,name,Seats,tiers\nevt_s,S,Floor:A-B:1-3; Balcony@Gold:A:1-4,Gold:30.00\nevt_bad,B,Floor:A:1-3:9,\nevt_tier,T,Floor:A:1-2,VIP:10.00\n");
    const refused = runTix(["import", csv], home.path);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('line 3: Seats: "Floor:A:1-3:9": must be SECTION[@TIER]:ROWS:SEATS, e.g. Floor:A-T:1-30');
    expect(refused.stderr).toContain('line 4: tiers: the seat map has no seats in tier "VIP"; its tiers are Floor');
    writeFileSync(csv, "id,name,Seats,tiers\nevt_s,S,Floor:A-B:1-3; Balcony@Gold:A:1-4,Gold:30.00\nevt_ga,G,,GA:2:1\n");
    expect(runTix(["--json", "import", csv], home.path).json()).toMatchObject({ created: 2 });
    expect(runTix(["--json", "event", "show", "evt_s"], home.path).json().event).toMatchObject({ seated: true, capacity: 10 });
    // A map for a general-admission event is refused as event update refuses it.
    // What only the stored event decides is named by its row too: a map for a general-admission event, a new currency.
    writeFileSync(csv, "id,name,seats\nevt_other,O,Floor:A:1\nevt_ga,G,Floor:A:1-2\n");
    const seated = runTix(["import", csv], home.path);
    expect([seated.code, seated.stderr]).toEqual([2, `error: ${csv}: line 3: seats: event evt_ga is general admission; a seat map is given when an event is created; nothing was imported\n`]);
    writeFileSync(csv, "id,name,Currency,capacity\nevt_ga,G,EUR,2\n");
    expect(runTix(["import", csv], home.path).stderr).toBe(`error: ${csv}: line 2: Currency: event evt_ga is priced in USD; its currency cannot change; nothing was imported\n`);
    expect(runTix(["--json", "event", "list"], home.path).json().events.map((event: { id: string }) => event.id).sort()).toEqual(["evt_ga", "evt_s"]);
  });

  it("keeps the tiers syntax: VIP:50:120.00;GA:500:45.00 without spaces, and a tier's code and window in it", () => {
    const csv = file("tiers.csv");
    writeFileSync(csv, "id,name,tiers\nevt_t,T,VIP:50:120.00;GA:500:45.00\nevt_c,C,\"Pre:5:1.00,code=x1,sales-end=2030-01-01;GA:5:2.00\"\n");
    expect(runTix(["--json", "import", csv], home.path).json()).toMatchObject({ created: 2 });
    const tiers = runTix(["--json", "event", "show", "evt_c"], home.path).json().event.tiers;
    expect(tiers.map((tier: { name: string; requiresCode: boolean; salesEnd: string | null }) => [tier.name, tier.requiresCode, tier.salesEnd]))
      .toEqual([["Pre", true, "2030-01-01T00:00:00.000Z"], ["GA", false, null]]);
    expect(runTix(["--json", "event", "show", "evt_t"], home.path).json().event.capacity).toBe(550);
  });
});

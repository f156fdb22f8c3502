// `tix export events` on a real terminal: an access code is a secret, shown there only when asked for.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TIX_BIN, runTix } from "../helpers/cli.js";
import { terminalsPerTest } from "../helpers/pty-terminal.js";

const terminals = terminalsPerTest();

function presale(): void {
  const made = runTix(["event", "create", "--id", "evt_tour", "--name", "Tour", "--tier", "Presale:20:39.00,code=FANS", "--tier", "GA:80:49.00"], terminals.home());
  expect(made.code, made.stderr).toBe(0);
}

describe("tix export events in a real terminal", () => {
  it("shows each access code as (hidden), says so on stderr, and shows it with --codes", async () => {
    presale();
    const hidden = terminals.tix(["--no-pager", "export", "events"]);
    expect(await hidden.exited).toBe(0);
    const screen = hidden.text();
    expect(screen).toContain('evt_tour,Tour,100,,,10m,,USD,"Presale:20:39.00,code=(hidden); GA:80:49.00",,,,');
    expect(screen).not.toContain("FANS");
    expect(screen.replace(/\s+/g, " ")).toContain("1 access code shown as (hidden): --codes shows it on a terminal; a file or a pipe always gets it");

    const json = terminals.tix(["--json", "export", "events"]);
    expect(await json.exited).toBe(0);
    expect(json.text()).toContain('"code":"(hidden)"');
    expect(json.text()).not.toContain("FANS");

    const shown = terminals.tix(["--no-pager", "export", "events", "--codes"]);
    expect(await shown.exited).toBe(0);
    expect(shown.text()).toContain("Presale:20:39.00,code=FANS; GA:80:49.00");
    expect(shown.text()).not.toContain("(hidden)");
  });

  it("redirected to a file from the terminal (the shell's > or --output), the codes are written: the file is the backup", async () => {
    presale();
    const out = join(terminals.home(), "events.csv");
    const redirected = terminals.open("/bin/sh", ["-c", `"${process.execPath}" "${TIX_BIN}" export events > "${out}"`]);
    expect(await redirected.exited).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("Presale:20:39.00,code=FANS; GA:80:49.00");
    expect(redirected.text()).toBe("");

    const output = join(terminals.home(), "backup.csv");
    const written = terminals.tix(["export", "events", "--output", output]);
    expect(await written.exited).toBe(0);
    expect(written.text()).toContain(`Exported 1 event to ${output}`);
    expect(readFileSync(output, "utf8")).toBe(readFileSync(out, "utf8"));
  });
});

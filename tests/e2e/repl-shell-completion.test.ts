import { spawnSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TIX_BIN, runTix, testEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";
import { Terminal } from "../helpers/pty-terminal.js";

const has = (shell: string) => spawnSync("sh", ["-c", `command -v ${shell}`]).status === 0;
let home: ReturnType<typeof tempDir>;
let env: Record<string, string>;
const carol = { held: "", bought: "", cancelled: "" };

/** A home with events and a ticket, and `tix` on the PATH (the scripts call it back for ids). */
beforeAll(() => {
  home = tempDir();
  const bin = join(home.path, "bin");
  mkdirSync(bin);
  symlinkSync(TIX_BIN, join(bin, "tix"));
  env = testEnv(home.path, { PATH: `${bin}:${process.env.PATH}` });
  runTix(["seed"], home.path);
  runTix(["reserve", "evt_jazz_evening", "--key", "k1"], home.path);
  // carol's tickets in three states: each command is offered those it can act on.
  const ticketOf = (...args: string[]) => (JSON.parse(runTix(["--user", "carol", "--json", ...args], home.path).stdout) as { ticket: { id: string } }).ticket.id;
  carol.held = ticketOf("reserve", "evt_jazz_evening", "--key", "c1");
  carol.bought = ticketOf("reserve", "evt_rock_night_2025", "--key", "c2");
  runTix(["--user", "carol", "purchase", carol.bought], home.path);
  carol.cancelled = ticketOf("reserve", "evt_indie_folk_sessions", "--key", "c3");
  runTix(["--user", "carol", "cancel", carol.cancelled], home.path);
  for (const shell of ["bash", "zsh", "fish"]) writeFileSync(join(home.path, `tix.${shell}`), runTix(["completion", shell], home.path).stdout);
});
afterAll(() => home.remove());

/** Another SQLite store, with an event and zoe's ticket: what a line's --store and --user name. */
let other: { other: string; zoeTicket: string } | undefined;
function otherStore(): { other: string; zoeTicket: string } {
  if (other) return other;
  const path = join(home.path, "other.db");
  runTix(["--store", `sqlite:${path}`, "event", "create", "--name", "Elsewhere", "--capacity", "3", "--id", "evt_elsewhere"], home.path);
  runTix(["--store", `sqlite:${path}`, "--user", "zoe", "reserve", "evt_elsewhere", "--key", "z1"], home.path);
  const zoes = runTix(["--store", `sqlite:${path}`, "--user", "zoe", "ticket", "list", "--json"], home.path);
  other = { other: path, zoeTicket: (JSON.parse(zoes.stdout) as { tickets: Array<{ id: string }> }).tickets[0]!.id };
  return other;
}

/** What bash offers for `line` (the cursor at its end), as `complete -F` would ask. */
function bashComplete(line: string): string[] {
  const script = `source "$1"; COMP_LINE="$2"; COMP_POINT=\${#2}; read -ra COMP_WORDS <<< "$2"; [[ "$2" == *" " ]] && COMP_WORDS+=("");
    COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _tix; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const out = spawnSync("bash", ["-c", script, "_", join(home.path, "tix.bash"), line], { env, encoding: "utf8" });
  return out.stdout.split("\n").filter(Boolean);
}

describe("tix completion", () => {
  it("prints a script for bash, zsh and fish, and refuses other shells (exit 2)", () => {
    expect(runTix(["completion", "bash"], home.path).stdout).toContain("complete -F _tix tix");
    expect(runTix(["completion", "zsh"], home.path).stdout).toMatch(/^#compdef tix/);
    expect(runTix(["completion", "fish"], home.path).stdout).toContain("complete -c tix");
    expect(runTix(["completion", "tcsh"], home.path).code).toBe(2);
  });

  it("has a hidden helper that prints ids one a line", () => {
    expect(runTix(["__complete", "event"], home.path).stdout.split("\n")).toContain("evt_jazz_evening");
    expect(runTix(["__complete", "ticket"], home.path).stdout).toMatch(/^tkt_\w+\n$/);
    expect(runTix(["--help"], home.path).stdout).not.toContain("__complete");
  });

  it.skipIf(!has("bash"))("bash completes commands, subcommands, options, choices and ids from the store", () => {
    expect(bashComplete("tix ")).toEqual(expect.arrayContaining(["event", "reserve", "purchase", "repl", "completion"]));
    expect(bashComplete("tix ev")).toEqual(["event"]);
    expect(bashComplete("tix --store memory ticket s")).toEqual(["show"]);
    expect(bashComplete("tix event create --n")).toEqual(["--name", "--no-color", "--no-input", "--no-pager"]);
    expect(bashComplete("tix reserve evt_j")).toEqual(["evt_jazz_evening"]);
    expect(bashComplete("tix purchase tkt_")).toHaveLength(1);
    expect(bashComplete("tix ticket list --event evt_r")).toEqual(["evt_rock_night_2025"]);
    expect(bashComplete("tix completion ")).toEqual(["bash", "zsh", "fish"]);
    expect(bashComplete("tix reserve --key ")).toEqual([]);
    expect(bashComplete("tix reserve evt_jazz_evening ")).toEqual([]);
  });

  it.skipIf(!has("bash"))("bash offers each command the tickets it can act on", () => {
    // Before, every one of carol's tickets to every command: purchase then failed (ALREADY_PURCHASED…).
    expect(bashComplete("tix --user carol purchase tkt_")).toEqual([carol.held]);
    expect(bashComplete("tix --user carol cancel tkt_").sort()).toEqual([carol.held, carol.bought].sort());
    expect(bashComplete("tix --user carol transfer tkt_")).toEqual([carol.bought]);
    expect(bashComplete("tix --user carol ticket show tkt_").sort()).toEqual(Object.values(carol).sort());
  });

  it.skipIf(!has("bash"))("a bash script printed before --for still completes ticket ids: every one of the user's", () => {
    const old = join(home.path, "old.bash");
    writeFileSync(old, runTix(["completion", "bash"], home.path).stdout
      .replace(/_tix_ids\(\) \{\n.*\n\}/, '_tix_ids() {\n  "$1" "${@:4}" __complete "$2" "$3" 2>/dev/null\n}')
      .replaceAll('"$cur" "$path" "${globals[@]}"', '"$cur" "${globals[@]}"').replaceAll('"$cur" "" "${globals[@]}"', '"$cur" "${globals[@]}"'));
    const script = `source "$1"; COMP_LINE="$2"; COMP_POINT=\${#2}; read -ra COMP_WORDS <<< "$2"; COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _tix; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const offered = spawnSync("bash", ["-c", script, "_", old, "tix --user carol purchase tkt_"], { env, encoding: "utf8" }).stdout.split("\n").filter(Boolean);
    expect(offered.sort()).toEqual(Object.values(carol).sort());
  });

  it.skipIf(!has("bash"))("bash at a real prompt: after --store sqlite:PATH (split at its : by bash) and --user, Tab offers that store's and user's ids", async () => {
    // Before, bash's own split of `sqlite:/x.db` into three words read as an argument (nothing was
    // offered, not even `show`), and ids came from the default store whatever --store said.
    const { other, zoeTicket } = otherStore();
    const bash = new Terminal("bash", ["--norc", "--noprofile", "-i"], { ...env, HOME: home.path }, { cols: 300, rows: 40 });
    try {
      bash.type(`PS1='> '; source ${join(home.path, "tix.bash")}; echo ready\r`);
      await bash.waitFor(/^ready$/m);
      bash.type(`tix --store sqlite:${other} event sh\t`);
      await bash.waitFor(/event show $/m);
      bash.type("evt_\t");
      await bash.waitFor(/^evt_elsewhere $/m);
      bash.type(`\x15tix --store=sqlite:${other} --user zoe purchase tkt_\t`);
      await bash.waitFor(new RegExp(`purchase ${zoeTicket} $`, "m"));
      // A quoted value with a blank is still one word: the id after it is the first argument.
      bash.type(`\x15tix event update --name "Rock Night" evt_j\t`);
      await bash.waitFor(/evt_jazz_evening $/m);
    } finally {
      bash.kill();
    }
  });

  it.skipIf(!has("bash"))("bash at a real prompt: an id joined to its option by = (--event=evt_r) is completed", async () => {
    // Before, bash's split of the word at = left evt_r as an argument of its own: nothing was offered.
    const bash = new Terminal("bash", ["--norc", "--noprofile", "-i"], { ...env, HOME: home.path }, { cols: 300, rows: 40 });
    try {
      bash.type(`PS1='> '; source ${join(home.path, "tix.bash")}; echo ready\r`);
      await bash.waitFor(/^ready$/m);
      bash.type("tix ticket list --event=evt_r\t");
      await bash.waitFor(/--event=evt_rock_night_2025 $/m);
      bash.type("\x15tix ticket list --event=evt_ja\t");
      await bash.waitFor(/--event=evt_jazz_evening $/m);
    } finally {
      bash.kill();
    }
  });

  it.skipIf(!has("fish"))("fish completes the same, with descriptions", () => {
    const fish = (line: string) => spawnSync("fish", ["--no-config", "-c", `source $argv[1]; complete -C $argv[2]`, join(home.path, "tix.fish"), line],
      { env, encoding: "utf8" }).stdout.split("\n").filter(Boolean).map((entry) => entry.split("\t")[0]);
    expect(fish("tix ev")).toEqual(["event"]);
    expect(fish("tix event ")).toEqual(["create", "list", "show", "update"]);
    expect(fish("tix reserve evt_j")).toEqual(["evt_jazz_evening"]);
    expect(fish("tix ticket list --event evt_r")).toEqual(["evt_rock_night_2025"]);
    expect(fish("tix reserve --k")).toEqual(["--key"]);
    // An id joined to its option by = (before: the whole --event=evt_r was taken as the prefix, nothing matched).
    expect(fish("tix ticket list --event=evt_r")).toEqual(["--event=evt_rock_night_2025"]);
    // The line's --store and --user, as the command will use them (before: the default store's, the login user's).
    const { other: path, zoeTicket } = otherStore();
    expect(fish(`tix --store sqlite:${path} event show evt_`)).toEqual(["evt_elsewhere"]);
    expect(fish(`tix --store=sqlite:${path} --user zoe purchase tkt_`)).toEqual([zoeTicket]);
    // Each command the tickets it can act on (before: every one of carol's to every command).
    expect(fish("tix --user carol purchase tkt_")).toEqual([carol.held]);
    expect(fish("tix --user carol cancel tkt_").sort()).toEqual([carol.held, carol.bought].sort());
    expect(fish("tix --user carol ticket show tkt_").sort()).toEqual(Object.values(carol).sort());
  });

  it.skipIf(!has("zsh"))("zsh completes at a real prompt with Tab", async () => {
    const zsh = new Terminal("zsh", ["-f", "-i"], { ...env, HOME: home.path }, { cols: 300, rows: 40 });
    try {
      zsh.type(`PS1='> '; autoload -Uz compinit && compinit -u -D; source ${join(home.path, "tix.zsh")}; echo ready\r`);
      await zsh.waitFor(/^ready$/m);
      zsh.type("tix ev\t");
      await zsh.waitFor(/tix event /);
      zsh.type("\x15tix reserve evt_j\t");
      await zsh.waitFor(/tix reserve evt_jazz_evening/);
      zsh.type("\x15tix completion f\t");
      await zsh.waitFor(/tix completion fish/);
      // The line's --store and --user, as the command will use them (before: the default store's, the login user's).
      const { other: path, zoeTicket } = otherStore();
      zsh.type(`\x15tix --store sqlite:${path} event show evt_\t`);
      await zsh.waitFor(/event show evt_elsewhere/);
      zsh.type(`\x15tix --store=sqlite:${path} --user zoe purchase tkt_\t`);
      await zsh.waitFor(new RegExp(`purchase ${zoeTicket}`));
      // carol's one live hold, the only ticket purchase can act on (before: all three were offered).
      zsh.type("\x15tix --user carol purchase tkt_\t");
      await zsh.waitFor(new RegExp(`purchase ${carol.held}`));
      // An id joined to its option by = (before: the options were offered).
      zsh.type("\x15tix ticket list --event=evt_r\t");
      await zsh.waitFor(/--event=evt_rock_night_2025/);
    } finally {
      zsh.kill();
    }
  });
});

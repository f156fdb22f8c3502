import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, copyFileSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TIX_BIN, runTix, testEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * Two stores SQLite cannot use for a reason outside the file itself: the error names that reason
 * (exit 8, one line), not a read-only file or a bare I/O error that sends a user to the wrong fix.
 */
const isRoot = process.getuid?.() === 0;
let home: { path: string; remove: () => void };
beforeEach(() => {
  home = tempDir("tix-folder-disk-");
  chmodSync(home.path, 0o755);
  expect(runTix(["event", "create", "--id", "evt_kept", "--name", "Kept", "--capacity", "3"], home.path).code).toBe(0);
});
afterEach(() => home.remove());

/** bin/tix on `store`, as a user who cannot write the folder (root is let through anyway: run as nobody). */
function runAs(store: string, args: string[], uid?: number) {
  const command = uid === undefined ? [process.execPath, TIX_BIN, ...args] : ["setpriv", `--reuid=${uid}`, `--regid=${uid}`, "--clear-groups", process.execPath, TIX_BIN, ...args];
  return spawnSync(command[0]!, command.slice(1), { env: testEnv(store), encoding: "utf8" });
}

describe("a store SQLite cannot use for a reason outside its file", () => {
  it("names a read-only folder, not a read-only file", () => {
    const store = join(home.path, "store");
    mkdirSync(store);
    copyFileSync(join(home.path, "tix.db"), join(store, "tix.db"));
    const uid = isRoot ? 65534 : undefined; // nobody: root would write the folder regardless of its mode
    if (uid !== undefined) {
      chownSync(store, uid, uid);
      chownSync(join(store, "tix.db"), uid, uid);
    }
    chmodSync(store, 0o500);
    try {
      const run = runAs(store, ["event", "list"], uid);
      expect(run.status, run.stderr).toBe(8);
      expect(run.stderr).toMatch(/^error: the store .*tix\.db cannot be used: its folder is read-only \(tix needs to create the -wal and -shm files beside it\) \(SQLITE_READONLY_DIRECTORY\)\n$/);
    } finally {
      chmodSync(store, 0o700);
    }
  });

  // Mounting a small file system needs root.
  it.skipIf(!isRoot)("says the disk may be full when the -shm file cannot grow", () => {
    const mount = join(home.path, "small");
    mkdirSync(mount);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mount]);
    try {
      copyFileSync(join(home.path, "tix.db"), join(mount, "tix.db"));
      const free = Number(execFileSync("df", ["-k", "--output=avail", mount], { encoding: "utf8" }).trim().split("\n")[1]);
      writeFileSync(join(mount, "fill"), Buffer.alloc((free - 4) * 1024));
      const before = statSync(join(mount, "tix.db")).mtimeMs;
      const run = runTix(["event", "list"], mount);
      expect(run.code, run.stderr).toBe(8);
      expect(run.stderr).toMatch(/^error: the store .*tix\.db cannot be used: its -shm file could not grow \(is the disk full\?\) \(SQLITE_IOERR_SHMSIZE\)\n$/);
      expect(statSync(join(mount, "tix.db")).mtimeMs).toBe(before);
    } finally {
      execFileSync("umount", [mount]);
    }
  });

  // A backup mounted read-only, a snapshot: SQLite said only "cannot be opened" (SQLITE_CANTOPEN).
  it.skipIf(!isRoot)("names a read-only file system, where SQLite cannot make its -wal and -shm files even to read", () => {
    const mount = join(home.path, "backup");
    mkdirSync(mount);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mount]);
    try {
      copyFileSync(join(home.path, "tix.db"), join(mount, "tix.db"));
      execFileSync("mount", ["-o", "remount,ro", mount]);
      for (const args of [["event", "list"], ["reserve", "evt_kept"], ["export", "events"]]) {
        const run = runTix(args, mount);
        expect(run.code, run.stderr).toBe(8);
        expect(run.stdout).toBe("");
        expect(run.stderr).toBe(`error: the store ${join(mount, "tix.db")} cannot be used: it is on a read-only file system (tix needs to create the -wal and -shm files beside it, even to read; copy it to a writable folder) (SQLITE_CANTOPEN)\n`);
      }
    } finally {
      execFileSync("umount", [mount]);
    }
  });
});

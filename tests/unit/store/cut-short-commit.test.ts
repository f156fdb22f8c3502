import { describe, expect, it } from "vitest";
import { cutShortCommit } from "../../../src/store/postgres/host-pools.js";

/**
 * A commit whose wait for the synchronous standby is cut short is in doubt (tests/postgres/
 * in-doubt-failover.test.ts shows it on real servers, in English, and passes with the routine alone).
 * Here: a server whose lc_messages is German — the text translated, the severity and routine not —
 * which this machine has no locale to start a server in.
 */
describe("cutShortCommit", () => {
  it("knows the warning by the routine that raises it, in any language", () => {
    expect(cutShortCommit({
      severity: "WARNING",
      routine: "SyncRepWaitForLSN",
      message: "Warten auf synchrone Replikation wird abgebrochen wegen Benutzeraufforderung",
      detail: "Die Transaktion wurde lokal bereits committet, aber möglicherweise noch nicht zum Standby repliziert.",
    })).toBe(true);
  });

  it("knows it by its English text too, and nothing else for it", () => {
    expect(cutShortCommit({ severity: "WARNING", message: "canceling wait for synchronous replication due to user request" })).toBe(true);
    expect(cutShortCommit({ severity: "WARNING", routine: "SyncRepWaitForLSN", message: "x" })).toBe(true);
    expect(cutShortCommit({ severity: "NOTICE", routine: "SyncRepWaitForLSN" })).toBe(false);
    expect(cutShortCommit({ severity: "WARNING", routine: "ExecCheckPlanOutput", message: "there is no transaction in progress" })).toBe(false);
    expect(cutShortCommit({})).toBe(false);
  });
});

import { join } from "node:path";
import type { Command } from "commander";
import { listIds } from "../completion/ids.js";
import { replCompleter } from "../completion/repl-completer.js";
import { describeCommands } from "../completion/tree.js";
import { redactUrl } from "../../core/index.js";
import { tixHome } from "../environment.js";
import { fitToStderr } from "../output/screen.js";
import { escapeControl } from "../output/text.js";
import type { Factory } from "../factory.js";
import type { Globals } from "../globals.js";
import { VERSION } from "../version.js";
import { groupCommitDrivenBy } from "../../app/open-tix.js";
import { runBatch } from "./batch.js";
import { HistoryFile } from "./history.js";
import { runInteractive } from "./interactive.js";
import type { Session } from "./session-state.js";

// Loaded with the session (dist/cli-lazy.cjs), not at every start: run.ts reads a session's plain reserve lines with it.
export { readPlainReserve } from "./plain-reserve.js";

/**
 * A session over one factory (so `--store memory` lives as long as it does): the REPL when stdin
 * is a terminal, else batch. Answers the exit code: 0 for a REPL, the first failure's for a batch.
 */
export async function runSession(session: Session, f: Factory, program: Command, globals: Globals): Promise<number> {
  if (f.io.stdin.isTTY !== true) {
    // Over a store on disk or a server, a batch commits the writes of lines that come together at once.
    return runBatch(session, f.io.stdout.isTTY === true ? undefined : (trigger) => {
      const options = groupCommitDrivenBy(globals.storeUrl, trigger);
      if (options) f.groupCommitsFor(options);
      return options !== undefined;
    });
  }
  const banner = `tix ${VERSION} over ${escapeControl(redactUrl(globals.storeUrl))}, as ${escapeControl(globals.user)}. Type help, or exit to leave.`;
  // Laid out between words to the terminal's width, which would otherwise break it mid-word.
  f.io.stderr.write(`${fitToStderr(banner, f.io)}\n`);
  // A line's own --user is whose tickets it acts on; under another --store, the session's ids would
  // be the wrong ones, and opening that store on a Tab could create it: none are offered.
  const completer = replCompleter(describeCommands(program), async (kind, prefix, line = {}, command = "") =>
    line.store !== undefined && line.store !== globals.storeUrl ? [] : listIds(await f.tix(globals.storeUrl), kind, line.user ?? globals.user, prefix, command));
  return runInteractive(session, new HistoryFile(join(tixHome(f.io.env), "history")), completer);
}

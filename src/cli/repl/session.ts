import { join } from "node:path";
import type { Command } from "commander";
import { tixHome } from "../environment.js";
import type { CliContext, Globals } from "../context.js";
import { VERSION } from "../version.js";
import { runBatch } from "./batch.js";
import { listIds } from "./completion/ids.js";
import { replCompleter } from "./completion/repl-completer.js";
import { describeCommands } from "./completion/tree.js";
import { HistoryFile } from "./history.js";
import { runInteractive } from "./interactive.js";

/**
 * A session over one context (so `--store memory` lives as long as it does): the REPL when stdin
 * is a terminal, else batch. Answers the exit code: 0 for a REPL, the first failure's for a batch.
 */
export async function runSession(ctx: CliContext, program: Command, globals: Globals, defaults: readonly string[]): Promise<number> {
  ctx.inSession = true;
  try {
    if (ctx.io.stdin.isTTY !== true) return await runBatch(ctx, defaults);
    ctx.io.stderr.write(`tix ${VERSION} over ${describeStore(globals.storeUrl)}, as ${globals.user}. Type help, or exit to leave.\n`);
    const completer = replCompleter(describeCommands(program),
      async (kind) => listIds(await ctx.tix(globals.storeUrl), kind, globals.user));
    return await runInteractive(ctx, defaults, new HistoryFile(join(tixHome(ctx.io.env), "history")), completer);
  } finally {
    ctx.inSession = false;
  }
}

/** The store for a banner: a URL's password is never shown. */
export function describeStore(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, "$1:***@");
}

import { Command } from "commander";
import { invalidArgument, parseUserId } from "../../core/index.js";
import { tixHome } from "../environment.js";
import type { CommandContext } from "../command-context.js";
import { EXIT_INTERRUPTED } from "../exit-codes.js";
import { isProcessIo, keepGoingOnWriteErrors } from "../io.js";
import { fitToStderr } from "../output/screen.js";
import { collect } from "../option-values.js";
import { Interrupted } from "../prompts/interrupted.js";

export function serveCommand(ctx: CommandContext): Command {
  return new Command("serve")
    .description("serve the Web API (JSON over HTTP) over the store until Ctrl-C or SIGTERM")
    .option("--port <port>", "TCP port to listen on; 0 picks a free one", "5000")
    .option("--host <host>", "address to listen on; 0.0.0.0 for every interface", "127.0.0.1")
    .option("--anonymous-user <id>", "for the seed's clients, which send no token: requests without one act as this user (who may change events)")
    .option("--insecure", "allow --anonymous-user on an address other than loopback, for requests naming any host")
    .option("--cors-origin <origin>", "let web pages of this origin (scheme://host[:port]) call the server from a browser; repeat for more; * for any (not with --anonymous-user)", collect)
    .option("--no-group-commit", "commit each request on its own (by default requests that arrive together share one commit)")
    .addHelpText("after", `
Requests acting as a user need a bearer token: tix token create --user <id> (--admin to change events).
With --anonymous-user, requests without a token act as that user instead; tokens still work and win.
Web pages do not: a request from a page of another origin (unless named with --cors-origin), or
naming a domain other than localhost (unless --insecure), needs a token.
With --cors-origin, pages of that origin may call the server from a browser (CORS: preflights are
answered, answers readable); other pages' requests get no CORS headers, so the browser refuses them.
One access-log line per request goes to stderr (a line that cannot be written, as on a full disk,
is lost; the server goes on).

Examples:
  $ tix serve
  $ tix --store sqlite:./tix.db serve --port 8080 --host 0.0.0.0
  $ tix serve --anonymous-user seed-client        # the seed's clients, unchanged, on loopback
  # a web front-end served on another port
  $ tix serve --cors-origin http://localhost:3000
  $ curl -s localhost:5000/events`)
    .action(ctx.action(async (line, flags: { port: string; host: string; anonymousUser?: string; insecure?: boolean; corsOrigin?: string[]; groupCommit: boolean }, command: Command) => {
      const globals = line.globals(command);
      const port = parsePort(flags.port);
      const anonymousUser = parseAnonymousUser(flags);
      // Loaded only here: the server adds nothing to the start-up of other commands.
      const { runServer, parseCorsOrigins } = await import("../../http/run-server.js");
      // Checked before the store is opened: a bad origin changes nothing.
      const corsOrigins = parseCorsOrigins(flags.corsOrigin ?? [], anonymousUser);
      // The access log: a line that cannot be written is lost, the server goes on (see io.ts).
      keepGoingOnWriteErrors(line.f.io.stderr);
      // So is the one line on stdout (--json, the URL): its reader gone before it (a script's parser
      // that died) ended the server, exit 0 with not a word, while the log said it was listening.
      keepGoingOnWriteErrors(line.f.io.stdout);
      const { signal: stoppedBy, cutShort } = await runServer({
        tix: await line.f.tix(globals.storeUrl, { groupCommit: flags.groupCommit }),
        clock: line.f.clock,
        home: tixHome(line.f.io.env),
        port,
        host: flags.host,
        stderr: line.f.io.stderr,
        terminal: line.f.io.stderr.isTTY === true ? { layOut: (text) => fitToStderr(text, line.f.io) } : undefined,
        debug: line.f.io.env.TIX_DEBUG === "1",
        anonymousUser,
        anonymousFromAnyHost: flags.insecure === true,
        corsOrigins,
        // A script (`--port 0`) learns where to send requests from stdout, not by reading the log.
        onListening: globals.json ? (url) => line.f.io.stdout.write(`${JSON.stringify({ status: "success", url })}\n`) : undefined,
      });
      // Requests cut short (a second signal, or the grace time up) may still wait in the store — for
      // a lock, up to the busy timeout — with nobody left to answer: the process ends now rather
      // than close the store after them (it waited that long, signals or not). Their connections
      // end with it: the server rolls back what did not commit, as after a crash.
      if (cutShort && isProcessIo(line.f.io)) process.exit(stoppedBy === "SIGINT" ? EXIT_INTERRUPTED : 0);
      // Stopped gracefully either way; Ctrl-C is exit 130 as everywhere in tix (the contract's
      // exit table), a service manager's SIGTERM is 0.
      if (stoppedBy === "SIGINT") throw new Interrupted("interrupted");
    }));
}

/**
 * Anyone who can reach the address acts as the anonymous user, so off loopback that takes
 * `--insecure` as well: a server opened to the network by mistake must not sell in someone's name.
 */
function parseAnonymousUser(flags: { host: string; anonymousUser?: string; insecure?: boolean }): string | undefined {
  if (flags.anonymousUser === undefined) {
    if (flags.insecure) throw invalidArgument("insecure", "only applies with --anonymous-user");
    return undefined;
  }
  const user = parseUserId(flags.anonymousUser, "anonymous-user");
  if (!isLoopback(flags.host) && !flags.insecure) {
    throw invalidArgument("anonymous-user", `on --host ${flags.host}, anyone who can reach it would act as ${user}; add --insecure if that is what you want, or serve on 127.0.0.1`);
  }
  return user;
}

function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  return bare === "localhost" || bare === "::1" || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

function parsePort(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) throw invalidArgument("port", `"${text}" must be a whole number from 0 to 65535`);
  return port;
}

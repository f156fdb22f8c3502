import { Command } from "commander";
import { toIso } from "../../core/index.js";
import { tixHome } from "../environment.js";
import type { CommandContext } from "../command-context.js";
import { relativeTime } from "../output/text.js";

export function tokenCommand(ctx: CommandContext): Command {
  const token = new Command("token").description("bearer tokens for the Web API (tix serve)")
    .addHelpText("after", `
Examples:
  $ tix token create --user alice --ttl 8h
  $ tix token create --user boxoffice --admin`);

  token
    .command("create")
    .description("issue a signed bearer token for --user (default: the acting user), valid for --ttl")
    .option("--ttl <duration>", "how long the token is valid: 30m, 1h, 7d (1s to 365d)", "1h")
    .option("--admin", "may also create and change events over HTTP (POST, PUT, PATCH /events)")
    .addHelpText("after", `
Whose token it is: the global --user <id> (or TIX_USER, else your login name).
The token is printed alone on stdout. It is signed with the secret in $TIX_HOME/secret (made on
first use, mode 0600); deleting that file invalidates every token issued so far.

Examples:
  $ tix token create --user alice
  $ TOKEN=$(tix token create --user alice --ttl 8h)
  $ tix token create --user boxoffice --admin        # may create and change events
  $ curl -s -X POST localhost:5000/tickets/evt_jazz_evening/reserve \\
      -H "Authorization: Bearer $TOKEN" -H "Idempotency-Key: order-1001"`)
    .action(ctx.action(async (line, flags: { ttl: string; admin?: boolean }, command: Command) => {
      const globals = line.globals(command);
      const { issueToken, loadSecret, parseTokenTtl } = await import("../../auth/tokens.js");
      const ttlSeconds = parseTokenTtl(flags.ttl); // checked before the secret is made: bad input changes nothing
      const issued = issueToken(loadSecret(tixHome(line.f.io.env)), {
        userId: globals.user, ttlSeconds, now: line.f.clock.now(), admin: flags.admin === true,
      });
      const expiresAt = toIso(issued.expiresAt);
      const role = issued.admin ? " (admin: may change events)" : "";
      const message = `✓ Token for ${issued.userId}${role}; it expires ${relativeTime(expiresAt, line.f.clock.now())}`;
      line.show({ type: "token", token: issued.token, userId: issued.userId, expiresAt, admin: issued.admin, message }, globals);
    }));

  return token;
}

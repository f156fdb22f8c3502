import { invalidArgument } from "./errors.js";
import { quote } from "./text.js";

/**
 * A path starting with `~` that reached tix still has it: only a shell expands `~`, and only
 * unquoted (`TIX_HOME="~/tix"`, an env file, a systemd unit and Docker's `-e` keep it). Taken as it
 * is, it made a folder named `~` in whatever folder the command ran from, a store in each.
 * `prefix`: what the message shows before the path (`sqlite:`).
 */
export function refuseTilde(path: string, field: string, prefix = ""): string {
  const tilde = /^~[^/]*/.exec(path)?.[0];
  if (tilde === undefined) return path;
  const home = tilde === "~" ? "$HOME" : `/home/${tilde.slice(1)}`;
  throw invalidArgument(field, `${quote(prefix + path)} starts with ${tilde}, which only a shell expands (unquoted): it would be a folder named ${tilde} in the current one; write the full path, such as ${prefix}${home}${path.slice(tilde.length)}`);
}

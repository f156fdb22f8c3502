import type { Command } from "commander";
import { bashScript } from "./bash.js";
import { fishScript } from "./fish.js";
import { scriptModel } from "./model.js";
import { describeCommands } from "./tree.js";
import { zshScript } from "./zsh.js";

export function completionScript(shell: "bash" | "zsh" | "fish", program: Command): string {
  const model = scriptModel(describeCommands(program));
  return shell === "bash" ? bashScript(model) : shell === "zsh" ? zshScript(model) : fishScript(model);
}

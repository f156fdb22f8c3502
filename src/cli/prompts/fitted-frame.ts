import { styleText } from "node:util";
import { displayWidth, truncate } from "../output/text.js";

type Core = typeof import("@inquirer/core");

/** inquirer's own keys' help ("↑↓ navigate • ⏎ select"), for what tix's themes leave out. */
export function keysHelpTip(keys: Array<[string, string]>): string {
  return keys.map(([key, action]) => `${styleText("bold", key)} ${styleText("dim", action)}`).join(styleText("dim", " • "));
}

/**
 * A hook for a prompt fitted to the terminal (fittedSelect, fittedSearch): the prompt is drawn
 * again when `terminal` (the output stream) is resized — inquirer draws only on a key. `cleanup`
 * runs when the prompt ends.
 */
export function useRedrawOnResize(core: Core, terminal: NodeJS.EventEmitter, cleanup?: () => void): void {
  const [, redraw] = core.useState(0);
  core.useEffect(() => {
    const resized = (): void => redraw((count) => count + 1);
    terminal.on("resize", resized);
    return () => {
      terminal.off("resize", resized);
      cleanup?.();
    };
  }, []);
}

/**
 * The picked choice's name as the answer after the question's last line ("✔ Which event? Rock
 * Night 2025 — …"), cut to what the terminal's `columns` leave of that line.
 */
export function fittedAnswer(question: string, name: string, columns: number, ellipsis: string): string {
  const lastLine = displayWidth(question.slice(question.lastIndexOf("\n") + 1)) + (question.includes("\n") ? 0 : 2);
  return truncate(name, Math.max(1, columns - lastLine - 3), ellipsis);
}

import { styleText } from "node:util";
import { displayWidth, truncate } from "../output/text.js";
import { fittedAnswer, keysHelpTip, useRedrawOnResize } from "./fitted-frame.js";
import type { PromptChoice } from "./prompter.js";

type Core = typeof import("@inquirer/core");

/** A pick list whose question, choices and page are fitted to the terminal at each frame. */
export interface FittedSelectConfig<T> {
  /** The question laid out for the terminal's width now. */
  message: () => string;
  choices: ReadonlyArray<PromptChoice<T>>;
  columns: () => number;
  /** How many choices at a time, for the terminal's height now. */
  pageSize: () => number;
  ellipsis: string;
  /** The terminal's output stream: it emits "resize" when the window changes size (SIGWINCH). */
  terminal: NodeJS.EventEmitter;
  theme?: object;
}

interface SelectTheme {
  icon: { cursor: string };
  style: { disabled: (text: string) => string; description: (text: string) => string; keysHelpTip: (keys: Array<[string, string]>) => string };
}

/** inquirer select's own look, for what tix's themes (inquirer-prompter.ts) leave out. */
const SELECT_THEME: SelectTheme = {
  icon: { cursor: "❯" },
  style: {
    disabled: (text: string) => styleText("dim", text),
    description: (text: string) => styleText("cyan", text),
    keysHelpTip,
  },
};
const DISABLED_ERROR = "This option is disabled and cannot be selected.";
const HIDE_CURSOR = "\x1b[?25l";

/**
 * inquirer's select (↑↓ move, Enter picks, a number or the first letters jump, a disabled choice
 * refuses Enter), drawn again when the terminal is resized, at its new width and height: inquirer's
 * own draws only on a key, and its choices were cut to the width they were opened at.
 */
export function fittedSelect(core: Core) {
  const { createPrompt, useState, useKeypress, usePrefix, usePagination, useRef, makeTheme, isEnterKey, isUpKey, isDownKey, isBackspaceKey, isNumberKey } = core;
  return createPrompt<unknown, FittedSelectConfig<unknown>>((config, done) => {
    const theme = makeTheme<SelectTheme>(SELECT_THEME, config.theme as Parameters<typeof makeTheme<SelectTheme>>[1]);
    const { choices: items, ellipsis } = config;
    const [status, setStatus] = useState<"idle" | "done">("idle");
    const prefix = usePrefix({ status, theme });
    const [active, setActive] = useState(() => Math.max(0, items.findIndex((item) => item.disabled === undefined)));
    const [error, setError] = useState<string | undefined>(undefined);
    const typing = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
    useRedrawOnResize(core, config.terminal, () => clearTimeout(typing.current));
    useKeypress((key, rl) => {
      clearTimeout(typing.current);
      setError(undefined);
      const choice = items[active]!;
      if (isEnterKey(key)) {
        if (choice.disabled !== undefined) return setError(DISABLED_ERROR);
        setStatus("done");
        return done(choice.value);
      }
      if (isUpKey(key) || isDownKey(key)) {
        rl.clearLine(0);
        return setActive(Math.min(Math.max(active + (isUpKey(key) ? -1 : 1), 0), items.length - 1));
      }
      if (isBackspaceKey(key)) return rl.clearLine(0);
      // A number picks the choice at that place; letters, the first choice whose name starts with them.
      const typed = rl.line.toLowerCase();
      const found = isNumberKey(key) && !Number.isNaN(Number(typed)) ? Number(typed) - 1 : items.findIndex((item) => item.disabled === undefined && item.name.toLowerCase().startsWith(typed));
      if (items[found] !== undefined && items[found].disabled === undefined) setActive(found);
      typing.current = setTimeout(() => rl.clearLine(0), 700);
    });

    const columns = config.columns();
    const question = config.message();
    const message = theme.style.message(question, status);
    const choice = items[active]!;
    if (status === "done") return [prefix, message, theme.style.answer(fittedAnswer(question, choice.name, columns, ellipsis))].filter(Boolean).join(" ");
    const page = usePagination({
      items,
      active,
      pageSize: config.pageSize(),
      loop: false,
      // Each choice on one line, cut to the width now (a wrapped one would take the page's lines).
      renderItem: ({ item, isActive }) => {
        const cursor = isActive ? theme.icon.cursor : " ";
        if (item.disabled === undefined) return (isActive ? theme.style.highlight : String)(`${cursor} ${truncate(item.name, Math.max(1, columns - 2), ellipsis)}`);
        const name = truncate(item.name, Math.max(1, columns - 3 - displayWidth(item.disabled)), ellipsis);
        return theme.style.disabled(`${isActive ? cursor : "-"} ${name} ${item.disabled}`);
      },
    });
    return `${[
      [prefix, message].filter(Boolean).join(" "),
      page,
      " ",
      choice.description === undefined ? "" : theme.style.description(truncate(choice.description, columns, ellipsis)),
      error === undefined ? "" : theme.style.error(error),
      theme.style.keysHelpTip([["↑↓", "navigate"], ["⏎", "select"]]),
    ].filter(Boolean).join("\n").trimEnd()}${HIDE_CURSOR}`;
  });
}

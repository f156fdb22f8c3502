import { styleText } from "node:util";
import { displayWidth, truncate } from "../output/text.js";
import { fittedAnswer, keysHelpTip, useRedrawOnResize } from "./fitted-frame.js";
import type { PromptChoice, SearchSource } from "./prompter.js";

type Core = typeof import("@inquirer/core");

/** A search whose question, choices and page are fitted to the terminal at each frame. */
export interface FittedSearchConfig<T> {
  /** The question laid out for the terminal's width now, with room after it for the typed text. */
  message: () => string;
  source: SearchSource<T>;
  columns: () => number;
  /** How many choices at a time, for the terminal's height now. */
  pageSize: () => number;
  ellipsis: string;
  /** The terminal's output stream: it emits "resize" when the window changes size (SIGWINCH). */
  terminal: NodeJS.EventEmitter;
  theme?: object;
}

interface SearchTheme {
  icon: { cursor: string };
  style: {
    disabled: (text: string) => string;
    searchTerm: (text: string) => string;
    description: (text: string) => string;
    keysHelpTip: (keys: Array<[string, string]>) => string;
  };
}

/** inquirer search's own look, for what tix's themes (inquirer-prompter.ts) leave out. */
const SEARCH_THEME: SearchTheme = {
  icon: { cursor: "❯" },
  style: {
    disabled: (text: string) => styleText("dim", `- ${text}`),
    searchTerm: (text: string) => styleText("cyan", text),
    description: (text: string) => styleText("cyan", text),
    keysHelpTip,
  },
};

/**
 * inquirer's search (typing asks `source` again, aborting the search before; ↑↓ move over the
 * choices that can be picked, Enter picks, Tab puts the choice's name in the search), drawn again
 * when the terminal is resized, at its new width and height: inquirer's own draws only on a key,
 * and its choices were cut to the width they were found at.
 */
export function fittedSearch(core: Core) {
  const { createPrompt, useState, useKeypress, usePrefix, usePagination, useEffect, useMemo, makeTheme, isEnterKey, isUpKey, isDownKey, isTabKey } = core;
  return createPrompt<unknown, FittedSearchConfig<unknown>>((config, done) => {
    const theme = makeTheme<SearchTheme>(SEARCH_THEME, config.theme as Parameters<typeof makeTheme<SearchTheme>>[1]);
    const { ellipsis } = config;
    const [status, setStatus] = useState<"loading" | "idle" | "done">("loading");
    const [term, setTerm] = useState("");
    const [results, setResults] = useState<ReadonlyArray<PromptChoice<unknown>>>([]);
    const [searchError, setSearchError] = useState<string | undefined>(undefined);
    const prefix = usePrefix({ status, theme });
    const bounds = useMemo(() => ({
      first: results.findIndex((item) => item.disabled === undefined),
      last: results.findLastIndex((item) => item.disabled === undefined),
    }), [results]);
    const [picked, setActive] = useState<number | undefined>(undefined);
    const active = picked ?? bounds.first;
    useRedrawOnResize(core, config.terminal);
    useEffect(() => {
      const controller = new AbortController();
      setStatus("loading");
      setSearchError(undefined);
      void (async () => {
        try {
          const found = await config.source(term === "" ? undefined : term, controller.signal);
          if (controller.signal.aborted) return;
          setActive(undefined);
          setResults(found);
          setStatus("idle");
        } catch (error) {
          if (!controller.signal.aborted) setSearchError(error instanceof Error ? error.message : String(error));
        }
      })();
      return () => controller.abort();
    }, [term]);
    const choice = results[active];
    useKeypress((key, rl) => {
      if (isEnterKey(key)) {
        if (choice !== undefined && choice.disabled === undefined && status === "idle") {
          setStatus("done");
          return done(choice.value);
        }
        // readline cleared its line at Enter: the search typed so far, back.
        return rl.write(term);
      }
      if (isTabKey(key) && choice !== undefined) {
        rl.clearLine(0);
        rl.write(choice.name);
        return setTerm(choice.name);
      }
      if (status !== "loading" && (isUpKey(key) || isDownKey(key))) {
        rl.clearLine(0);
        if ((isUpKey(key) && active !== bounds.first) || (isDownKey(key) && active !== bounds.last)) {
          const step = isUpKey(key) ? -1 : 1;
          let next = active;
          do next = (next + step + results.length) % results.length;
          while (results[next]!.disabled !== undefined);
          setActive(next);
        }
        return;
      }
      setTerm(rl.line);
    });

    const columns = config.columns();
    const question = config.message();
    const message = theme.style.message(question, status);
    if (status === "done" && choice !== undefined) return [prefix, message, theme.style.answer(fittedAnswer(question, choice.name, columns, ellipsis))].filter(Boolean).join(" ");
    const page = usePagination({
      items: results,
      active,
      pageSize: config.pageSize(),
      loop: false,
      // Each choice on one line, cut to the width now (a wrapped one would take the page's lines).
      renderItem: ({ item, isActive }) => {
        if (item.disabled !== undefined) {
          return theme.style.disabled(`${truncate(item.name, Math.max(1, columns - 3 - displayWidth(item.disabled)), ellipsis)} ${item.disabled}`);
        }
        const cursor = isActive ? theme.icon.cursor : " ";
        return (isActive ? theme.style.highlight : String)(`${cursor} ${truncate(item.name, Math.max(1, columns - 2), ellipsis)}`);
      },
    });
    const error = searchError !== undefined
      ? theme.style.error(searchError)
      : results.length === 0 && term !== "" && status === "idle" ? theme.style.error("No results found") : undefined;
    const header = [prefix, message, theme.style.searchTerm(term)].filter(Boolean).join(" ").trimEnd();
    const body = [
      error ?? page,
      " ",
      choice?.description === undefined ? "" : theme.style.description(truncate(choice.description, columns, ellipsis)),
      theme.style.keysHelpTip([["↑↓", "navigate"], ["⏎", "select"]]),
    ].filter(Boolean).join("\n").trimEnd();
    return [header, body];
  });
}

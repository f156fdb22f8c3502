import { styleText } from "node:util";
import type { SeatMapView } from "../../core/index.js";
import { writableOf, type CliIo } from "../io.js";
import { terminalColumns } from "../output/seat-map.js";
import { terminalSize } from "../output/screen.js";
import { UNICODE_MARKS, markIn, type Marks } from "../output/style.js";
import { displayWidth, wrapWords } from "../output/text.js";
import { fittedAnswer } from "./fitted-frame.js";
import { fittedSearch } from "./fitted-search.js";
import { fittedSelect } from "./fitted-select.js";
import { Interrupted, isAbandonedPrompt } from "./interrupted.js";
import type { PromptChoice, Prompter, SearchSource, SeatPickRequest } from "./prompter.js";
import { SeatPicker, type PickerKey } from "./seat-picker.js";

/**
 * A list shows as many choices at a time as the terminal has rows for, but no more than this
 * (a taller screen still shows a list the eye can take in) and no fewer than the least: on a
 * terminal too short for even those, the prompt is taller than the screen and scrolls.
 */
const MOST_CHOICES = 20;
const FEWEST_CHOICES = 3;
/** Columns kept after a search's question for the text typed into it. */
const SEARCH_TERM_ROOM = 12;

const PICKER_KEYS: Readonly<Record<string, PickerKey>> = { left: "left", right: "right", up: "up", down: "down", space: "space", return: "enter", enter: "enter" };

/**
 * Asks with inquirer, loaded only when a question is actually asked: start-up time is measured
 * and most runs never prompt.
 */
export class InquirerPrompter implements Prompter {
  /** Inquirer's theme without colour, when colour is off; its own (coloured) otherwise; either in `marks`. */
  private readonly theme: { theme?: ReturnType<typeof asciiTheme> | ReturnType<typeof plainTheme> };
  /** The same for a list to pick from, whose cursor and keys' hints have marks of their own. */
  private readonly listTheme: { theme?: ReturnType<typeof asciiListTheme> | ReturnType<typeof plainTheme> };
  /**
   * A search's: the list's, but a choice that cannot be picked keeps the `- ` before it without
   * colour too (search puts it in the disabled style, which plainTheme leaves as it is).
   */
  private readonly searchTheme: typeof this.listTheme;

  constructor(
    private readonly io: CliIo,
    colour = true,
    /** tix's own symbols: UTF-8's, or ASCII's on a terminal whose locale is not UTF-8 (style.ts). */
    private readonly marks: Marks = UNICODE_MARKS,
  ) {
    this.theme = colour && marks === UNICODE_MARKS ? {} : { theme: colour ? asciiTheme(marks) : plainTheme(marks) };
    this.listTheme = colour && marks === UNICODE_MARKS ? {} : { theme: colour ? asciiListTheme(marks) : plainTheme(marks) };
    const plain = colour ? undefined : plainTheme(marks);
    this.searchTheme = plain ? { theme: { ...plain, style: { ...plain.style, disabled: (text: string) => `- ${text}` } } } : this.listTheme;
  }

  async select<T>(message: string, choices: ReadonlyArray<PromptChoice<T>>): Promise<T> {
    const core = await import("@inquirer/core");
    const io = this.io;
    // The question, at each frame, for the terminal's width then (fittedSelect draws again on a resize).
    const question = (): string => this.laidOut(message, 0);
    // As many choices at a time as keep the whole prompt on the screen: the question, the choices,
    // a blank line, the choice's description (when choices have one), the refusal of a disabled
    // choice (when there is one) and the keys' help. A taller prompt scrolls its question out of
    // sight, and every redraw leaves another copy of it above.
    const otherLines = 2 + (choices.some((choice) => choice.description !== undefined) ? 1 : 0) + (choices.some((choice) => choice.disabled !== undefined) ? 1 : 0);
    const config = {
      message: question,
      choices,
      columns: () => terminalColumns(io),
      pageSize: () => listPageSize(terminalSize(io).rows, question().split("\n").length + otherLines),
      ellipsis: this.marks.ellipsis,
      terminal: writableOf(io.stdout),
      ...this.listTheme,
    };
    const prompt = fittedSelect(core);
    return (await this.ask((context) => prompt(config, context))) as T;
  }

  /**
   * inquirer's search (fittedSearch: drawn again on a resize, as select is): a list of what
   * `source` answers for the text typed so far (the first of them before anything is), each
   * choice cut to the width as select's are. The typed text shows after the question, on its
   * last line.
   */
  async search<T>(message: string, source: SearchSource<T>): Promise<T> {
    const core = await import("@inquirer/core");
    const io = this.io;
    // Room after the question for a few typed letters before they wrap.
    const question = (): string => this.laidOut(message, SEARCH_TERM_ROOM);
    // The question, the choices, a blank line, a choice's description and the keys' help (a
    // refusal, "No results found", shows in the choices' place).
    const config = {
      message: question,
      source: source as SearchSource<unknown>,
      columns: () => terminalColumns(io),
      pageSize: () => listPageSize(terminalSize(io).rows, question().split("\n").length + 3),
      ellipsis: this.marks.ellipsis,
      terminal: writableOf(io.stdout),
      ...this.searchTheme,
    };
    const prompt = fittedSearch(core);
    return (await this.ask((context) => prompt(config, context))) as T;
  }

  async input(message: string, validate?: (answer: string) => true | string): Promise<string> {
    const [{ input }, { makeTheme }] = await Promise.all([import("@inquirer/prompts"), import("@inquirer/core")]);
    // A refused answer's reason shows under it after "> ", laid out between words too.
    const refusal = validate && ((answer: string): true | string => {
      const verdict = validate(answer);
      return verdict === true ? true : this.laidOut(verdict, 0);
    });
    const { answer } = makeTheme(this.theme.theme).style;
    // Once answered, what was typed after the question, on its line, cut to the width then (as a
    // picked choice is): the terminal would break a long answer mid-word.
    const transformer = (typed: string, { isFinal }: { isFinal: boolean }): string =>
      isFinal ? answer(fittedAnswer(this.laidOut(message, 0), typed, terminalColumns(this.io), this.marks.ellipsis)) : typed;
    const theme = await this.laidOutTheme(0);
    return this.ask((context) => input({ message, required: true, ...(refusal ? { validate: refusal } : {}), transformer, theme }, context));
  }

  async confirm(message: string): Promise<boolean> {
    const { confirm } = await import("@inquirer/prompts");
    // Room after the question for " (y/N) yes".
    const theme = await this.laidOutTheme(" (y/N) yes".length);
    return this.ask((context) => confirm({ message, default: false, theme }, context));
  }

  /**
   * The theme of a question asked with inquirer's input or confirm, which take the question once
   * and draw it as it was given at every frame: its question laid out (laidOut, room for `tail`
   * after it) again at each frame, for the width then — a terminal resized while the question is
   * open, then answered, shows the question and its answer at the new width, not broken mid-word.
   */
  private async laidOutTheme(tail: number): Promise<object> {
    const { makeTheme } = await import("@inquirer/core");
    const given = this.theme.theme as { style?: object } | undefined;
    const { message } = makeTheme(given).style;
    return { ...given, style: { ...given?.style, message: (text: string, status: Parameters<typeof message>[1]) => message(this.laidOut(text, tail), status) } };
  }

  /** The seat picker (seat-picker.ts) as an inquirer prompt: it redraws on every key, in place. */
  async pickSeats(view: SeatMapView, options: SeatPickRequest): Promise<string[]> {
    const { createPrompt, useEffect, useKeypress, useMemo, useState } = await import("@inquirer/core");
    // Read at each frame, not once: the terminal may be resized while the picker is open.
    const size = (): { width: number; height: number } => ({ width: terminalColumns(this.io), height: Number((this.io.stdout as { rows?: number }).rows) || 24 });
    const prompt = createPrompt<string[] | null, object>((_config, done) => {
      const picker = useMemo(() => new SeatPicker(view, { ...options, ...size() }), []);
      const [answer, setAnswer] = useState<string[] | undefined>(undefined);
      const [, redraw] = useState(0);
      // A resize redraws the picker for the new size at once, not at the next key.
      useEffect(() => {
        const terminal = writableOf(this.io.stdout);
        const resized = (): void => redraw((count) => count + 1);
        terminal.on("resize", resized);
        return () => void terminal.off("resize", resized);
      }, []);
      useKeypress((key) => {
        if (answer) return;
        if (key.name === "escape") return done(null);
        const pressed = PICKER_KEYS[key.name];
        if (!pressed) return;
        const seats = picker.press(pressed);
        if (seats) {
          setAnswer(seats);
          done(seats);
        } else {
          redraw((count) => count + 1);
        }
      });
      // The answer on its line, cut to the width then, as a picked choice is (the seats are listed again in the reservation).
      const { marks } = options.style;
      return answer ? `${options.style.chalk.green(marks.answered)} Seats: ${fittedAnswer("Seats:", answer.join(", "), size().width, marks.ellipsis)}` : picker.render(options.style, size());
    });
    const seats = await this.ask((context) => prompt({}, context), (answer) => answer === null);
    if (!seats) throw new Interrupted("no seats were picked");
    return seats;
  }

  /**
   * A question laid out between words to the terminal's width, with room for `tail` columns after
   * its last line: inquirer would break it at the width, mid-word (its ids and its "(y/N)").
   * The first line follows "? ".
   */
  private laidOut(message: string, tail: number): string {
    const columns = terminalColumns(this.io);
    const afterPrefix = columns - 2;
    const lines = wrapWords(message, Math.max(1, afterPrefix));
    const last = lines.pop()!;
    // A last line that is not the first has no "? " before it: the whole width, less the tail.
    const lastRoom = (lines.length === 0 ? afterPrefix : columns) - tail;
    return [...lines, ...(displayWidth(last) <= lastRoom ? [last] : wrapWords(last, Math.max(1, afterPrefix - tail)))].join("\n");
  }

  /**
   * Asks one question. Ctrl-C, or Esc (which a person presses to back out, as in the seat picker),
   * abandons it: Interrupted, exit 130, nothing changed. An abandoned prompt's lines (its question,
   * choices and keys' help; `abandoned` tells an answer that backs out, the seat picker's) are
   * erased and `interrupted` written in their place, so that what comes next (a shell's or the
   * REPL's prompt) starts under the line that asked, not under a question no longer asked — on a
   * terminal that can move its cursor: under `TERM=dumb` (Emacs's shell) the prompt stays as it was.
   */
  private async ask<T>(question: (context: PromptContext) => Promise<T>, abandoned: (answer: T) => boolean = () => false): Promise<T> {
    const abandon = new AbortController();
    // readline (started by the prompt) parses the keys and emits them on stdin; a lone Esc is told
    // apart from the start of an arrow key's sequence by a short wait.
    const onKey = (_text: string | undefined, key: { name?: string } | undefined): void => {
      if (key?.name === "escape") abandon.abort();
    };
    const terminal = writableOf(this.io.stdout);
    const rows = new RowsMoved(terminal, this.io.env.TERM !== "dumb");
    this.io.stdin.on("keypress", onKey);
    try {
      const answer = await question({ input: this.io.stdin, output: rows.output, signal: abandon.signal });
      if (abandoned(answer)) rows.eraseWith(terminal, "interrupted");
      return answer;
    } catch (error) {
      if (!isAbandonedPrompt(error)) throw error;
      rows.eraseWith(terminal, "interrupted");
      throw new Interrupted("the prompt was abandoned");
    } finally {
      this.io.stdin.off("keypress", onKey);
    }
  }
}

/**
 * The terminal a prompt draws on, counting how many rows below the prompt's first its writes have
 * left the cursor: inquirer moves between its lines with newlines and cursor up / down (it breaks
 * its lines at the width itself, so the terminal never wraps one). Counted rather than saved with
 * the terminal's save-cursor, which a prompt at the bottom of the screen, scrolling it, would outdate.
 */
class RowsMoved {
  private moved = 0;
  readonly output: NodeJS.WritableStream;

  constructor(terminal: NodeJS.WritableStream, private readonly canErase: boolean) {
    const count = (chunk: unknown): void => {
      const text = typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) ? chunk.toString("utf8") : "";
      // eslint-disable-next-line no-control-regex
      for (const [sequence, rows, way] of text.matchAll(/\x1b\[(\d*)([AB])|\n/g)) {
        if (sequence === "\n") this.moved += 1;
        else this.moved += (way === "A" ? -1 : 1) * (rows === "" ? 1 : Number(rows));
      }
    };
    // Everything but write is the terminal's own (its size, its resize events, the pipe's wiring).
    this.output = new Proxy(terminal, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property, target);
        if (property === "write") {
          return (chunk: unknown, ...rest: unknown[]) => {
            count(chunk);
            return (value as (...args: unknown[]) => boolean).call(target, chunk, ...rest);
          };
        }
        return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  /** Back to the prompt's first row, everything from there down erased, and `word` on that row. */
  eraseWith(terminal: NodeJS.WritableStream, word: string): void {
    if (!this.canErase) return;
    terminal.write(`${this.moved > 0 ? `\x1b[${this.moved}A` : ""}\r\x1b[J${word}\n`);
  }
}

/** How many lines of choices a list shows at a time on a terminal of `rows`, around the prompt's other lines. */
function listPageSize(rows: number, promptLines: number): number {
  return Math.max(FEWEST_CHOICES, Math.min(MOST_CHOICES, rows - promptLines));
}

const same = (text: string): string => text;

/** A spinner (inquirer's, while an answer is checked: braille in UTF-8) in ASCII. */
const ASCII_SPINNER = ["-", "\\", "|", "/"];

/**
 * inquirer's symbols that are not ASCII (`✔` once answered, the spinner's braille) in ASCII marks,
 * coloured as inquirer colours them (with node:util's styleText, as it does). Only for ASCII
 * marks: with UTF-8's, inquirer's own theme is used as it is.
 */
function asciiTheme(marks: Marks) {
  return {
    prefix: { idle: styleText("blue", "?"), done: styleText("green", marks.answered) },
    spinner: { interval: 80, frames: ASCII_SPINNER.map((frame) => styleText("yellow", frame)) },
  };
}

/** asciiTheme, and a list's: its cursor's `❯`, its hints' `↑↓`, `⏎` and `•`. */
function asciiListTheme(marks: Marks) {
  return {
    ...asciiTheme(marks),
    icon: { cursor: marks.pointer },
    style: {
      keysHelpTip: (keys: Array<[string, string]>) =>
        keys.map(([key, action]) => `${styleText("bold", markIn(marks, key))} ${styleText("dim", action)}`).join(styleText("dim", ` ${marks.bullet} `)),
    },
  };
}

/**
 * Every style inquirer's select, input and confirm apply, as plain text: inquirer colours with
 * node:util's styleText, which honours NO_COLOR and FORCE_COLOR but cannot know of --no-color.
 * Its symbols are `marks`' (with UTF-8's, inquirer's own `❯` and spinner).
 */
function plainTheme(marks: Marks) {
  return {
    prefix: { idle: "?", done: marks.answered },
    ...(marks === UNICODE_MARKS ? {} : { spinner: { interval: 80, frames: ASCII_SPINNER }, icon: { cursor: marks.pointer } }),
    style: {
      answer: same, message: same, help: same, highlight: same, disabled: same, description: same, searchTerm: same,
      error: (text: string) => `> ${text}`,
      defaultAnswer: (text: string) => `(${text})`,
      key: (text: string) => `<${text}>`,
      keysHelpTip: (keys: Array<[string, string]>) => keys.map(([key, action]) => `${markIn(marks, key)} ${action}`).join(` ${marks.bullet} `),
      // confirm's default answer: capitalised when it is a word, as inquirer does, without its cyan.
      confirmDefault: (text: string) => {
        const first = text[0] ?? "";
        return first.toLowerCase() === first.toUpperCase() ? text : first.toUpperCase() + text.slice(1);
      },
    },
  };
}

interface PromptContext {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  signal: AbortSignal;
}

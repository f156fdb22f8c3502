import type { SeatMapView } from "../../core/index.js";
import type { Style } from "../output/style.js";

/** One entry of a pick list; a disabled one is shown with the reason and cannot be chosen. */
export interface PromptChoice<T> {
  value: T;
  name: string;
  description?: string | undefined;
  disabled?: string | undefined;
}

/**
 * The questions a command may ask a person at a terminal. Commands ask through this interface
 * only, so tests and other front ends can answer without a terminal.
 */
export interface Prompter {
  select<T>(message: string, choices: ReadonlyArray<PromptChoice<T>>): Promise<T>;
  /**
   * A list too long to show whole: `source` answers the choices for what has been typed so far
   * (undefined before anything is), a bounded few; `signal` aborts when more is typed meanwhile.
   */
  search<T>(message: string, source: SearchSource<T>): Promise<T>;
  /** Free text; `validate` answers true, or the message to show while the answer is refused. */
  input(message: string, validate?: (answer: string) => true | string): Promise<string>;
  /** Yes or no; no unless answered yes. */
  confirm(message: string): Promise<boolean>;
  /** Seats picked on the map with the arrow keys, Space and Enter (at least one); Esc abandons. */
  pickSeats(view: SeatMapView, options: SeatPickRequest): Promise<string[]>;
}

export type SearchSource<T> = (term: string | undefined, signal: AbortSignal) => Promise<ReadonlyArray<PromptChoice<T>>>;

export interface SeatPickRequest {
  /** The event's name. */
  title: string;
  /** Only seats of this tier may be picked. */
  tier?: string | undefined;
  /** The most seats one order may hold. */
  limit: number;
  style: Style;
}

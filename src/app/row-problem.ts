/** An invalid row of an import file, named as the file names it. */
export interface RowProblem {
  line: number;
  /**
   * Which event of a JSON list (1 for the first), when others start on the same line (an export's
   * one-line JSON): the line alone would not tell them apart.
   */
  item?: number | undefined;
  /** The column at fault, as the file spells it. */
  column: string | undefined;
  message: string;
}

export const describeProblem = (problem: RowProblem): string =>
  `line ${problem.line}${problem.item === undefined ? "" : `, item ${problem.item}`}: ${problem.message}`;

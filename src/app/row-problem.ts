/** An invalid row of an import file, named as the file names it. */
export interface RowProblem {
  line: number;
  /** The column at fault, as the file spells it. */
  column: string | undefined;
  message: string;
}

export const describeProblem = (problem: RowProblem): string => `line ${problem.line}: ${problem.message}`;

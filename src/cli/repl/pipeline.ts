import { EXIT_INTERRUPTED, EXIT_OUTPUT_CLOSED } from "../exit-codes.js";
import { reportError } from "../report-error.js";
import type { CommitGate } from "./commit-gate.js";
import { groupedWords } from "./grouped-line.js";
import { runLine } from "./line.js";
import { JoinedWrites, LineOutput } from "./line-output.js";
import type { LineSource } from "./line-source.js";
import type { Session } from "./session-state.js";

/**
 * Lines started and not yet answered, at most: one group (64, the group commit's most). The next
 * gathers once it is answered. Gathering it meanwhile (128) overlapped nothing that showed, and
 * eight rushing processes spent ~8 % more CPU — twice the lines alive at once, most likely, through
 * each scavenge (docs/performance-history.md, "Hot event").
 */
const MAX_UNANSWERED = 64;

interface Started {
  output: LineOutput;
  done: Promise<number>;
  exitCode: number | undefined;
}

/**
 * A batch whose single-write lines (grouped-line.ts) run alongside each other: line i starts,
 * and once its write is queued in the group commit (or it has finished) line i+1 starts, while
 * lines are already read and waiting. When none is (or enough are started), what is queued is
 * committed. Each line is answered — printed, and told to the session — in line order, only
 * after its write committed; decisions are made in line order, as the queue keeps it. Any other
 * line waits until every earlier line has been answered, then runs alone as it always did.
 */
export async function runPipelined(source: LineSource, session: Session, gate: CommitGate): Promise<number> {
  const answers = new InOrder(session);
  for (let number = 1; !answers.interrupted; number += 1) {
    // Nothing more to gather without waiting for input: commit what is gathered.
    if (!source.hasBuffered) gate.commitNow();
    const line = await source.next();
    if (line === undefined) break;
    // Nobody would see what the line did: it is not started, nor is any after it.
    if (session.io.stdout.readerGone?.() === true) {
      answers.readerGone = true;
      break;
    }
    const notUtf8 = source.lastNotUtf8;
    const words = notUtf8 ? undefined : groupedWords(line);
    if (words?.length === 0) continue;
    if (words === undefined) {
      await answers.settle(answers.count, gate);
      if (answers.interrupted) break;
      session.state.beginLine(`line ${number}`, number);
      gate.gathering = false;
      const outcome = await runLine(line, session, notUtf8).finally(() => (gate.gathering = true));
      if (outcome.kind === "leave") break;
      if (outcome.kind === "ran") answers.tally(outcome.exitCode);
      continue;
    }
    if (answers.count >= MAX_UNANSWERED) await answers.settle(1, gate);
    const output = new LineOutput(number, session.io);
    const queued = gate.nextQueued();
    const done = session.run([...session.defaults, ...words], output)
      .catch((error: unknown) => reportError(error, output.io, words, number));
    answers.add(output, done);
    // Its write is in the group (or it needed none): the next line may go.
    await Promise.race([done, queued]);
  }
  gate.commitNow();
  await answers.settle(answers.count, gate);
  return answers.exitCode;
}

/** Lines started, answered in their order as each one's turn comes; the batch's exit code. */
class InOrder {
  private readonly started: Started[] = [];
  private firstFailure = 0;
  private answering = false;
  interrupted = false;
  /** The output's reader went away: the lines already started are committed (as after Ctrl-C), no other starts. */
  readerGone = false;

  constructor(private readonly session: Session) {}

  get count(): number {
    return this.started.length;
  }

  get exitCode(): number {
    if (this.readerGone) return EXIT_OUTPUT_CLOSED;
    return this.interrupted ? EXIT_INTERRUPTED : this.firstFailure;
  }

  add(output: LineOutput, done: Promise<number>): void {
    const line: Started = { output, done, exitCode: undefined };
    this.started.push(line);
    void done.then((exitCode) => {
      line.exitCode = exitCode;
      // An interrupted line stops the batch at once, as soon as its turn has come.
      if (exitCode === EXIT_INTERRUPTED) this.answerReady();
      else this.answerSoon();
    });
  }

  /**
   * Answers what is ready once the lines finishing together (a group's commit ends them all, one
   * promise after another) have all finished: their output then goes out in one write.
   */
  private answerSoon(): void {
    if (this.answering) return;
    this.answering = true;
    setImmediate(() => {
      this.answering = false;
      this.answerReady();
    });
  }

  /** Commits what is queued and waits until the first `count` lines started are answered. */
  async settle(count: number, gate: CommitGate): Promise<void> {
    if (count === 0) return;
    gate.commitNow();
    await Promise.all(this.started.slice(0, count).map((line) => line.done));
    this.answerReady();
  }

  tally(exitCode: number): void {
    if (exitCode === 0) return;
    if (this.firstFailure === 0) this.firstFailure = exitCode;
    // Ctrl-C stopped the line: it stops the batch too, and nothing after it is printed.
    if (exitCode === EXIT_INTERRUPTED) this.interrupted = true;
  }

  /** Answers the lines at the head that have finished. */
  private answerReady(): void {
    const out = new JoinedWrites(this.session.io);
    while (!this.interrupted && this.started[0]?.exitCode !== undefined) {
      const line = this.started.shift()!;
      line.output.deliver(out, this.session.state);
      this.tally(line.exitCode!);
    }
    out.flush();
  }
}

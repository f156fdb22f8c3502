import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../../../src/cli/io.js";
import { JoinedWrites } from "../../../src/cli/repl/line-output.js";

/** An io that records every write call, in order, with its stream. */
function recordingIo(): { io: CliIo; calls: Array<[string, string]> } {
  const calls: Array<[string, string]> = [];
  const io: CliIo = {
    stdout: { write: (text: string) => calls.push(["stdout", text]) },
    stderr: { write: (text: string) => calls.push(["stderr", text]) },
    stdin: new PassThrough(),
    env: {},
  };
  return { io, calls };
}

describe("the output of batch lines answered together", () => {
  it("goes out in one write per run of one stream, in the order it was written", () => {
    const { io, calls } = recordingIo();
    const out = new JoinedWrites(io);
    out.write("stdout", "line 1\n");
    out.write("stdout", "line 2\n");
    out.write("stderr", "error: line 3: no such event\n");
    out.write("stdout", "line 4\n");
    out.write("stdout", "");
    out.write("stdout", "line 5\n");
    expect(calls).toEqual([["stdout", "line 1\nline 2\n"], ["stderr", "error: line 3: no such event\n"]]);
    out.flush();
    out.flush();
    expect(calls).toEqual([["stdout", "line 1\nline 2\n"], ["stderr", "error: line 3: no such event\n"], ["stdout", "line 4\nline 5\n"]]);
  });

  it("writes nothing when nothing was written", () => {
    const { io, calls } = recordingIo();
    new JoinedWrites(io).flush();
    expect(calls).toEqual([]);
  });
});

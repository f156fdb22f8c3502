/** A one-line progress bar redrawn in place on stderr; only used on a terminal. */
export function progressBar(stream: { write(text: string): unknown }, label: string, width = 30) {
  let lastPercent = -1;
  return {
    update(done: number, total: number): void {
      const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
      if (percent === lastPercent) return; // redraw at most 101 times, whatever the size
      lastPercent = percent;
      const filled = Math.round((percent / 100) * width);
      stream.write(`\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${percent}% (${done}/${total})`);
    },
    /** Ends the bar's line, once (a bar never drawn leaves no blank line). */
    finish(): void {
      if (lastPercent >= 0) stream.write("\n");
      lastPercent = -1;
    },
  };
}

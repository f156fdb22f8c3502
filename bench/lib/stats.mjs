// Medians and spreads. Every figure the benchmark reports is the median of several runs with its
// spread: the interquartile range (p25–p75) when there are ten runs or more, else min–max.

export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
}

/** { median, low, high, spread: "iqr" | "range", n, values } */
export function summary(values) {
  const iqr = values.length >= 10;
  return {
    median: quantile(values, 0.5),
    low: iqr ? quantile(values, 0.25) : Math.min(...values),
    high: iqr ? quantile(values, 0.75) : Math.max(...values),
    spread: iqr ? "iqr" : "range",
    n: values.length,
    values,
  };
}

/** A number for a table: 3 significant digits, thousands separated. */
export function fmt(value) {
  if (!Number.isFinite(value)) return "–";
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function fmtSummary(s, unit = "") {
  return `${fmt(s.median)}${unit}`;
}

export function fmtSpread(s, unit = "") {
  return `${fmt(s.low)}–${fmt(s.high)}${unit} (${s.spread === "iqr" ? "p25–p75" : "min–max"}, ${s.n} runs)`;
}

/** Figures on stdout (one `name value unit` line each), notes and progress on stderr, and percentiles. */

/** The p-th percentile (0–100) of sorted values, nearest rank; NaN when there are none. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function sortedOf(values: number[]): Float64Array {
  return Float64Array.from(values).sort();
}

/** Units whose values are whole numbers. */
const WHOLE = new Set(['bool', 'count', 'processes']);

/** Print one figure; values are rounded to what the unit deserves. */
export function figure(name: string, value: number, unit: string): void {
  const digits = WHOLE.has(unit) || Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
  const text = Number.isFinite(value) ? value.toFixed(digits) : 'NaN';
  process.stdout.write(`${name} ${text} ${unit}\n`);
}

export function note(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

export function ms(n: number): string {
  return `${n.toFixed(n < 10 ? 2 : 1)} ms`;
}

/**
 * Pearson's chi-square statistic of observed counts against a uniform expectation.
 * Critical values (upper tail) come from the standard table; df = bins - 1.
 */
export function chiSquareUniform(counts: readonly number[]): number {
  const total = counts.reduce((sum, n) => sum + n, 0);
  const expected = total / counts.length;
  return counts.reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
}

/** Upper critical values χ²(p, df) from the table, for the cases the tests use. */
export const CHI_SQUARE_CRITICAL = {
  /** df = 99 (100 bins), p = 0.001 */
  df99p1e3: 148.230,
  /** df = 99, p = 1e-6 */
  df99p1e6: 180.792,
  /** df = 2 (3 bins), p = 0.001 */
  df2p1e3: 13.816,
  /** df = 2, p = 1e-6 */
  df2p1e6: 27.631,
} as const;

/** Draws `samples` values from `draw` and counts them in `bins` equal-width bins over [min, max]. */
export function histogram(draw: () => number, samples: number, min: number, max: number, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  const width = (max - min + 1) / bins;
  for (let i = 0; i < samples; i++) {
    const value = draw();
    if (!Number.isSafeInteger(value) || value < min || value > max) throw new Error(`out of range: ${value}`);
    const bin = Math.floor((value - min) / width);
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  return counts;
}

/**
 * Round-trip times, kept as counts in logarithmic buckets so that recording costs one Math.log
 * and no allocation, and generator processes can merge their histograms by adding counts.
 * Each bucket is 0.5 % wide: a percentile read back is within 0.5 % of the true value.
 */
const GROWTH = 1.005;
const SCALE = 1 / Math.log(GROWTH);
/** Buckets up to ~100 s in nanoseconds (ln(1e11) × SCALE ≈ 5080). */
const BUCKETS = 5200;

export class Histogram {
  readonly counts: Float64Array;
  total = 0;

  constructor(counts?: ArrayLike<number>) {
    this.counts = new Float64Array(BUCKETS);
    if (counts !== undefined) {
      for (let i = 0; i < BUCKETS; i++) this.total += this.counts[i] = counts[i] ?? 0;
    }
  }

  /** Records one value in nanoseconds (values below 1 ns count as 1 ns). */
  record(ns: number): void {
    const index = ns <= 1 ? 0 : Math.min(BUCKETS - 1, Math.floor(Math.log(ns) * SCALE));
    this.counts[index] = (this.counts[index] ?? 0) + 1;
    this.total++;
  }

  add(other: Histogram): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i] = (this.counts[i] ?? 0) + (other.counts[i] ?? 0);
    this.total += other.total;
  }

  /** The value at quantile q (0..1) in nanoseconds: the middle of its bucket; NaN when empty. */
  quantile(q: number): number {
    if (this.total === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i] ?? 0;
      if (seen >= rank) return Math.pow(GROWTH, i + 0.5);
    }
    return Math.pow(GROWTH, BUCKETS);
  }

  /** Non-zero buckets only, to keep IPC messages small. */
  toSparse(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let i = 0; i < BUCKETS; i++) {
      const count = this.counts[i] ?? 0;
      if (count !== 0) out.push([i, count]);
    }
    return out;
  }

  static fromSparse(pairs: ReadonlyArray<readonly [number, number]>): Histogram {
    const histogram = new Histogram();
    for (const [index, count] of pairs) {
      histogram.counts[index] = count;
      histogram.total += count;
    }
    return histogram;
  }
}

/** One read in SAMPLE_EVERY is timed: the first, then every sixteenth. */
export const SAMPLE_EVERY = 16;

const NOT_TIMED = -1;

/**
 * The time spent handling clients' messages (`/metrics`), estimated from one read in
 * SAMPLE_EVERY, each counted SAMPLE_EVERY times. Timing every read took two clock reads per read
 * (`performance.now` checks its receiver, then calls into C++): about 2 % of a plain guess's
 * server CPU at 100 connections. Sampled, a read costs a countdown.
 */
export class HandlingClock {
  readonly #stats: { handlingSeconds: number };
  readonly #now: () => number;
  #countdown = 1;

  constructor(stats: { handlingSeconds: number }, now: () => number = () => performance.now()) {
    this.#stats = stats;
    this.#now = now;
  }

  /** As a read starts: what to hand `end` once it is answered. */
  begin(): number {
    if (--this.#countdown > 0) return NOT_TIMED;
    this.#countdown = SAMPLE_EVERY;
    return this.#now();
  }

  end(started: number): void {
    if (started !== NOT_TIMED) this.#stats.handlingSeconds += ((this.#now() - started) * SAMPLE_EVERY) / 1000;
  }
}

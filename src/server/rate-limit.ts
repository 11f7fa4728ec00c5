/** What the rate limiter says about one more message. */
export type Admission = 'ok' | 'excess' | 'close';

const WINDOW_MS = 1000;
/** Consecutive windows over the limit after which the connection is closed. */
const STRIKES_TO_CLOSE = 3;

/**
 * Messages per second on one connection, counted in one-second windows. Past the limit a
 * message is `excess` (answered with an error, not judged); over the limit in three windows in
 * a row, `close`. The clock is passed in (the time the chunk arrived), so no timer runs per
 * message or per connection, and tests drive it without waiting.
 */
export class RateLimiter {
  readonly limit: number;
  #windowStart = Number.NEGATIVE_INFINITY;
  #count = 0;
  #strikes = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  admit(now: number): Admission {
    if (now - this.#windowStart >= WINDOW_MS) this.#roll(now);
    if (++this.#count <= this.limit) return 'ok';
    if (this.#count === this.limit + 1) this.#strikes++;
    return this.#strikes >= STRIKES_TO_CLOSE ? 'close' : 'excess';
  }

  #roll(now: number): void {
    const overLast = this.#count > this.limit;
    const adjacent = now - this.#windowStart < 2 * WINDOW_MS;
    if (!overLast || !adjacent) this.#strikes = 0;
    this.#windowStart = now;
    this.#count = 0;
  }
}

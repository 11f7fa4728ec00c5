import type { Range } from './game.js';
import type { RandomInt } from './random.js';
import type { BotKind, OutcomeKind } from './room-events.js';

/**
 * A server-side player. It knows only what a player knows: the range and its own hints. `binary`
 * halves what is left each time (never more than log2(span)+1 guesses); `weak` guesses anywhere
 * in what is left, so a person can beat it.
 */
export class Bot {
  readonly kind: BotKind;
  #low: number;
  #high: number;

  constructor(kind: BotKind, range: Range) {
    this.kind = kind;
    this.#low = range.min;
    this.#high = range.max;
  }

  reset(range: Range): void {
    this.#low = range.min;
    this.#high = range.max;
  }

  next(random: RandomInt): number {
    if (this.#low >= this.#high) return this.#low;
    if (this.kind === 'weak') return random(this.#low, this.#high);
    return this.#low + Math.floor((this.#high - this.#low) / 2);
  }

  learn(value: number, outcome: OutcomeKind): void {
    if (outcome === 'low') this.#low = Math.max(this.#low, value + 1);
    else if (outcome === 'high') this.#high = Math.min(this.#high, value - 1);
  }
}

import type { Range } from '../src/core/game.js';

/** What a reply said about the last guess, whatever the dialect. */
export type Verdict = 'low' | 'high' | 'win';

/**
 * A binary-search player that also checks the server: the server promises that after a win the
 * next guess starts a new round, so the bot knows exactly which replies are possible. A reply
 * that leaves no number consistent with everything said this round is a lie (or a bug), and
 * `judge` returns why instead of guessing on.
 */
export class BinarySearchBot {
  readonly range: Range;
  #low: number;
  #high: number;
  #guess: number;
  #outstanding = false;
  rounds = 0;

  constructor(range: Range) {
    this.range = range;
    this.#low = range.min;
    this.#high = range.max;
    this.#guess = range.min;
  }

  /** The next guess: the middle of what is still possible. */
  next(): number {
    this.#guess = Math.floor((this.#low + this.#high) / 2);
    this.#outstanding = true;
    return this.#guess;
  }

  /** Takes the reply to the last guess; returns an error message if it is inconsistent. */
  judge(verdict: Verdict | undefined, reply: string): string | undefined {
    if (!this.#outstanding) return `reply with no guess outstanding: ${JSON.stringify(reply)}`;
    this.#outstanding = false;
    const guess = this.#guess;
    switch (verdict) {
      case 'low':
        this.#low = guess + 1;
        break;
      case 'high':
        this.#high = guess - 1;
        break;
      case 'win':
        this.rounds++;
        this.#low = this.range.min;
        this.#high = this.range.max;
        return undefined;
      case undefined:
        return `unexpected reply to ${guess}: ${JSON.stringify(reply)}`;
    }
    if (this.#low > this.#high) {
      return `'${reply}' for ${guess} leaves no possible secret in ${this.range.min}..${this.range.max}`;
    }
    return undefined;
  }
}

import type { RandomInt } from './random.js';

/** The chapter's sentences: clients (the chapter's own among them) match them exactly. */
export const SENTENCES = {
  low: 'Too small!',
  high: 'Too big!',
  win: 'Exactly! You win!',
  notInteger: 'Guesses must be an integer. Try again...',
} as const;

export interface Range {
  readonly min: number;
  readonly max: number;
}

export const DEFAULT_RANGE: Range = Object.freeze({ min: 1, max: 100 });

export type Outcome =
  | { readonly kind: 'low' }
  | { readonly kind: 'high' }
  | { readonly kind: 'win'; readonly attempts: number };

export interface Round {
  readonly range: Range;
  readonly secret: number;
  /** Guesses judged so far in this round. */
  readonly attempts: number;
  readonly won: boolean;
}

/**
 * The rule, the whole of it: a guess below the secret is too small, above it too big. A guess
 * outside the range is answered just as truthfully (`Too big!` above it, `Too small!` below it),
 * as the chapter's server does, and counts as an attempt.
 */
export function compare(secret: number, guess: number): Outcome['kind'] {
  return guess < secret ? 'low' : guess > secret ? 'high' : 'win';
}

export function sentenceOf(outcome: Outcome): string {
  return SENTENCES[outcome.kind];
}

export function inRange(range: Range, value: number): boolean {
  return value >= range.min && value <= range.max;
}

const LOW: Outcome = Object.freeze({ kind: 'low' });
const HIGH: Outcome = Object.freeze({ kind: 'high' });

/**
 * One player's endless solo game: after a win, the next guess starts a new round with a fresh
 * secret. This is what a plain or classic connection plays, and what `guess play` runs.
 *
 * Every guess a plain or classic connection sends comes through `guess`, so the round's state
 * changes in place and nothing is allocated but a win's outcome. An object made per guess would
 * live until that connection's next guess; with thousands of connections that is long enough
 * for V8 to start allocating it straight into the old generation ("pretenuring"), and every
 * guess then cost about a microsecond more for the rest of the server's life (docs/BENCHMARKS.md).
 */
export class SoloGame {
  readonly range: Range;
  readonly #random: RandomInt;
  #secret: number;
  #attempts = 0;
  #won = false;
  #rounds = 1;

  constructor(range: Range, random: RandomInt) {
    this.range = range;
    this.#random = random;
    this.#secret = random(range.min, range.max);
  }

  /** The current round, as a snapshot. */
  get round(): Round {
    return { range: this.range, secret: this.#secret, attempts: this.#attempts, won: this.#won };
  }

  /** Rounds started so far, counting the current one. */
  get rounds(): number {
    return this.#rounds;
  }

  guess(value: number): Outcome {
    if (this.#won) {
      this.#secret = this.#random(this.range.min, this.range.max);
      this.#attempts = 0;
      this.#won = false;
      this.#rounds++;
    }
    this.#attempts++;
    const kind = compare(this.#secret, value);
    if (kind === 'low') return LOW;
    if (kind === 'high') return HIGH;
    this.#won = true;
    return { kind, attempts: this.#attempts };
  }
}

/** Guesses binary search needs at most to find any secret in the range. */
export function maxBinarySearchGuesses(range: Range): number {
  return Math.floor(Math.log2(range.max - range.min + 1)) + 1;
}

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

export function newRound(range: Range, random: RandomInt): Round {
  return { range, secret: random(range.min, range.max), attempts: 0, won: false };
}

/**
 * Judges one guess. A guess outside the range is answered truthfully (`Too big!` above it,
 * `Too small!` below it), as the chapter's server does, and counts as an attempt.
 */
export function judge(round: Round, guess: number): { round: Round; outcome: Outcome } {
  // Every guess a server judges comes through here: the next round is built field by field,
  // which V8 does several times faster than an object spread.
  const next = { range: round.range, secret: round.secret, attempts: round.attempts + 1, won: guess === round.secret };
  if (guess < round.secret) return { round: next, outcome: LOW };
  if (guess > round.secret) return { round: next, outcome: HIGH };
  return { round: next, outcome: { kind: 'win', attempts: next.attempts } };
}

const LOW: Outcome = Object.freeze({ kind: 'low' });
const HIGH: Outcome = Object.freeze({ kind: 'high' });

export function sentenceOf(outcome: Outcome): string {
  return SENTENCES[outcome.kind];
}

export function inRange(range: Range, value: number): boolean {
  return value >= range.min && value <= range.max;
}

/**
 * One player's endless solo game: after a win, the next guess starts a new round with a fresh
 * secret. This is what a plain or classic connection plays, and what `guess play` runs.
 */
export class SoloGame {
  #round: Round;
  readonly #random: RandomInt;
  #rounds = 1;

  constructor(range: Range, random: RandomInt) {
    this.#random = random;
    this.#round = newRound(range, random);
  }

  get round(): Round {
    return this.#round;
  }

  /** Rounds started so far, counting the current one. */
  get rounds(): number {
    return this.#rounds;
  }

  guess(value: number): Outcome {
    if (this.#round.won) {
      this.#round = newRound(this.#round.range, this.#random);
      this.#rounds++;
    }
    const { round, outcome } = judge(this.#round, value);
    this.#round = round;
    return outcome;
  }
}

/** Guesses binary search needs at most to find any secret in the range. */
export function maxBinarySearchGuesses(range: Range): number {
  return Math.floor(Math.log2(range.max - range.min + 1)) + 1;
}

import type { Range } from './game.js';
import type { RandomInt } from './random.js';
import type { BotKind, OutcomeKind } from './room-events.js';

/** How each level is seated (the strong one keeps the plain name it always had). */
export const BOT_NAMES: Readonly<Record<BotKind, string>> = { binary: 'Bot', medium: 'Medium bot', weak: 'Weak bot' };

export interface BotRecord {
  readonly kind: BotKind;
  readonly low: number;
  readonly high: number;
  readonly lowBefore: number;
  readonly highBefore: number;
}

/**
 * A server-side player. It knows only what a player knows: the range and its own hints.
 * - `binary` (strong) halves what is left each time: never more than log2(span)+1 guesses.
 * - `medium` guesses at random within what is left.
 * - `weak` does the same, except that one guess in two forgets its last hint and lands anywhere
 *   in what it knew before that hint, so a person playing binary search beats it most rounds.
 * Every level only ever narrows what it knows, so each one finds the secret.
 */
export class Bot {
  readonly kind: BotKind;
  #low: number;
  #high: number;
  /** What was left before the last hint, which `weak` sometimes falls back to. */
  #lowBefore: number;
  #highBefore: number;

  constructor(kind: BotKind, range: Range) {
    this.kind = kind;
    this.#low = this.#lowBefore = range.min;
    this.#high = this.#highBefore = range.max;
  }

  /** What it has learnt this round, as plain data (kept by a store across a restart). */
  save(): BotRecord {
    return { kind: this.kind, low: this.#low, high: this.#high, lowBefore: this.#lowBefore, highBefore: this.#highBefore };
  }

  static restore(record: BotRecord): Bot {
    const bot = new Bot(record.kind, { min: record.low, max: record.high });
    bot.#lowBefore = record.lowBefore;
    bot.#highBefore = record.highBefore;
    return bot;
  }

  reset(range: Range): void {
    this.#low = this.#lowBefore = range.min;
    this.#high = this.#highBefore = range.max;
  }

  next(random: RandomInt): number {
    if (this.kind === 'weak' && random(0, 1) === 0) return random(this.#lowBefore, this.#highBefore);
    if (this.#low >= this.#high) return this.#low;
    if (this.kind === 'binary') return this.#low + Math.floor((this.#high - this.#low) / 2);
    return random(this.#low, this.#high);
  }

  learn(value: number, outcome: OutcomeKind): void {
    this.#lowBefore = this.#low;
    this.#highBefore = this.#high;
    if (outcome === 'low') this.#low = Math.max(this.#low, value + 1);
    else if (outcome === 'high') this.#high = Math.min(this.#high, value - 1);
  }
}

import type { HistoryEntry, OutcomeKind } from './room-events.js';

/** A room keeps at most this many of a player's guesses for the `room` snapshot. */
export const HISTORY_LIMIT = 100;

/**
 * A seat's guesses this round, oldest first, at most HISTORY_LIMIT. Every accepted guess adds
 * one, and a round outlives several young collections of the garbage collector on a busy
 * server: kept as numbers and the outcomes' constant strings rather than an object per guess,
 * they give the collector nothing to copy. Entries are made only when asked for (a snapshot, a
 * record).
 */
export class History {
  readonly #values: number[] = [];
  readonly #outcomes: OutcomeKind[] = [];

  static from(entries: readonly HistoryEntry[]): History {
    const history = new History();
    for (const entry of entries) history.push(entry.value, entry.outcome);
    return history;
  }

  get length(): number {
    return this.#values.length;
  }

  push(value: number, outcome: OutcomeKind): void {
    if (this.#values.length >= HISTORY_LIMIT) {
      this.#values.shift();
      this.#outcomes.shift();
    }
    this.#values.push(value);
    this.#outcomes.push(outcome);
  }

  /** A new round: nothing guessed yet. */
  clear(): void {
    this.#values.length = 0;
    this.#outcomes.length = 0;
  }

  entries(): HistoryEntry[] {
    return this.#values.map((value, i) => ({ value, outcome: this.#outcomes[i] as OutcomeKind }));
  }
}

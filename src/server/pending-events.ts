import type { RoomEvent } from '../core/room-events.js';
import type { Room } from '../core/room.js';
import { OUTCOMES, packedResult } from '../protocol/kept-events.js';
import { encodeNumbered, isUsualResult } from '../protocol/messages.js';

const OUTCOME_INDEX: Readonly<Record<(typeof OUTCOMES)[number], number>> = { low: 0, high: 1, win: 2 };

/**
 * A player's events not yet written to the store, numbered `first` to `last` (a player's events
 * are numbered one by one). A busy room's events wait seconds for its record (foldAfterMs), and a
 * waiting string is an object the garbage collector copies at every young collection: a
 * `result` whose message is its outcome's sentence (nearly every event) therefore waits as two
 * small integers, its value and `attempts * 3 + outcome`, which the collector skips, and its
 * short form (see kept-events) is made only when it is written or replayed. Anything else
 * waits as the text sent.
 */
export class PendingEvents {
  first: number;
  /**
   * The room whose journaled guesses made them (so a replay of the journal would make them
   * again): they must be written when that room's record is, at the latest.
   */
  room: Room | undefined;
  /** A text, or a result's `attempts * 3 + outcome`. */
  readonly #kept: Array<string | number> = [];
  /** A result's value (0 beside a text). */
  readonly #values: number[] = [];

  constructor(seq: number, room: Room | undefined) {
    this.first = seq;
    this.room = room;
  }

  get length(): number {
    return this.#kept.length;
  }

  /** The number of the latest (`first - 1` while none waits). */
  get last(): number {
    return this.first + this.#kept.length - 1;
  }

  /** The event numbered `last + 1`, as sent (`text`; a `result` may come without, and is encoded here if it must be). */
  push(event: RoomEvent, text: string | undefined): void {
    if (isUsualResult(event) && Number.isSafeInteger(event.value) && Number.isSafeInteger(event.attempts) && event.attempts >= 0 && event.attempts < 2 ** 48) {
      this.#kept.push(event.attempts * 3 + OUTCOME_INDEX[event.outcome]);
      this.#values.push(event.value);
    } else {
      this.#kept.push(text ?? encodeNumbered(event, this.last + 1));
      this.#values.push(0);
    }
  }

  /** Forgets the `count` oldest. */
  dropOldest(count: number): void {
    this.#kept.splice(0, count);
    this.#values.splice(0, count);
    this.first += count;
  }

  /** The events numbered above `seq` as kept (a result in its short form), oldest first. */
  keptAfter(seq: number): string[] {
    const texts: string[] = [];
    for (let i = Math.max(0, seq + 1 - this.first); i < this.#kept.length; i++) {
      const kept = this.#kept[i] as string | number;
      if (typeof kept === 'string') texts.push(kept);
      else texts.push(packedResult(this.#values[i] as number, OUTCOMES[kept % 3] as (typeof OUTCOMES)[number], Math.floor(kept / 3), this.first + i));
    }
    return texts;
  }
}

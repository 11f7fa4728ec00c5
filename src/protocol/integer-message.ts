import { HUGE_GUESS, integerLiteral } from '../core/guess.js';

/**
 * A `guess` or `pick` as the player typed it, as the JSON text of the message: the integer's own
 * digits go on the wire as a JSON number, however many there are. Building it with
 * JSON.stringify would round it first (9007199254740993 would go as 9007199254740992, and a
 * 400-digit guess, Infinity by then, as `null`). Undefined when `typed` is not an integer.
 */
export function integerMessage(type: 'guess' | 'pick', typed: string): string | undefined {
  const literal = integerLiteral(typed);
  return literal === undefined ? undefined : `{"type":"${type}","value":${literal}}`;
}

/**
 * The server echoes a guess beyond ±(2^53 − 1) as ±2^53 (docs/PROTOCOL.md, "Integers of any
 * size"); the player who typed it should see their own digits. A client notes each huge literal it
 * sends and shows it for the next echo of the same sign; a new round forgets what was never answered.
 */
export class TypedGuesses {
  #pending: string[] = [];

  sent(literal: string): void {
    if (Math.abs(Number(literal)) >= HUGE_GUESS) this.#pending.push(literal);
  }

  /** How to show `value`, echoed in a `result` for this player. */
  shown(value: number): string {
    if (Math.abs(value) !== HUGE_GUESS) return String(value);
    const index = this.#pending.findIndex((literal) => literal.startsWith('-') === value < 0);
    if (index < 0) return String(value);
    const [literal = ''] = this.#pending.splice(0, index + 1).slice(-1);
    return abbreviated(literal);
  }

  forget(): void {
    this.#pending = [];
  }
}

/** A long integer as a line can hold it: its first and last digits and how many there are. */
export function abbreviated(literal: string): string {
  const digits = literal.replace('-', '').length;
  return digits <= 30 ? literal : `${literal.slice(0, literal.length - digits + 12)}…${literal.slice(-6)} [${digits} digits]`;
}

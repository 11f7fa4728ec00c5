import { integerLiteral } from '../core/guess.js';

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

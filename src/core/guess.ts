/**
 * Reading a guess from text: the chapter's `int(input())`, made explicit.
 * Accepted: optional spaces, an optional `+` or `-`, then ASCII digits 0-9 (leading zeros allowed).
 * Refused: decimals (`4.2`), exponents (`1e3`), stray characters (`42'`), underscores, and
 * digits of other scripts such as `٤٢`: Python's int() takes those, but a guess that looks
 * like one number on one screen and another elsewhere has no place in a game.
 */
export type ParsedGuess =
  | { readonly ok: true; readonly value: number }
  | { readonly ok: false; readonly reason: 'not-integer' };

const NOT_INTEGER: ParsedGuess = Object.freeze({ ok: false, reason: 'not-integer' });

/**
 * What an integer beyond ±(2^53 − 1) is read as, with its sign: 2^53. A range's bounds are safe
 * integers, so such a guess is too big (or too small) whatever its digits, and this keeps that
 * answer while staying a JSON number that every reader takes for an integer (Infinity would be
 * written as `null`).
 */
export const HUGE_GUESS = 2 ** 53;

/**
 * Parses one guess. Integers beyond ±(2^53 − 1) keep their sign but lose their digits (they
 * become ±HUGE_GUESS), which is all a comparison with the secret needs.
 */
export function parseGuess(text: string): ParsedGuess {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  if (start === end) return NOT_INTEGER;
  let negative = false;
  const first = text.charCodeAt(start);
  if (first === 0x2b /* + */ || first === 0x2d /* - */) {
    negative = first === 0x2d;
    start++;
    if (start === end) return NOT_INTEGER;
  }
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return NOT_INTEGER;
    value = value * 10 + digit;
  }
  if (value > Number.MAX_SAFE_INTEGER) value = HUGE_GUESS;
  return { ok: true, value: negative ? -value || 0 : value };
}

/**
 * The integer that `text` holds, written as a JSON number would be: an optional `-`, then its
 * digits without leading zeros (`+007` is `7`, `-0` is `0`), however many there are; undefined
 * when `text` is not an integer. Clients send this, so that no guess is rounded on its way.
 */
export function integerLiteral(text: string): string | undefined {
  if (!parseGuess(text).ok) return undefined;
  const [, sign = '', digits = ''] = /^([+-]?)0*([0-9]+)$/.exec(text.trim()) ?? [];
  return sign === '-' && digits !== '0' ? `-${digits}` : digits;
}

/** ASCII space, tab, CR, LF, VT, FF: what a terminal or `nc` may add around a number. */
function isSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}

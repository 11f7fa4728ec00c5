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
 * Parses one guess. Integers beyond ±2^53 keep their sign but lose their digits (they become
 * ±Infinity), which is all a comparison with the secret needs.
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
  if (value > Number.MAX_SAFE_INTEGER) value = Infinity;
  return { ok: true, value: negative ? -value || 0 : value };
}

/** ASCII space, tab, CR, LF, VT, FF: what a terminal or `nc` may add around a number. */
function isSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}

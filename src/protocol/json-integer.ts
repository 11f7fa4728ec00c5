/**
 * Exact integers from JSON text. A JSON number has no size limit, but JSON.parse rounds it to a
 * double: 400 digits become Infinity, `100.0000000000000001` becomes 100, `1e-400` becomes 0. A
 * guess is judged on the number the client wrote, so whether it is an integer is read from the
 * literal itself; the double JSON.parse made is then exact whenever it is a safe integer.
 */
import { HUGE_GUESS } from '../core/guess.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
/** Beyond any literal's own digit count: an exponent this large decides alone. */
const EXPONENT_CAP = 1e15;

/**
 * The integer that the top-level member `key` of the JSON object `text` holds, `parsed` being
 * what JSON.parse read there (a number). An integer is any number literal whose exact value is
 * whole (`42`, `-7`, `007` is not JSON, but `50.0`, `1e3`, `1.5e1`, `-0` are); one beyond
 * ±(2^53 − 1) is returned as ±HUGE_GUESS. Undefined when the value is not whole.
 * `text` must be valid JSON (JSON.parse accepted it).
 */
export function exactInteger(text: string, key: string, parsed: number): number | undefined {
  if (!(quickFind(text, key) || findMember(text, key)) || !isWhole(text, memberStart, memberEnd)) return undefined;
  if (parsed > Number.MAX_SAFE_INTEGER) return HUGE_GUESS;
  if (parsed < -Number.MAX_SAFE_INTEGER) return -HUGE_GUESS;
  // A whole literal within ±2^53 is exact in a double: JSON.parse kept its value (but not -0).
  return parsed === 0 ? 0 : parsed;
}

// Where the last member found lies; module state so that finding it allocates nothing.
let memberStart = 0;
let memberEnd = 0;

/**
 * The usual case, found with the engine's own string search: with no backslash in the text every
 * quote opens or closes a string, so the one place `"key"` occurs is the member's own name (the
 * caller knows the object has that member).
 */
function quickFind(text: string, key: string): boolean {
  const at = text.indexOf(key) - 1;
  const after = at + key.length + 2;
  if (at < 0 || text.charCodeAt(at) !== QUOTE || text.charCodeAt(after - 1) !== QUOTE) return false;
  if (text.indexOf(key, after) !== -1 || text.indexOf('\\') !== -1) return false;
  const colon = skipSpace(text, after);
  if (text.charCodeAt(colon) !== COLON) return false;
  memberStart = skipSpace(text, colon + 1);
  memberEnd = skipValue(text, memberStart);
  return true;
}

/** Finds the last top-level member named `key` (JSON.parse keeps the last of duplicates). */
function findMember(text: string, key: string): boolean {
  const length = text.length;
  let found = false;
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== OPEN_BRACE) return false;
  i++;
  while (i < length) {
    i = skipSpace(text, i);
    if (text.charCodeAt(i) !== QUOTE) return found;
    const nameStart = i + 1;
    i = skipString(text, i);
    const named = sameName(text, nameStart, i - 1, key);
    i = skipSpace(text, i);
    if (text.charCodeAt(i) !== COLON) return found;
    i = skipSpace(text, i + 1);
    const start = i;
    i = skipValue(text, i);
    if (named) {
      memberStart = start;
      memberEnd = i;
      found = true;
    }
    i = skipSpace(text, i);
    if (text.charCodeAt(i) !== COMMA) return found;
    i++;
  }
  return found;
}

function sameName(text: string, start: number, end: number, key: string): boolean {
  if (end - start === key.length && text.startsWith(key, start)) return true;
  // A name with escapes (`"val\u0075e"`) is rare: let JSON.parse read it.
  const escape = text.indexOf('\\', start);
  return escape !== -1 && escape < end && JSON.parse(text.slice(start - 1, end + 1)) === key;
}

/** From an opening quote to just past the closing one. */
function skipString(text: string, i: number): number {
  const length = text.length;
  for (i++; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code === BACKSLASH) i++;
    else if (code === QUOTE) return i + 1;
  }
  return length;
}

function skipValue(text: string, i: number): number {
  const length = text.length;
  const first = text.charCodeAt(i);
  if (first === QUOTE) return skipString(text, i);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    while (i < length) {
      const code = text.charCodeAt(i);
      if (code === QUOTE) {
        i = skipString(text, i);
        continue;
      }
      if (code === OPEN_BRACE || code === OPEN_BRACKET) depth++;
      else if ((code === CLOSE_BRACE || code === CLOSE_BRACKET) && --depth === 0) return i + 1;
      i++;
    }
    return length;
  }
  // A number, true, false or null: it runs to the next separator or space.
  while (i < length) {
    const code = text.charCodeAt(i);
    if (code === COMMA || code === CLOSE_BRACE || code === CLOSE_BRACKET || isSpace(code)) break;
    i++;
  }
  return i;
}

/**
 * Whether the number literal in text[start, end) is whole: zero, or its last non-zero digit
 * stands at a power of ten of 0 or more once the exponent is applied. Anything that is not a
 * number literal is not whole.
 */
function isWhole(text: string, start: number, end: number): boolean {
  let i = start;
  if (text.charCodeAt(i) === MINUS) i++;
  const integerStart = i;
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  if (i === integerStart) return false;
  const integerEnd = i;
  // The power of ten of the last non-zero digit, before the exponent; NaN while all are zero.
  let last = NaN;
  for (let k = integerStart; k < integerEnd; k++) if (text.charCodeAt(k) !== ZERO) last = integerEnd - 1 - k;
  if (text.charCodeAt(i) === DOT) {
    const fractionStart = ++i;
    for (; i < end && isDigit(text.charCodeAt(i)); i++) if (text.charCodeAt(i) !== ZERO) last = fractionStart - 1 - i;
  }
  let exponent = 0;
  if (i < end) {
    i++; // e or E
    const sign = text.charCodeAt(i) === MINUS ? -1 : 1;
    if (text.charCodeAt(i) === MINUS || text.charCodeAt(i) === PLUS) i++;
    for (; i < end; i++) exponent = Math.min(exponent * 10 + text.charCodeAt(i) - ZERO, EXPONENT_CAP);
    exponent *= sign;
  }
  return Number.isNaN(last) || last + exponent >= 0;
}

function isDigit(code: number): boolean {
  return code >= ZERO && code <= NINE;
}

/** JSON's whitespace: space, tab, LF, CR. */
function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

import { SENTENCES, type Outcome, type Range } from '../core/game.js';
import { ERRORS } from './errors.js';

/**
 * The plain dialect: one guess per line in, one sentence per line out. The classic dialect is
 * the same sentences with no line ending, as the chapter's server sends them.
 * Replies are built once: the hot path writes a ready string.
 */
const LINE = {
  low: `${SENTENCES.low}\n`,
  high: `${SENTENCES.high}\n`,
  win: `${SENTENCES.win}\n`,
} as const;

export const NOT_INTEGER_LINE = `${SENTENCES.notInteger}\n`;
export const NOT_INTEGER_BARE = SENTENCES.notInteger;

export function plainReply(outcome: Outcome): string {
  return LINE[outcome.kind];
}

export function classicReply(outcome: Outcome): string {
  return SENTENCES[outcome.kind];
}

/**
 * The plain dialect's one question: a client that sends this line is told the secret's range, so
 * `guess join` can say it before the first prompt. A server that does not know the question
 * answers it as any other word (`Guesses must be an integer. …`) and the client goes on without it.
 */
export const RANGE_QUERY = 'range';

export function isRangeQuery(line: string): boolean {
  return line.trim().toLowerCase() === RANGE_QUERY;
}

export function rangeLine(range: Range): string {
  return `The number is between ${range.min} and ${range.max}.\n`;
}

/** The range a `rangeLine` names, or undefined if `text` is not one. */
export function parseRangeLine(text: string): Range | undefined {
  const match = /^The number is between (-?\d{1,16}) and (-?\d{1,16})\.$/.exec(text);
  if (match === null) return undefined;
  const min = Number(match[1]);
  const max = Number(match[2]);
  return Number.isSafeInteger(min) && Number.isSafeInteger(max) && min <= max ? { min, max } : undefined;
}

/** What a plain client is sent before it is disconnected for a protocol error. */
export function plainErrorLine(message: string): string {
  return `Error: ${message}\n`;
}

/** Parses one reply sentence, as a client does. */
export function parseReply(text: string): Outcome['kind'] | 'not-integer' | undefined {
  switch (text) {
    case SENTENCES.low:
      return 'low';
    case SENTENCES.high:
      return 'high';
    case SENTENCES.win:
      return 'win';
    default:
      return text.startsWith('Guesses must be an integer') ? 'not-integer' : undefined;
  }
}

const ERROR_PREFIX = 'Error: ';

/** What a plain (or classic) client may be told: an answer, the server's goodbye, or an error before the server closes. */
export type PlainReply =
  | { readonly kind: Outcome['kind'] | 'not-integer' }
  | { readonly kind: 'goodbye' | 'error'; readonly message: string };

/**
 * Reads one line of the plain dialect, or one bare sentence of the classic one: the three answers,
 * the not-an-integer sentence, the shutdown goodbye, or `Error: …` (the line a server sends before
 * it closes). Anything else is undefined: not a server of ours, and the client stops.
 */
export function decodePlainReply(text: string): PlainReply | undefined {
  const kind = parseReply(text);
  if (kind !== undefined) return { kind };
  const message = text.startsWith(ERROR_PREFIX) ? text.slice(ERROR_PREFIX.length) : text;
  if (message === ERRORS.E_SHUTTING_DOWN) return { kind: 'goodbye', message };
  // Control and format characters would let a server rewrite the player's terminal.
  if (text.startsWith(ERROR_PREFIX) && message !== '' && !/[\p{Cc}\p{Cf}]/u.test(message)) return { kind: 'error', message };
  return undefined;
}

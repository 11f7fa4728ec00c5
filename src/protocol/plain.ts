import { SENTENCES, type Outcome } from '../core/game.js';

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

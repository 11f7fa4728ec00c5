import { SENTENCES, type Outcome } from '../core/game.js';

/**
 * The plain dialect: one guess per line in, one sentence per line out. The classic dialect is
 * the same sentences with no line ending, as the chapter's server sends them.
 * Replies are built once: the hot path writes a ready buffer.
 */
const LINE = {
  low: Buffer.from(`${SENTENCES.low}\n`),
  high: Buffer.from(`${SENTENCES.high}\n`),
  win: Buffer.from(`${SENTENCES.win}\n`),
} as const;

const BARE = {
  low: Buffer.from(SENTENCES.low),
  high: Buffer.from(SENTENCES.high),
  win: Buffer.from(SENTENCES.win),
} as const;

export const NOT_INTEGER_LINE = Buffer.from(`${SENTENCES.notInteger}\n`);
export const NOT_INTEGER_BARE = Buffer.from(SENTENCES.notInteger);

export function plainReply(outcome: Outcome): Buffer {
  return LINE[outcome.kind];
}

export function classicReply(outcome: Outcome): Buffer {
  return BARE[outcome.kind];
}

/** What a plain client is sent before it is disconnected for a protocol error. */
export function plainErrorLine(message: string): Buffer {
  return Buffer.from(`Error: ${message}\n`);
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

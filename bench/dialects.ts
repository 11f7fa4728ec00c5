import { connect, type Socket } from 'node:net';
import type { Range } from '../src/core/game.js';
import { LineDecoder } from '../src/protocol/line-decoder.js';
import { parseReply } from '../src/protocol/plain.js';
import type { Verdict } from './bot.js';

export const DIALECT_NAMES = ['plain', 'json', 'ws'] as const;
export type DialectName = (typeof DIALECT_NAMES)[number];

export interface Target {
  readonly host: string;
  readonly port: number;
  /** The server's range: dialects that set up a game (JSON's solo room) ask for exactly this one. */
  readonly range: Range;
}

/** What a connection reports back to its bot. */
export interface LinkEvents {
  /** One message: a line, or a WebSocket frame's text. */
  readonly reply: (text: string) => void;
  /** The connection broke the protocol or failed; it is closed after this. */
  readonly error: (message: string) => void;
  /** The peer closed the connection (not called after our own close()). */
  readonly closed: () => void;
}

/** One open connection, as a bot uses it. */
export interface Link {
  send(text: string): void;
  /** Closes at once, with a reset rather than a FIN, so 10,000 closes leave no TIME_WAIT behind. */
  close(): void;
}

/**
 * What a message says to a bot: the verdict on its guess, `other` for a message that is not a
 * reply to a guess (JSON's `round_end`, `round_start`), undefined for one it cannot accept.
 */
export type Reading = Verdict | 'other' | undefined;

/** How bots speak one dialect: how to connect (and set up a game), how a guess is written, how a reply reads. */
export interface BotDialect {
  readonly name: DialectName;
  open(target: Target, events: LinkEvents): Promise<Link>;
  encode(guess: number): string;
  read(message: string): Reading;
}

/** Opens a TCP connection; rejects with the socket's error (its `code` tells whether to retry). */
export function openSocket(target: Target): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.host, port: target.port, noDelay: true });
    const fail = (error: Error): void => {
      socket.destroy();
      reject(error);
    };
    socket.once('error', fail);
    socket.once('connect', () => {
      socket.off('error', fail);
      resolve(socket);
    });
  });
}

/** Lines over TCP, for the plain and JSON dialects. */
export async function openLines(target: Target, events: LinkEvents): Promise<Link> {
  const socket = await openSocket(target);
  const decoder = new LineDecoder(64 * 1024);
  let closing = false;
  const onLine = (line: string): void => events.reply(line);
  socket.on('data', (chunk: Buffer) => {
    const error = decoder.push(chunk, onLine);
    if (error !== undefined) events.error(error.message);
  });
  socket.on('error', (error) => {
    if (!closing) events.error(`connection error: ${error.message}`);
  });
  socket.on('close', () => {
    if (!closing) events.closed();
  });
  return {
    send: (text) => socket.write(text),
    close: () => {
      closing = true;
      socket.resetAndDestroy();
    },
  };
}

export const plain: BotDialect = {
  name: 'plain',
  open: openLines,
  encode: (guess) => `${guess}\n`,
  read: (message) => {
    const kind = parseReply(message);
    return kind === 'not-integer' ? undefined : kind;
  },
};

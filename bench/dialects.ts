import { connect, type Socket } from 'node:net';
import { LineDecoder } from '../src/protocol/line-decoder.js';
import { parseReply } from '../src/protocol/plain.js';
import type { Verdict } from './bot.js';

export const DIALECT_NAMES = ['plain', 'json', 'ws'] as const;
export type DialectName = (typeof DIALECT_NAMES)[number];

export interface Target {
  readonly host: string;
  readonly port: number;
}

/** What a connection reports back to its bot. */
export interface LinkEvents {
  reply(text: string): void;
  /** The connection broke the protocol or failed; it is closed after this. */
  error(message: string): void;
  /** The peer closed the connection (not called after our own close()). */
  closed(): void;
}

/** One open connection, as a bot uses it. */
export interface Link {
  send(text: string): void;
  /** Closes at once, with a reset rather than a FIN, so 10,000 closes leave no TIME_WAIT behind. */
  close(): void;
}

/** How bots speak one dialect: how to connect, how a guess is written, how a reply reads. */
export interface BotDialect {
  readonly name: DialectName;
  open(target: Target, events: LinkEvents): Promise<Link>;
  encode(guess: number): string;
  verdict(reply: string): Verdict | undefined;
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
async function openLines(target: Target, events: LinkEvents): Promise<Link> {
  const socket = await openSocket(target);
  const decoder = new LineDecoder(1024);
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

const plain: BotDialect = {
  name: 'plain',
  open: openLines,
  encode: (guess) => `${guess}\n`,
  verdict: (reply) => {
    const kind = parseReply(reply);
    return kind === 'not-integer' ? undefined : kind;
  },
};

/** The dialects the generator speaks so far; the others are reported as not available. */
export const DIALECTS: Readonly<Partial<Record<DialectName, BotDialect>>> = { plain };

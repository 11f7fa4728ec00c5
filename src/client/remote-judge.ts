import { connect, type Socket } from 'node:net';
import type { Outcome, Range } from '../core/game.js';
import { decodePlainReply, parseRangeLine, RANGE_QUERY } from '../protocol/plain.js';
import { ReplyLines } from '../protocol/reply-lines.js';
import { unexpectedReply } from '../protocol/server-messages.js';
import { traceLine } from '../protocol/trace.js';
import { ClientError, describeConnectError } from './errors.js';
import type { Judge } from './terminal-game.js';

export interface RemoteOptions {
  readonly host: string;
  readonly port: number;
  /** Speak the chapter's bare dialect: no line endings, as its guess-server.py expects. */
  readonly classic: boolean;
  readonly trace: ((line: string) => void) | undefined;
}

/** The longest reply a server may send us before we call it a protocol error. */
const MAX_REPLY_BYTES = 1024;

/**
 * How long join waits for the answer to `range` before its first prompt. A plain server that stays
 * silent this long is taken for one that does not know the question; a person would not wait longer.
 */
export const RANGE_WAIT_MS = 2_000;

/**
 * A judge across the network: sends each guess and waits for the one reply. Exactly one
 * connection is opened (the chapter's server accepts exactly one). In plain lines it first asks
 * the range (`RANGE_QUERY`); the chapter's bare dialect has no such question, so `classic` does not.
 */
export class RemoteJudge implements Judge {
  /** The secret's range, once the server has told it. */
  range: Range | undefined;
  #asking: { resolve: () => void; reject: (error: Error) => void; timer: NodeJS.Timeout } | undefined;
  /** The wait for `range` ran out: its answer may still come, ahead of the first guess's. */
  #rangeOwed = false;
  readonly #socket: Socket;
  readonly #options: RemoteOptions;
  readonly #lines = new ReplyLines(MAX_REPLY_BYTES);
  #classicBuffer = '';
  #pending: { resolve: (kind: Outcome['kind']) => void; reject: (error: Error) => void } | undefined;
  #gone: ClientError | undefined;
  #local = '?';
  #closing = false;
  #onGone: ((error: ClientError) => void) | undefined;

  private constructor(socket: Socket, options: RemoteOptions) {
    this.#socket = socket;
    this.#options = options;
  }

  static open(options: RemoteOptions): Promise<RemoteJudge> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: options.host, port: options.port, noDelay: true });
      const judge = new RemoteJudge(socket, options);
      socket.once('connect', () => {
        judge.#local = `${socket.localAddress ?? '?'}:${socket.localPort ?? '?'}`;
        socket.off('error', onConnectError);
        judge.#wire();
        if (options.classic) resolve(judge);
        else judge.#askRange().then(() => resolve(judge), reject);
      });
      const onConnectError = (error: NodeJS.ErrnoException): void => {
        reject(new ClientError('E_CONNECT', describeConnectError(error, options.host, options.port), { cause: error }));
      };
      socket.once('error', onConnectError);
    });
  }

  /** Sends the integer as it was typed: both dialects read any number of digits. */
  guess(_value: number, typed: string): Promise<Outcome['kind']> {
    if (this.#gone !== undefined) return Promise.reject(this.#gone);
    const text = typed.trim();
    const bytes = Buffer.from(this.#options.classic ? text : `${text}\n`);
    this.#trace('to-server', bytes);
    this.#socket.write(bytes);
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
    });
  }

  /**
   * Resolves once the server has told the range, or answered as a server that does not know the
   * question, or kept silent for `RANGE_WAIT_MS`.
   */
  #askRange(): Promise<void> {
    const bytes = Buffer.from(`${RANGE_QUERY}\n`);
    this.#trace('to-server', bytes);
    this.#socket.write(bytes);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#asking = undefined;
        this.#rangeOwed = true;
        resolve();
      }, RANGE_WAIT_MS);
      this.#asking = { resolve, reject, timer };
    });
  }

  /** Called once if the connection fails while the player is still playing. */
  onGone(listener: (error: ClientError) => void): void {
    this.#onGone = listener;
  }

  close(): void {
    this.#closing = true;
    this.#socket.end();
  }

  #wire(): void {
    this.#socket.on('data', (chunk: Buffer) => {
      this.#trace('to-client', chunk);
      if (this.#options.classic) this.#receiveClassic(chunk);
      else {
        const problem = this.#lines.push(chunk, (line) => this.#settle(line));
        if (problem !== undefined) this.#fail(new ClientError('E_PROTOCOL', problem));
      }
    });
    this.#socket.on('end', () => {
      const problem = this.#options.classic ? this.#classicLeftover() : this.#lines.end();
      if (problem !== undefined) this.#fail(new ClientError('E_PROTOCOL', problem));
    });
    this.#socket.on('error', () => {
      // 'close' follows and says the server is gone.
    });
    this.#socket.on('close', () => this.#fail(new ClientError('E_SERVER_GONE', 'the server closed the connection')));
  }

  // The chapter's server sends bare sentences: a reply is complete once it is one of them.
  #receiveClassic(chunk: Buffer): void {
    this.#classicBuffer += chunk.toString('utf8');
    if (decodePlainReply(this.#classicBuffer) !== undefined) {
      const reply = this.#classicBuffer;
      this.#classicBuffer = '';
      this.#settle(reply);
    } else if (this.#classicBuffer.length > MAX_REPLY_BYTES) {
      this.#fail(new ClientError('E_PROTOCOL', unexpectedReply(this.#classicBuffer, 'not a reply')));
    }
  }

  #classicLeftover(): string | undefined {
    return this.#classicBuffer === '' ? undefined : unexpectedReply(this.#classicBuffer, 'not a reply');
  }

  #settle(line: string): void {
    const reply = decodePlainReply(line);
    const asking = this.#asking;
    if (asking !== undefined) {
      this.range = parseRangeLine(line);
      if (this.range !== undefined || reply?.kind === 'not-integer') {
        clearTimeout(asking.timer);
        this.#asking = undefined;
        asking.resolve();
        return;
      }
      // An answer to a guess nobody sent is as unexpected as garbage.
      if (reply?.kind === 'low' || reply?.kind === 'high' || reply?.kind === 'win') {
        this.#fail(new ClientError('E_PROTOCOL', unexpectedReply(line)));
        return;
      }
    }
    if (this.#rangeOwed) {
      this.#rangeOwed = false;
      // Replies come in order, so a late answer to `range` comes first; too late to print, it is skipped.
      if (parseRangeLine(line) !== undefined || reply?.kind === 'not-integer') return;
    }
    if (reply === undefined || reply.kind === 'not-integer') {
      this.#fail(new ClientError('E_PROTOCOL', unexpectedReply(line)));
    } else if (reply.kind === 'goodbye') {
      this.#fail(new ClientError('E_SHUTDOWN', reply.message));
    } else if (reply.kind === 'error') {
      this.#fail(new ClientError('E_SERVER_GONE', `the server closed the connection: ${reply.message}`));
    } else {
      const pending = this.#pending;
      this.#pending = undefined;
      pending?.resolve(reply.kind);
    }
  }

  #fail(error: ClientError): void {
    if (this.#closing || this.#gone !== undefined) return;
    this.#gone = error;
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(error);
    clearTimeout(this.#asking?.timer);
    this.#asking?.reject(error);
    this.#asking = undefined;
    this.#socket.destroy();
    this.#onGone?.(error);
  }

  #trace(direction: 'to-server' | 'to-client', bytes: Buffer): void {
    if (this.#options.trace !== undefined) this.#options.trace(traceLine(new Date(), this.#local, direction, bytes));
  }
}

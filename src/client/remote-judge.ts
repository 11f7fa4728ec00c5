import { connect, type Socket } from 'node:net';
import type { Outcome } from '../core/game.js';
import { LineDecoder } from '../protocol/line-decoder.js';
import { parseReply } from '../protocol/plain.js';
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
 * A judge across the network: sends each guess and waits for the one reply. Exactly one
 * connection is opened (the chapter's server accepts exactly one).
 */
export class RemoteJudge implements Judge {
  readonly range = undefined;
  readonly #socket: Socket;
  readonly #options: RemoteOptions;
  readonly #decoder = new LineDecoder(MAX_REPLY_BYTES);
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
        resolve(judge);
      });
      const onConnectError = (error: NodeJS.ErrnoException): void => {
        reject(new ClientError('E_CONNECT', describeConnectError(error, options.host, options.port), { cause: error }));
      };
      socket.once('error', onConnectError);
    });
  }

  guess(value: number): Promise<Outcome['kind']> {
    if (this.#gone !== undefined) return Promise.reject(this.#gone);
    const bytes = Buffer.from(this.#options.classic ? String(value) : `${value}\n`);
    this.#trace('to-server', bytes);
    this.#socket.write(bytes);
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
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
        const error = this.#decoder.push(chunk, (line) => this.#settle(line));
        if (error !== undefined) this.#fail(new ClientError('E_PROTOCOL', `the server sent a reply over ${MAX_REPLY_BYTES} bytes`));
      }
    });
    this.#socket.on('error', () => {
      // 'close' follows and says the server is gone.
    });
    this.#socket.on('close', () => this.#fail(new ClientError('E_SERVER_GONE', 'the server closed the connection')));
  }

  // The chapter's server sends bare sentences: a reply is complete once it is one of them.
  #receiveClassic(chunk: Buffer): void {
    this.#classicBuffer += chunk.toString('utf8');
    if (parseReply(this.#classicBuffer) !== undefined) {
      const reply = this.#classicBuffer;
      this.#classicBuffer = '';
      this.#settle(reply);
    } else if (this.#classicBuffer.length > MAX_REPLY_BYTES) {
      this.#fail(new ClientError('E_PROTOCOL', 'the server sent something that is not a reply'));
    }
  }

  #settle(reply: string): void {
    const kind = parseReply(reply);
    if (kind === undefined || kind === 'not-integer') {
      this.#fail(new ClientError('E_PROTOCOL', `unexpected reply from the server: ${JSON.stringify(reply.slice(0, 80))}`));
      return;
    }
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.resolve(kind);
  }

  #fail(error: ClientError): void {
    if (this.#closing) return;
    this.#gone ??= error;
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(this.#gone);
    this.#socket.destroy();
    this.#onGone?.(this.#gone);
  }

  #trace(direction: 'to-server' | 'to-client', bytes: Buffer): void {
    if (this.#options.trace !== undefined) this.#options.trace(traceLine(new Date(), this.#local, direction, bytes));
  }
}

import { connect, type Socket } from 'node:net';
import { LineDecoder } from '../protocol/line-decoder.js';
import type { ServerMessage } from '../protocol/messages.js';
import { traceLine } from '../protocol/trace.js';
import { ClientError, describeConnectError } from './errors.js';

export interface LinkOptions {
  readonly host: string;
  readonly port: number;
  readonly name: string;
  readonly trace: ((line: string) => void) | undefined;
  /** How long to keep trying to get back after the connection drops (the server keeps the seat 60 s). */
  readonly giveUpAfterMs?: number;
}

export interface LinkEvents {
  message(message: ServerMessage): void;
  /** The connection dropped; a new attempt starts in `delayMs`. */
  reconnecting(attempt: number, delayMs: number): void;
  /** The link is gone for good. */
  gone(error: ClientError): void;
}

const MAX_LINE_BYTES = 64 * 1024;
const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 4000;

/**
 * The terminal client's JSON connection to a server: lines in, typed messages out. When the
 * connection drops it reconnects by itself, with exponential backoff, and opens the new
 * connection with `resume {token}` so the seat, attempts and history come back; messages the
 * player sends meanwhile wait and go once the seat is back.
 */
export class RoomLink {
  readonly #options: LinkOptions;
  readonly #events: LinkEvents;
  #socket: Socket | undefined;
  #token: string | undefined;
  #ready = false;
  #closing = false;
  #outbox: string[] = [];
  #attempt = 0;
  #droppedAt = 0;
  #local = '?';

  private constructor(options: LinkOptions, events: LinkEvents) {
    this.#options = options;
    this.#events = events;
  }

  /** Connects and says hello; resolves once connected (the `welcome` arrives as a message). */
  static async open(options: LinkOptions, events: LinkEvents): Promise<RoomLink> {
    const link = new RoomLink(options, events);
    await link.#connect();
    link.#write(JSON.stringify({ type: 'hello', v: 1, name: options.name }));
    return link;
  }

  send(message: object): void {
    const text = JSON.stringify(message);
    if (this.#ready) this.#write(text);
    else this.#outbox.push(text);
  }

  close(): void {
    this.#closing = true;
    this.#socket?.end();
  }

  #connect(): Promise<void> {
    const { host, port } = this.#options;
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, noDelay: true });
      const onError = (error: NodeJS.ErrnoException): void => {
        reject(new ClientError('E_CONNECT', describeConnectError(error, host, port), { cause: error }));
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        socket.off('error', onError);
        this.#local = `${socket.localAddress ?? '?'}:${socket.localPort ?? '?'}`;
        this.#wire(socket);
        resolve();
      });
    });
  }

  #wire(socket: Socket): void {
    this.#socket = socket;
    const decoder = new LineDecoder(MAX_LINE_BYTES);
    socket.on('data', (chunk: Buffer) => {
      this.#trace('to-client', chunk);
      const error = decoder.push(chunk, (line) => this.#receive(line));
      if (error !== undefined) this.#fail(new ClientError('E_PROTOCOL', `the server sent a line over ${MAX_LINE_BYTES} bytes`));
    });
    socket.on('error', () => {
      // 'close' follows.
    });
    socket.on('close', () => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#ready = false;
      if (!this.#closing) this.#dropped();
    });
  }

  #receive(line: string): void {
    let message: ServerMessage;
    try {
      message = JSON.parse(line) as ServerMessage;
    } catch {
      this.#fail(new ClientError('E_PROTOCOL', `the server sent something that is not JSON: ${JSON.stringify(line.slice(0, 80))}`));
      return;
    }
    if (message.type === 'welcome') {
      this.#token = message.token;
      this.#ready = true;
      this.#attempt = 0;
      for (const text of this.#outbox.splice(0)) this.#write(text);
    } else if (message.type === 'error' && message.code === 'E_UNKNOWN_TOKEN' && !this.#ready) {
      this.#fail(new ClientError('E_SERVER_GONE', 'the server no longer holds your seat (it waited, then gave it up)'));
      return;
    }
    this.#events.message(message);
  }

  #dropped(): void {
    if (this.#token === undefined) {
      this.#fail(new ClientError('E_SERVER_GONE', 'the server closed the connection'));
      return;
    }
    if (this.#attempt === 0) this.#droppedAt = Date.now();
    if (Date.now() - this.#droppedAt > (this.#options.giveUpAfterMs ?? 60_000)) {
      this.#fail(new ClientError('E_SERVER_GONE', 'could not get back to the server; giving up'));
      return;
    }
    this.#attempt++;
    const delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (this.#attempt - 1));
    this.#events.reconnecting(this.#attempt, delay);
    setTimeout(() => {
      this.#connect().then(
        () => this.#write(JSON.stringify({ type: 'resume', v: 1, token: this.#token })),
        () => this.#dropped(),
      );
    }, delay);
  }

  #fail(error: ClientError): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#socket?.destroy();
    this.#events.gone(error);
  }

  #write(text: string): void {
    const bytes = Buffer.from(`${text}\n`);
    this.#trace('to-server', bytes);
    this.#socket?.write(bytes);
  }

  #trace(direction: 'to-server' | 'to-client', bytes: Buffer): void {
    if (this.#options.trace !== undefined) this.#options.trace(traceLine(new Date(), this.#local, direction, bytes));
  }
}

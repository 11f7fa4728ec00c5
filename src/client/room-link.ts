import { connect, type Socket } from 'node:net';
import { ANSWER_TIMEOUT_MS, CONNECT_TIMEOUT_MS, retryWindowMs, reconnectPauseMs } from '../protocol/reconnect.js';
import { ReplyLines } from '../protocol/reply-lines.js';
import { decodeServerMessage, type IncomingMessage } from '../protocol/server-messages.js';
import { traceLine } from '../protocol/trace.js';
import { ClientError, describeConnectError, hostPort } from './errors.js';

export interface LinkOptions {
  readonly host: string;
  readonly port: number;
  readonly name: string;
  readonly trace: ((line: string) => void) | undefined;
  /** For the jitter of the pauses between attempts; Math.random unless a test seeds it. */
  readonly random?: () => number;
}

export interface LinkEvents {
  message(message: IncomingMessage): void;
  /**
   * The connection dropped and the link tries to get back for up to `windowMs`; called once per
   * drop. `goodbye` is the server's own message when it announced the drop.
   */
  reconnecting(windowMs: number, goodbye: string | undefined): void;
  /** The link is gone for good. */
  gone(error: ClientError): void;
}

const MAX_LINE_CHARS = 64 * 1024;

/**
 * The terminal client's JSON connection to a server: lines in, decoded messages out. When the
 * connection drops it reconnects by itself (src/protocol/reconnect.ts says when, and for how
 * long), and opens the new connection with `resume {token, seq}` so the seat, attempts and history
 * come back, with the events numbered above the last one handled; an event whose number was
 * handled already is dropped, so the player never reads one twice. Messages the player sends
 * meanwhile wait and go once the seat is back. A server
 * that sends anything it should not is not reconnected to: the link is gone at once. Every
 * connection must be made within `CONNECT_TIMEOUT_MS` and answered within `ANSWER_TIMEOUT_MS`,
 * or it counts as a failed attempt.
 */
export class RoomLink {
  readonly #options: LinkOptions;
  readonly #events: LinkEvents;
  #socket: Socket | undefined;
  #token: string | undefined;
  /** The number of the last event handled (0: none yet for this token). */
  #seq = 0;
  #ready = false;
  #closing = false;
  #outbox: string[] = [];
  #attempt = 0;
  #droppedAt = 0;
  #windowMs = 0;
  /** The server's goodbye on the connection that dropped, if it said one. */
  #goodbye: { readonly message: string; readonly retryAfterMs: number } | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #local = '?';
  /** Why the last attempt failed, when it timed out: the player's one line says it. */
  #lastTry: string | undefined;

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
    this.sendText(JSON.stringify(message));
  }

  /** A message already written as JSON text. */
  sendText(text: string): void {
    if (this.#ready) this.#write(text);
    else this.#outbox.push(text);
  }

  close(): void {
    this.#closing = true;
    clearTimeout(this.#timer);
    this.#socket?.end();
  }

  #connect(): Promise<void> {
    const { host, port } = this.#options;
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, noDelay: true });
      const timer = setTimeout(() => {
        this.#lastTry = `no connection within ${seconds(CONNECT_TIMEOUT_MS)}`;
        socket.destroy();
        reject(new ClientError('E_CONNECT', `cannot connect to ${hostPort(host, port)}: ${this.#lastTry}`));
      }, CONNECT_TIMEOUT_MS);
      const onError = (error: NodeJS.ErrnoException): void => {
        clearTimeout(timer);
        reject(new ClientError('E_CONNECT', describeConnectError(error, host, port), { cause: error }));
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        this.#local = `${socket.localAddress ?? '?'}:${socket.localPort ?? '?'}`;
        this.#wire(socket);
        resolve();
      });
    });
  }

  #wire(socket: Socket): void {
    this.#socket = socket;
    const lines = new ReplyLines(MAX_LINE_CHARS);
    let answered = false;
    const silence = setTimeout(() => {
      this.#lastTry = silentServer('the server');
      socket.destroy();
    }, ANSWER_TIMEOUT_MS);
    const receive = (line: string): void => {
      clearTimeout(silence);
      const problem = this.#receive(line, answered);
      answered = true;
      if (problem !== undefined) this.#fail(new ClientError('E_PROTOCOL', problem));
    };
    socket.on('data', (chunk: Buffer) => {
      this.#trace('to-client', chunk);
      const problem = lines.push(chunk, receive);
      if (problem !== undefined) this.#fail(new ClientError('E_PROTOCOL', problem));
    });
    socket.on('end', () => {
      const problem = lines.end();
      if (problem !== undefined) this.#fail(new ClientError('E_PROTOCOL', problem));
    });
    socket.on('error', () => {
      // 'close' follows.
    });
    socket.on('close', () => {
      clearTimeout(silence);
      lines.stop();
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#ready = false;
      if (!this.#closing) this.#dropped();
    });
  }

  /** One line from the server; returns the problem that ends the link, if it is one. */
  #receive(line: string, answered: boolean): string | undefined {
    const reply = decodeServerMessage(line, !answered);
    if (reply.kind === 'bad') return reply.problem;
    // A newer server's new message type is skipped.
    if (reply.kind === 'unknown') return undefined;
    const message = reply.message;
    if ('seq' in message && message.seq !== undefined) {
      // A replay of what was handled before the drop (events from older servers carry no number).
      if (message.seq <= this.#seq) return undefined;
      this.#seq = message.seq;
    }
    if (message.type === 'welcome') {
      if (!message.resumed) this.#seq = 0;
      this.#token = message.token;
      this.#ready = true;
      this.#attempt = 0;
      this.#goodbye = undefined;
      this.#lastTry = undefined;
      for (const text of this.#outbox.splice(0)) this.#write(text);
    } else if (message.type === 'shutdown') {
      this.#goodbye = { message: message.message, retryAfterMs: message.retryAfterMs };
      this.#token = message.token ?? this.#token;
      return undefined;
    } else if (message.type === 'error' && message.code === 'E_UNKNOWN_TOKEN' && !this.#ready) {
      this.#fail(new ClientError('E_SEAT_GONE', 'the server no longer has your seat (it gave it up while you were away, or it restarted without its games): host or join a room again'));
      return undefined;
    } else if (message.type === 'error' && message.code === 'E_RESUMED_ELSEWHERE') {
      // Resuming again would take the seat back from the other connection, which would take it back...
      this.#fail(new ClientError('E_SEAT_GONE', message.message));
      return undefined;
    }
    this.#events.message(message);
    return undefined;
  }

  #dropped(): void {
    const goodbye = this.#goodbye;
    if (this.#token === undefined) {
      if (goodbye !== undefined) this.#fail(new ClientError('E_SHUTDOWN', goodbye.message));
      else if (this.#lastTry !== undefined) this.#fail(new ClientError('E_SERVER_GONE', silentServer(`the server at ${hostPort(this.#options.host, this.#options.port)}`)));
      else this.#fail(new ClientError('E_SERVER_GONE', 'the server closed the connection'));
      return;
    }
    if (this.#attempt === 0) {
      this.#droppedAt = Date.now();
      this.#windowMs = retryWindowMs(goodbye?.retryAfterMs);
      this.#events.reconnecting(this.#windowMs, goodbye?.message);
    }
    const pause = reconnectPauseMs(this.#attempt + 1, Date.now() - this.#droppedAt, this.#windowMs, this.#options.random ?? Math.random);
    if (pause === undefined) {
      const why = this.#lastTry === undefined ? '' : ` (last try: ${this.#lastTry})`;
      this.#fail(new ClientError('E_SERVER_GONE', `could not get back to the server within ${seconds(this.#windowMs)}; giving up${why}`));
      return;
    }
    this.#attempt++;
    this.#timer = setTimeout(() => {
      this.#lastTry = undefined;
      this.#connect().then(
        () => this.#write(JSON.stringify({ type: 'resume', v: 1, token: this.#token, seq: this.#seq })),
        () => this.#dropped(),
      );
    }, pause);
  }

  #fail(error: ClientError): void {
    if (this.#closing) return;
    this.#closing = true;
    clearTimeout(this.#timer);
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

function silentServer(who: string): string {
  return `${who} took the connection but did not answer within ${seconds(ANSWER_TIMEOUT_MS)}`;
}

/** A duration as a player reads it: `0.8 s`, `60 s`, `2 min`. */
export function seconds(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  return ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}

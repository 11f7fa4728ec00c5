import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { ProtocolError } from '../protocol/errors.js';
import { traceLine, type Direction } from '../protocol/trace.js';
import type { ServerConfig } from './config.js';
import { RateLimiter, type Admission } from './rate-limit.js';
import { ReadShare, type Reader, type Turns } from './read-share.js';

export type { Admission };

/** Sees every message of one connection as it passes: the class view's spectator (see spectators.ts). */
export type Tap = (direction: Direction, bytes: Uint8Array | string) => void;

/** Why the server ended a connection, for the operator's log line at disconnect. */
export type CloseReason =
  | 'done'
  | 'line-too-long'
  | 'rate-limit'
  | 'idle-timeout'
  | 'first-message-timeout'
  | 'output-limit'
  | 'write-timeout'
  | 'shutdown'
  | 'internal-error';

/**
 * One connection's socket as the sessions see it: write with backpressure, trace when asked.
 * A peer that does not read its replies is slowed down, not cut off: reading pauses while the
 * socket's write buffer is full and resumes when it drains. Replies that still pile up past
 * `maxOutputBytes` (a room's broadcasts do not wait for the peer to speak) drop the connection,
 * and so does a peer that leaves its replies unread for `writeTimeoutMs`.
 */
export class Wire implements Reader {
  readonly socket: Socket;
  #peer: string | undefined;
  readonly #trace: ServerConfig['trace'];
  readonly #maxOutputBytes: number;
  readonly #rate: RateLimiter | undefined;
  /** Accepted guesses, for the operator's log line at disconnect. */
  guesses = 0;
  /** Messages read (each is admitted, or refused by the rate limit), for `/metrics`. */
  messages = 0;
  /** When bytes last arrived (set once per chunk, never per message): idle checks and the rate window read it. */
  lastActivity: number;
  /** Since when replies have waited for the peer to read them; 0 while it keeps up. */
  stalledSince = 0;
  /** True once the peer has sent a whole first message (the slowloris deadline no longer applies). */
  settled = false;
  /** Set once the server has decided to end the connection: nothing more is read or sent. */
  closing: CloseReason | undefined;
  /** While a read is being answered (see `hold`): the replies so far. */
  #held: string | undefined;
  /** Set while a teacher watches this connection; otherwise the one field its messages check. */
  tap: Tap | undefined;
  /** Upgraded to the game's WebSocket: its frames, not its bytes, are its messages. */
  websocket = false;
  /** Made at the first read: a connection that never sends (10,000 idle ones) costs nothing for it. */
  #share: ReadShare | undefined;
  /** The hub, which a page's reading waits on too (see PageFlow). */
  readonly turns: Turns | undefined;

  constructor(socket: Socket, config: ServerConfig, rateExempt: boolean, turns?: Turns) {
    this.socket = socket;
    this.turns = turns;
    this.#trace = config.trace;
    // Traced lines name the peer up to the last one, after the socket has forgotten its address.
    if (config.trace !== undefined) this.#peer = this.peer;
    this.#maxOutputBytes = config.maxOutputBytes;
    // An exempt connection (loopback) gets no limiter at all: nothing to keep, nothing to count.
    this.#rate = rateExempt ? undefined : new RateLimiter(config.maxMessagesPerSecond);
    this.lastActivity = Date.now();
  }

  /**
   * `address:port`, worked out when first asked for and kept: a connection nobody logs or traces
   * never builds it. Ask while the socket is open (afterwards Node no longer knows the address).
   */
  get peer(): string {
    this.#peer ??= `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}`;
    return this.#peer;
  }

  /**
   * From here until `release`, replies are gathered and leave in one write: a read holding many
   * lines (a pasted list, a pipelining client) or a guess answered by several messages (a JSON
   * win: `result`, `round_end`, `round_start`) costs one system call, not one per reply. The
   * connection holds while it answers each read.
   */
  hold(): void {
    // Already holding (a commit's messages let go while a read is answered): they join that write.
    this.#held ??= '';
  }

  /** Sends what was held; false when the connection is ending (that write may have passed the output limit). */
  release(): boolean {
    const held = this.#held;
    this.#held = undefined;
    if (held !== undefined && held !== '' && this.closing === undefined) this.#write(held);
    return this.closing === undefined;
  }

  /** Text, sent as UTF-8 (Node encodes strings natively: no Buffer is made per reply). */
  send(text: string): void {
    if (this.closing !== undefined) return;
    if (this.#trace !== undefined) this.#trace(traceLine(new Date(), this.peer, 'to-client', Buffer.from(text)));
    if (this.tap !== undefined) this.tap('to-client', text);
    if (this.#held === undefined) this.#write(text);
    else this.#held += text;
  }

  #write(text: string): void {
    const flowing = this.socket.write(text);
    // Checked after every write, the first that fills the buffer too: one read's replies, held
    // and sent together, may pass the limit at once.
    if (this.socket.writableLength > this.#maxOutputBytes) {
      this.drop('output-limit');
      return;
    }
    if (flowing || this.stalledSince !== 0) return;
    this.socket.pause();
    this.stalledSince = Date.now();
    // A closure per stall, not a bound handler kept by every connection: stalls are rare.
    this.socket.once('drain', () => this.#drained());
  }

  #drained(): void {
    this.stalledSince = 0;
    if (this.#share?.yielding !== true) this.resumeReading();
  }

  /** `bytes` were read: past its share in a row, reading waits (see ReadShare). */
  read(bytes: number): void {
    (this.#share ??= new ReadShare(this, this.turns)).read(bytes);
  }

  pauseReading(): void {
    this.socket.pause();
  }

  resumeReading(): void {
    if (this.closing === undefined && this.stalledSince === 0) this.socket.resume();
  }

  /** Sends a last message and closes our side once it is flushed. */
  sendAndClose(text: string, reason: CloseReason): void {
    if (this.closing !== undefined) return;
    if (this.#trace !== undefined) this.#trace(traceLine(new Date(), this.peer, 'to-client', Buffer.from(text)));
    if (this.tap !== undefined) this.tap('to-client', text);
    // What this read was answered with goes first; if that was too much, the peer is dropped.
    if (!this.release()) return;
    this.closing = reason;
    this.socket.end(text);
  }

  /** Closes our side once what was sent so far is flushed. */
  end(reason: CloseReason): void {
    if (this.closing !== undefined) return;
    if (!this.release()) return;
    this.closing = reason;
    this.socket.end();
  }

  /** Ends the connection at once, with nothing more sent: the peer is not reading anyway. */
  drop(reason: CloseReason): void {
    this.closing ??= reason;
    this.socket.destroy();
  }

  /** Counts one incoming message against the per-connection rate limit. */
  admit(): Admission {
    this.messages++;
    return this.#rate === undefined ? 'ok' : this.#rate.admit(this.lastActivity);
  }

  traceIncoming(bytes: Buffer): void {
    if (this.#trace !== undefined) this.#trace(traceLine(new Date(), this.peer, 'to-server', bytes));
    if (this.tap !== undefined) this.tap('to-server', bytes);
  }
}

/**
 * Closes `socket` once everything written to it (a goodbye last) is in the kernel's hands, ending
 * our side first if that is not done yet. The peer's own close is not awaited: a peer that never
 * reads, or never closes, must not hold a server that is going down. The kernel still delivers
 * what it holds, then our FIN. Only a peer whose buffers stay full keeps the write from
 * finishing; the shutdown deadline is for that one.
 */
export function closeWhenFlushed(socket: Duplex): void {
  if (socket.destroyed) return;
  if (!socket.writableEnded) socket.end();
  if (socket.writableFinished) socket.destroy();
  else socket.once('finish', () => socket.destroy());
}

/** What each dialect implements: bytes in, replies out through the wire. */
export interface Session {
  receive(chunk: Buffer): void;
  /**
   * Sends `error` in this dialect. With `close`, the connection ends after it (idle timeout,
   * persistent flooding); without, the peer may go on.
   */
  fail(error: ProtocolError, close: CloseReason | undefined): void;
  /**
   * The server is going down: answer what already arrived, then say goodbye in this dialect
   * (room players with their resume token and when to come back) and end the connection.
   */
  shutdown(): void;
  /** The connection is gone; release timers and state. */
  close(): void;
}

/**
 * Answers a message the rate limiter turned away, in the session's dialect: an error, and the
 * connection closed once the excess has persisted.
 */
export function refuseExcess(session: Session, admission: Exclude<Admission, 'ok'>, limit: number): void {
  const error = new ProtocolError('E_RATE_LIMITED', `Too many messages: the limit is ${limit} per second; slow down`);
  session.fail(error, admission === 'close' ? 'rate-limit' : undefined);
}

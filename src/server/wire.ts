import type { Socket } from 'node:net';
import { traceLine } from '../protocol/trace.js';
import type { ServerConfig } from './config.js';

/**
 * One connection's socket as the sessions see it: write with backpressure, trace when asked.
 * A peer that does not read its replies is slowed down, not cut off: reading pauses while the
 * socket's write buffer is full and resumes when it drains, so the server never buffers
 * without bound for a fast sender.
 */
export class Wire {
  readonly socket: Socket;
  readonly peer: string;
  readonly #trace: ServerConfig['trace'];
  /** Accepted guesses, for the operator's log line at disconnect. */
  guesses = 0;

  constructor(socket: Socket, peer: string, trace: ServerConfig['trace']) {
    this.socket = socket;
    this.peer = peer;
    this.#trace = trace;
  }

  send(bytes: Buffer): void {
    if (this.#trace !== undefined) this.#trace(traceLine(new Date(), this.peer, 'to-client', bytes));
    if (!this.socket.write(bytes) && !this.socket.isPaused()) {
      this.socket.pause();
      this.socket.once('drain', () => this.socket.resume());
    }
  }

  /** Sends a last message and closes our side once it is flushed. */
  sendAndClose(bytes: Buffer): void {
    if (this.#trace !== undefined) this.#trace(traceLine(new Date(), this.peer, 'to-client', bytes));
    this.socket.end(bytes);
  }

  traceIncoming(bytes: Buffer): void {
    if (this.#trace !== undefined) this.#trace(traceLine(new Date(), this.peer, 'to-server', bytes));
  }
}

/** What each dialect implements: bytes in, replies out through the wire. */
export interface Session {
  receive(chunk: Buffer): void;
  /** The connection is gone; release timers and state. */
  close(): void;
}

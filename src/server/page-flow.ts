import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { ReadShare, type Reader } from './read-share.js';
import type { Wire } from './wire.js';

/**
 * When a page's frames are read, as a TCP peer's bytes are (see Wire). A page that stops reading
 * is slowed down, not cut off: once its socket's buffer is full, its frames are no longer read
 * until the buffer drains; a fast page never notices. Pausing holds back only the replies it asks
 * for, not a room's broadcasts, so what waits for it is bounded too: past `maxOutputBytes` it is
 * dropped, and the server's sweep drops it if its buffer has not drained within `writeTimeoutMs`
 * (it reads `stalledSince`: no timer per message, and no callback per frame). And a page that
 * sends faster than the server turns has its reading give way once it has had its share (see
 * ReadShare).
 */
export class PageFlow implements Reader {
  readonly #ws: WebSocket;
  readonly #socket: Duplex;
  readonly #wire: Wire | undefined;
  readonly #maxOutputBytes: number;
  #stalled = false;
  readonly #share: ReadShare;

  constructor(ws: WebSocket, socket: Duplex, wire: Wire | undefined, maxOutputBytes: number) {
    this.#ws = ws;
    this.#socket = socket;
    this.#wire = wire;
    this.#maxOutputBytes = maxOutputBytes;
    this.#share = new ReadShare(this, wire?.turns);
  }

  /** Checked after each write. */
  wrote(): void {
    const wire = this.#wire;
    if (wire !== undefined && this.#ws.bufferedAmount > this.#maxOutputBytes) {
      wire.drop('output-limit');
      return;
    }
    if (this.#stalled || !this.#socket.writableNeedDrain) return;
    this.#stalled = true;
    this.#ws.pause();
    if (wire !== undefined) wire.stalledSince = Date.now();
    // A closure per stall, not per message: stalls are rare.
    this.#socket.once('drain', () => {
      this.#stalled = false;
      if (wire !== undefined) wire.stalledSince = 0;
      if (!this.#share.yielding) this.resumeReading();
    });
  }

  /** A frame of `bytes` was read. */
  read(bytes: number): void {
    this.#share.read(bytes);
  }

  pauseReading(): void {
    this.#ws.pause();
  }

  resumeReading(): void {
    if (!this.#stalled && this.#ws.readyState === this.#ws.OPEN) this.#ws.resume();
  }
}

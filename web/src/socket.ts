import { reconnectPauseMs, retryWindowMs } from '../../src/protocol/reconnect.js';

/**
 * The page's one WebSocket to the server it came from, kept alive: when it drops, it is opened
 * again after the pauses of src/protocol/reconnect.ts (the terminal client's too), for as long
 * as that policy says, and `onOpen` runs again so the game can resume.
 */
export type LinkState = 'connecting' | 'open' | 'reconnecting';

export interface LinkEvents {
  onOpen(): void;
  /** One text frame, as it came: the session decodes it. A binary frame comes as undefined. */
  onMessage(text: string | undefined): void;
  onState(state: LinkState, detail: string): void;
  /** The text of each frame sent, as it went. */
  onSent?(text: string): void;
  /** The connection closed, whatever comes next. */
  onClosed?(): void;
}

export class Link {
  readonly #url: string;
  readonly #events: LinkEvents;
  #socket: WebSocket | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #attempt = 0;
  /** Attempts since the connection dropped; 0 while it is up. */
  #retries = 0;
  #droppedAt = 0;
  #windowMs = 0;
  /** What the server's goodbye announced, for the next drop. */
  #retryAfterMs: number | undefined;
  #stopped = false;

  constructor(url: string, events: LinkEvents) {
    this.#url = url;
    this.#events = events;
  }

  static forThisPage(events: LinkEvents): Link {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return new Link(`${scheme}//${location.host}/ws`, events);
  }

  get open(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  connect(): void {
    this.#attempt++;
    this.#events.onState(this.#attempt === 1 ? 'connecting' : 'reconnecting', this.#attempt === 1 ? 'Connecting…' : `Reconnecting (attempt ${this.#attempt})…`);
    const socket = new WebSocket(this.#url);
    this.#socket = socket;
    socket.addEventListener('open', () => {
      this.#attempt = 0;
      this.#events.onState('open', 'Connected');
      this.#events.onOpen();
    });
    socket.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (this.#socket === socket) this.#events.onMessage(typeof event.data === 'string' ? event.data : undefined);
    });
    socket.addEventListener('close', () => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#events.onClosed?.();
      if (this.#stopped) {
        this.#events.onState('reconnecting', 'Disconnected');
        return;
      }
      if (this.#retries === 0) {
        this.#droppedAt = Date.now();
        this.#windowMs = retryWindowMs(this.#retryAfterMs);
      }
      const wait = reconnectPauseMs(++this.#retries, Date.now() - this.#droppedAt, this.#windowMs, Math.random);
      if (wait === undefined) {
        this.#events.onState('reconnecting', `Disconnected: the server did not come back within ${Math.round(this.#windowMs / 1000)} s. Reload the page to try again.`);
        return;
      }
      // After a goodbye the server is expected back: say so, rather than that the connection was lost.
      const why = this.#retryAfterMs === undefined ? 'Connection lost.' : 'The server is restarting.';
      this.#events.onState('reconnecting', `${why} Reconnecting in ${(wait / 1000).toFixed(1)} s…`);
      this.#timer = setTimeout(() => this.connect(), wait);
    });
  }

  /**
   * The outage is over: the server answered with a `welcome` (or the page had no seat to get
   * back). Until then, a server that accepts the connection and drops it again is still down.
   */
  settled(): void {
    this.#retries = 0;
    this.#retryAfterMs = undefined;
  }

  /** The server said goodbye and when to come back: the next drop is waited out that long. */
  expectBack(retryAfterMs: number): void {
    this.#retryAfterMs = retryAfterMs;
  }

  /** Gives up on this server for good: it sent what no server of ours sends. */
  abandon(): void {
    this.stop();
    const socket = this.#socket;
    this.#socket = undefined;
    socket?.close();
    if (socket !== undefined) this.#events.onClosed?.();
    this.#events.onState('reconnecting', 'Disconnected');
  }

  /** A string is a message already written as JSON text. */
  send(message: object | string): boolean {
    if (this.#socket?.readyState !== WebSocket.OPEN) return false;
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    this.#socket.send(text);
    this.#events.onSent?.(text);
    return true;
  }

  /** Stays disconnected once the current connection closes, until `retryNow`. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  /** Reconnects now instead of waiting out the pause (the player asked to). */
  retryNow(): void {
    this.#stopped = false;
    this.#retries = 0;
    if (this.#socket !== undefined) return;
    clearTimeout(this.#timer);
    this.connect();
  }
}

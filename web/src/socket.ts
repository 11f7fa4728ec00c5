/**
 * The page's one WebSocket to the server it came from, kept alive: when it drops, it is opened
 * again with growing pauses (0.25 s doubling to 5 s, a little random so a restarted server is
 * not hit by every page at once), and `onOpen` runs again so the game can resume.
 */
export type LinkState = 'connecting' | 'open' | 'reconnecting';

export interface LinkEvents {
  onOpen(): void;
  onMessage(message: unknown): void;
  onState(state: LinkState, detail: string): void;
}

const FIRST_PAUSE_MS = 250;
const LONGEST_PAUSE_MS = 5000;

export class Link {
  readonly #url: string;
  readonly #events: LinkEvents;
  #socket: WebSocket | undefined;
  #pause = FIRST_PAUSE_MS;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #attempt = 0;
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
      this.#pause = FIRST_PAUSE_MS;
      this.#events.onState('open', 'Connected');
      this.#events.onOpen();
    });
    socket.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (typeof event.data !== 'string') return;
      let message: unknown;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      this.#events.onMessage(message);
    });
    socket.addEventListener('close', () => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      if (this.#stopped) {
        this.#events.onState('reconnecting', 'Disconnected');
        return;
      }
      const wait = Math.round(this.#pause * (0.8 + Math.random() * 0.4));
      this.#pause = Math.min(this.#pause * 2, LONGEST_PAUSE_MS);
      this.#events.onState('reconnecting', `Connection lost. Reconnecting in ${(wait / 1000).toFixed(1)} s…`);
      this.#timer = setTimeout(() => this.connect(), wait);
    });
  }

  send(message: object): boolean {
    if (this.#socket?.readyState !== WebSocket.OPEN) return false;
    this.#socket.send(JSON.stringify(message));
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
    if (this.#socket !== undefined) return;
    clearTimeout(this.#timer);
    this.connect();
  }
}

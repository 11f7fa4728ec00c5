import type { WebSocket } from 'ws';

/**
 * A page that vanished without closing (a laptop lid shut, Wi-Fi lost) is found by a ping left
 * unanswered: every `everyMs` each page that answered the last ping is pinged again, and one that
 * did not is cut off, so it goes within two sweeps; its seat then waits for a resume like any
 * dropped connection's. One timer for every page, running only while there are pages, and one
 * listener shared by all: a timer and closures of its own would cost each idle page as much as
 * its room does.
 */
export class PageLiveness {
  readonly #everyMs: number;
  /** Each page, and whether it has answered since it was last pinged. */
  readonly #pages = new Map<WebSocket, boolean>();
  readonly #answered: (this: WebSocket) => void;
  #timer: NodeJS.Timeout | undefined;

  constructor(everyMs: number) {
    this.#everyMs = everyMs;
    const pages = this.#pages;
    this.#answered = function (this: WebSocket): void {
      if (pages.has(this)) pages.set(this, true);
    };
  }

  watch(ws: WebSocket): void {
    this.#pages.set(ws, true);
    ws.on('pong', this.#answered);
    this.#timer ??= setInterval(() => this.#sweep(), this.#everyMs).unref();
  }

  forget(ws: WebSocket): void {
    this.#pages.delete(ws);
    if (this.#pages.size > 0) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #sweep(): void {
    for (const [ws, answered] of this.#pages) {
      if (!answered) {
        ws.terminate();
        continue;
      }
      this.#pages.set(ws, false);
      ws.ping();
    }
  }
}

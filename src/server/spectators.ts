import type { ServerResponse } from 'node:http';
import { traceLine } from '../protocol/trace.js';
import { escapeHtml } from './html.js';
import type { Wire } from './wire.js';

/**
 * Teachers' pages that follow one connection's messages as they pass (`/class/trace`). Each page
 * is an HTML response left open, one list item written per message: no script, nothing polled.
 * The connection pays for this only while someone watches: its tap (one field it checks per
 * message) is set by the first watcher and cleared by the last. What a watcher sees is what that
 * connection sent and was sent, from the moment the page opened, as `--trace` prints it.
 */
export class Spectators {
  readonly #watched = new Map<Wire, Set<ServerResponse>>();

  /** Watchers of one connection at most: a projector, a teacher's laptop, a few reloads. */
  static readonly MAX_PER_CONNECTION = 8;
  /** Bytes a watcher's page may leave unread before it is let go (it stopped reading). */
  static readonly MAX_UNREAD_BYTES = 1024 * 1024;

  /** Adds `res` (its head and the page's top already written) to `wire`'s watchers; false when it has enough. */
  watch(wire: Wire, res: ServerResponse): boolean {
    let watchers = this.#watched.get(wire);
    if (watchers === undefined) {
      const set = new Set<ServerResponse>();
      watchers = set;
      this.#watched.set(wire, set);
      const peer = wire.peer;
      wire.tap = (direction, bytes) => {
        const line = traceLine(new Date(), peer, direction, typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
        const item = `<li class="${direction}"><code>${escapeHtml(line)}</code></li>\n`;
        for (const watcher of set) {
          watcher.write(item);
          if (watcher.writableLength > Spectators.MAX_UNREAD_BYTES) watcher.destroy();
        }
      };
      wire.socket.once('close', () => this.#ended(wire));
    }
    if (watchers.size >= Spectators.MAX_PER_CONNECTION) return false;
    const set = watchers;
    set.add(res);
    res.once('close', () => {
      set.delete(res);
      if (set.size === 0 && this.#watched.get(wire) === set) this.#stop(wire);
    });
    return true;
  }

  /** How many connections are watched now (0 when no teacher looks). */
  get watched(): number {
    return this.#watched.size;
  }

  /** The server is going down: every page is finished, so that no open answer holds the drain. */
  close(): void {
    for (const wire of [...this.#watched.keys()]) this.#finish(wire, 'The server is shutting down.');
  }

  #ended(wire: Wire): void {
    this.#finish(wire, 'The connection closed.');
  }

  #finish(wire: Wire, why: string): void {
    const watchers = this.#watched.get(wire);
    this.#stop(wire);
    for (const watcher of watchers ?? []) watcher.end(`</ol>\n<p class="trace-end" role="status">${why}</p>\n</main>\n</body>\n</html>\n`);
  }

  #stop(wire: Wire): void {
    this.#watched.delete(wire);
    wire.tap = undefined;
  }
}


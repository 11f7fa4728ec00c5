/**
 * What one page sent and received on its WebSocket, kept for the page's "Show the messages"
 * panel. Recording is one array write per frame (the text the socket already holds and a
 * timestamp): no formatting and no drawing happen until someone looks, and only the last
 * `capacity` entries are kept, so a page left open all day holds a bounded amount.
 */
export type WireKind = 'sent' | 'received' | 'opened' | 'closed';

export interface WireEntry {
  /** Counts every entry since the page loaded, the dropped ones too. */
  readonly n: number;
  readonly kind: WireKind;
  /** The frame's text exactly, for `sent` and `received`; undefined for a binary frame and for the connection's events. */
  readonly text: string | undefined;
  /** Milliseconds, from the clock the page passed in. */
  readonly at: number;
}

export const WIRE_LOG_CAPACITY = 500;

export class WireLog {
  readonly #capacity: number;
  readonly #now: () => number;
  readonly #ring: WireEntry[] = [];
  /** Where the oldest entry is, once the ring is full. */
  #start = 0;
  #count = 0;
  #listener: ((entry: WireEntry) => void) | undefined;

  constructor(now: () => number, capacity = WIRE_LOG_CAPACITY) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`a wire log keeps at least one entry, not ${capacity}`);
    this.#now = now;
    this.#capacity = capacity;
  }

  record(kind: WireKind, text?: string): void {
    const entry: WireEntry = { n: this.#count++, kind, text, at: this.#now() };
    if (this.#ring.length < this.#capacity) this.#ring.push(entry);
    else {
      this.#ring[this.#start] = entry;
      this.#start = (this.#start + 1) % this.#capacity;
    }
    this.#listener?.(entry);
  }

  /** The entries kept, oldest first. */
  entries(): WireEntry[] {
    return [...this.#ring.slice(this.#start), ...this.#ring.slice(0, this.#start)];
  }

  /** Entries recorded and no longer kept. */
  get dropped(): number {
    return this.#count - this.#ring.length;
  }

  /** One listener at most (the open panel); undefined stops the calls. */
  listen(listener: ((entry: WireEntry) => void) | undefined): void {
    this.#listener = listener;
  }
}

/**
 * What one connection may read in a row before its reading gives way: one read's worth. A JSON
 * reply waits for its turn's commit (see Hub), and a client that sends faster than the server
 * turns would otherwise have a whole turn's reads (Node reads up to 2 MB from a socket in one go)
 * answered at once: several megabytes written together, past the output limit, however promptly
 * it reads.
 */
export const READ_SHARE_BYTES = 64 * 1024;

/** Where replies wait for the store: the hub. */
export interface Turns {
  /**
   * Calls `go` once every message held so far has left: at the end of this turn when its commit
   * returns at once, or when the commit (with `--fsync commit`, the sync) they wait for is done.
   */
  afterHeld(go: () => void): void;
}

/** A connection's reading, as its transport pauses and resumes it. */
export interface Reader {
  pauseReading(): void;
  /** Resumes unless something else (a full write buffer, a close) still holds reading back. */
  resumeReading(): void;
}

/**
 * One connection's share of the reading. Past READ_SHARE_BYTES in a row, reading pauses until the
 * next turn of the event loop and until what was read has been answered: the replies it is owed
 * are bounded by a share's worth, however long the store takes to say they are durable (a slow
 * disk under `--fsync commit`, a far Redis). A client with one guess in flight never meets it.
 */
export class ReadShare {
  readonly #reader: Reader;
  readonly #turns: Turns | undefined;
  /** Bytes read since reading last gave way. */
  #since = 0;
  /** Reading waits for the turn and its replies. */
  yielding = false;

  constructor(reader: Reader, turns: Turns | undefined) {
    this.#reader = reader;
    this.#turns = turns;
  }

  /** `bytes` were read. */
  read(bytes: number): void {
    if ((this.#since += bytes) < READ_SHARE_BYTES) return;
    this.#since = 0;
    if (this.yielding) return;
    this.yielding = true;
    this.#reader.pauseReading();
    // A closure per share, not a bound handler kept by every connection: shares are rare.
    const go = (): void => {
      this.yielding = false;
      this.#reader.resumeReading();
    };
    // At the end of the turn, once its commit has been asked for, and once its replies have left.
    setImmediate(() => (this.#turns === undefined ? go() : this.#turns.afterHeld(go)));
  }
}

import { unexpectedReply } from './server-messages.js';

const CR = 0x0d;

/**
 * A server's replies as lines, the way a client reads them: strictly UTF-8 (the server never
 * sends anything else, so a byte that is not is garbage, not a character to guess at), at most
 * `maxLineChars` per line, and a line the server leaves unfinished when it closes its side is an
 * error too. Each error is the one line the player reads, with an excerpt of what came.
 */
export class ReplyLines {
  readonly #maxLineChars: number;
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });
  #pending = '';
  #failed = false;

  constructor(maxLineChars: number) {
    this.#maxLineChars = maxLineChars;
  }

  /** Feeds one chunk; calls `onLine` for each complete line (a trailing CR dropped). Returns a problem, once. */
  push(chunk: Uint8Array, onLine: (line: string) => void): string | undefined {
    if (this.#failed) return undefined;
    let text: string;
    try {
      text = this.#decoder.decode(chunk, { stream: true });
    } catch {
      return this.#fail(unexpectedReply(this.#pending + new TextDecoder().decode(chunk), 'not UTF-8'));
    }
    let data = this.#pending + text;
    for (let newline = data.indexOf('\n'); newline !== -1; newline = data.indexOf('\n')) {
      const line = data.slice(0, data.charCodeAt(newline - 1) === CR ? newline - 1 : newline);
      data = data.slice(newline + 1);
      if (line.length > this.#maxLineChars) return this.#fail(tooLong(line, this.#maxLineChars));
      onLine(line);
      if (this.#isStopped()) return undefined;
    }
    this.#pending = data;
    // One character of slack, and only for a CR: it may be half of a CRLF whose LF is still on its way.
    const unfinished = data.charCodeAt(data.length - 1) === CR ? data.length - 1 : data.length;
    return unfinished > this.#maxLineChars ? this.#fail(tooLong(data, this.#maxLineChars)) : undefined;
  }

  /** The server closed its side: a problem if it stopped in the middle of a line. */
  end(): string | undefined {
    if (this.#failed || this.#pending === '') return undefined;
    return this.#fail(unexpectedReply(this.#pending, 'cut off mid-line'));
  }

  /** Stops reading: nothing more is delivered (the caller gave up on the server for its own reason). */
  stop(): void {
    this.#failed = true;
  }

  // A method, not the field: `onLine` may have called `stop()`, which the compiler cannot see.
  #isStopped(): boolean {
    return this.#failed;
  }

  #fail(problem: string): string {
    this.#failed = true;
    this.#pending = '';
    return problem;
  }
}

function tooLong(line: string, max: number): string {
  return unexpectedReply(line, `a line over ${max} characters`);
}

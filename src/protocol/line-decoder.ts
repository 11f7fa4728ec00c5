import { ProtocolError } from './errors.js';

const LF = 0x0a;
const CR = 0x0d;

/**
 * Turns a byte stream into lines, whatever way TCP splits or joins them.
 *
 * Lines are cut at the LF byte before any decoding: LF never occurs inside a multi-byte UTF-8
 * sequence, so a character split across two reads is always whole once its line is. A trailing
 * CR is dropped. A line longer than `maxLineBytes` (terminator excluded) is an error as soon as
 * it is known to be too long; its bytes are not kept, and the decoder accepts nothing more.
 */
export class LineDecoder {
  readonly maxLineBytes: number;
  #pending: Buffer | undefined;
  #failed = false;

  constructor(maxLineBytes: number) {
    this.maxLineBytes = maxLineBytes;
  }

  /** Bytes of an unfinished line held so far. */
  get pendingBytes(): number {
    return this.#pending?.length ?? 0;
  }

  /**
   * Feeds one chunk; calls `onLine` for each complete line, in order. Returns an error once the
   * stream breaks the length limit (lines before the offending one are still delivered).
   */
  push(chunk: Buffer, onLine: (line: string) => void): ProtocolError | undefined {
    if (this.#failed) return undefined;
    let data = chunk;
    if (this.#pending !== undefined) {
      data = Buffer.concat([this.#pending, chunk]);
      this.#pending = undefined;
    }
    let start = 0;
    let newline = data.indexOf(LF, start);
    while (newline !== -1) {
      if (newline - start > this.maxLineBytes + 1) return this.#fail();
      let end = newline;
      if (end > start && data[end - 1] === CR) end--;
      if (end - start > this.maxLineBytes) return this.#fail();
      onLine(data.toString('utf8', start, end));
      start = newline + 1;
      // A chunk usually ends with its one line: skip the native call that would only say so.
      newline = start < data.length ? data.indexOf(LF, start) : -1;
    }
    const rest = data.length - start;
    // One byte of slack, and only for a CR: it may be half of a CRLF whose LF is still on its way.
    if (rest > this.maxLineBytes && (rest > this.maxLineBytes + 1 || data[data.length - 1] !== CR)) return this.#fail();
    if (rest > 0) this.#pending = Buffer.from(data.subarray(start));
    return undefined;
  }

  #fail(): ProtocolError {
    this.#failed = true;
    this.#pending = undefined;
    return new ProtocolError('E_LINE_TOO_LONG', `Message too long: the limit is ${this.maxLineBytes} bytes per line`);
  }
}

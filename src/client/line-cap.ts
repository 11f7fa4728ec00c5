import { Transform, type TransformCallback } from 'node:stream';

/** Longest line a player can enter; no guess in any range needs more. */
export const MAX_LINE_CHARS = 1024;

const CR = 0x0d;
const LF = 0x0a;
const DEL = 0x7f;
const BACKSPACE = 0x08;

/**
 * Sits between a terminal and readline. readline does work proportional to the whole line for
 * every character it echoes, so a paste of hundreds of KB would take seconds; past
 * `MAX_LINE_CHARS` this drops printable characters before readline sees them (control bytes
 * such as Enter, Ctrl-C and Backspace still pass) and remembers that the line overflowed.
 */
/** The part of a TTY stream the filter passes on. */
export interface RawModeTerminal {
  setRawMode(mode: boolean): unknown;
}

export class LineCap extends Transform {
  readonly isTTY = true;
  readonly #terminal: RawModeTerminal;
  #chars = 0;
  #overflowed = false;

  constructor(terminal: RawModeTerminal) {
    super();
    this.#terminal = terminal;
  }

  /** readline puts its input in raw mode: pass that to the real terminal. */
  setRawMode(mode: boolean): this {
    this.#terminal.setRawMode(mode);
    return this;
  }

  /** Whether the line just ended was cut; resets for the next line. */
  takeOverflow(): boolean {
    const overflowed = this.#overflowed;
    this.#overflowed = false;
    return overflowed;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.#chars + chunk.length <= MAX_LINE_CHARS && !chunk.includes(CR) && !chunk.includes(LF)) {
      this.#chars += chunk.length;
      done(null, chunk);
      return;
    }
    const kept = Buffer.allocUnsafe(chunk.length);
    let size = 0;
    for (const byte of chunk) {
      if (byte === CR || byte === LF) this.#chars = 0;
      else if (byte === DEL || byte === BACKSPACE) this.#chars = Math.max(0, this.#chars - 1);
      else if (byte >= 0x20 && (byte & 0xc0) !== 0x80) {
        // A printable character (or the first byte of a multi-byte one).
        if (this.#chars >= MAX_LINE_CHARS) {
          this.#overflowed = true;
          continue;
        }
        this.#chars++;
      } else if ((byte & 0xc0) === 0x80 && this.#chars >= MAX_LINE_CHARS) continue;
      kept[size++] = byte;
    }
    done(null, kept.subarray(0, size));
  }
}

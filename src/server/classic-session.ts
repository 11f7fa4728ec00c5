import { SoloGame } from '../core/game.js';
import { parseGuess } from '../core/guess.js';
import type { RoundResult } from '../core/results.js';
import { ProtocolError } from '../protocol/errors.js';
import { NOT_INTEGER_BARE, classicReply } from '../protocol/plain.js';
import type { ServerConfig } from './config.js';
import { SoloResults } from './solo-results.js';
import { refuseExcess, type CloseReason, type Session, type Wire } from './wire.js';

/**
 * The chapter's own dialect: `42` in, `Too small!` out, no line endings anywhere. A message is
 * whatever arrived before the peer fell silent for `classicQuietMs`, so a guess that TCP split
 * in two is still read as one.
 */
export class ClassicSession implements Session {
  readonly #wire: Wire;
  readonly #game: SoloGame;
  readonly #results: SoloResults;
  readonly #config: ServerConfig;
  readonly #guard: (work: () => void) => void;
  #parts: Buffer[] = [];
  #bytes = 0;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  /** `guard` runs the silence timer's work under the connection's guard, as its reads are. */
  constructor(wire: Wire, config: ServerConfig, guard: (work: () => void) => void, record: (result: RoundResult) => void) {
    this.#results = new SoloResults('classic', record);
    this.#wire = wire;
    this.#config = config;
    this.#guard = guard;
    this.#game = new SoloGame(config.range, config.random);
  }

  receive(chunk: Buffer): void {
    // Past the limit the connection is closing: whatever else the peer sends is not kept.
    if (this.#closed) return;
    this.#parts.push(chunk);
    this.#bytes += chunk.length;
    if (this.#bytes > this.#config.maxLineBytes) {
      this.fail(new ProtocolError('E_LINE_TOO_LONG', `Message too long: the limit is ${this.#config.maxLineBytes} bytes`), 'line-too-long');
      return;
    }
    if (this.#timer === undefined) this.#timer = setTimeout(this.#onQuiet, this.#config.classicQuietMs);
    else this.#timer.refresh();
  }

  readonly #onQuiet = (): void => this.#guard(this.flush);

  /** Judges what has arrived as one message; called on silence, or at once by detection. */
  readonly flush = (): void => {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#bytes === 0) return;
    const text = Buffer.concat(this.#parts, this.#bytes).toString('utf8');
    this.#parts = [];
    this.#bytes = 0;
    const admission = this.#wire.admit();
    if (admission !== 'ok') {
      refuseExcess(this, admission, this.#config.maxMessagesPerSecond);
      return;
    }
    const guess = parseGuess(text);
    if (!guess.ok) {
      this.#wire.send(NOT_INTEGER_BARE);
      return;
    }
    this.#wire.guesses++;
    this.#wire.send(classicReply(this.#results.guess(this.#game, guess.value)));
  };

  fail(error: ProtocolError, close: CloseReason | undefined): void {
    if (close === undefined) {
      this.#wire.send(error.message);
      return;
    }
    this.close();
    this.#wire.sendAndClose(error.message, close);
  }

  /** A guess still waiting for the peer's silence is answered first: nothing sent is lost. */
  shutdown(): void {
    this.flush();
    this.fail(new ProtocolError('E_SHUTTING_DOWN'), 'shutdown');
  }

  close(): void {
    this.#closed = true;
    this.#parts = [];
    this.#bytes = 0;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

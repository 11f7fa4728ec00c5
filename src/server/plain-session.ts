import { SoloGame } from '../core/game.js';
import { parseGuess } from '../core/guess.js';
import type { RoundResult } from '../core/results.js';
import { ProtocolError } from '../protocol/errors.js';
import { LineDecoder } from '../protocol/line-decoder.js';
import { isRangeQuery, NOT_INTEGER_LINE, plainErrorLine, plainReply, rangeLine } from '../protocol/plain.js';
import type { ServerConfig } from './config.js';
import { SoloResults } from './solo-results.js';
import { refuseExcess, type CloseReason, type Session, type Wire } from './wire.js';

/** `42\n` in, `Too small!\n` out: playable with `nc`. */
export class PlainSession implements Session {
  readonly #wire: Wire;
  readonly #game: SoloGame;
  readonly #results: SoloResults;
  readonly #decoder: LineDecoder;
  readonly #rate: number;

  constructor(wire: Wire, config: ServerConfig, record: (result: RoundResult) => void) {
    this.#results = new SoloResults('plain', record);
    this.#wire = wire;
    this.#game = new SoloGame(config.range, config.random);
    this.#decoder = new LineDecoder(config.maxLineBytes);
    this.#rate = config.maxMessagesPerSecond;
  }

  receive(chunk: Buffer): void {
    const error = this.#decoder.push(chunk, this.#onLine);
    if (error !== undefined) this.fail(error, 'line-too-long');
  }

  // An arrow property, made once per session, so the hot path allocates no closure per chunk.
  readonly #onLine = (line: string): void => {
    const admission = this.#wire.admit();
    if (admission !== 'ok') {
      refuseExcess(this, admission, this.#rate);
      return;
    }
    const guess = parseGuess(line);
    if (!guess.ok) {
      this.#wire.send(isRangeQuery(line) ? rangeLine(this.#game.range) : NOT_INTEGER_LINE);
      return;
    }
    this.#wire.guesses++;
    this.#wire.send(plainReply(this.#results.guess(this.#game, guess.value)));
  };

  fail(error: ProtocolError, close: CloseReason | undefined): void {
    if (close === undefined) this.#wire.send(plainErrorLine(error.message));
    else this.#wire.sendAndClose(plainErrorLine(error.message), close);
  }

  /** Every whole line has been answered already; an unfinished one was never a message. */
  shutdown(): void {
    this.fail(new ProtocolError('E_SHUTTING_DOWN'), 'shutdown');
  }

  close(): void {}
}

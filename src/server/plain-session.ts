import { SoloGame } from '../core/game.js';
import { parseGuess } from '../core/guess.js';
import { LineDecoder } from '../protocol/line-decoder.js';
import { NOT_INTEGER_LINE, plainErrorLine, plainReply } from '../protocol/plain.js';
import type { ServerConfig } from './config.js';
import type { Session, Wire } from './wire.js';

/** `42\n` in, `Too small!\n` out: playable with `nc`. */
export class PlainSession implements Session {
  readonly #wire: Wire;
  readonly #game: SoloGame;
  readonly #decoder: LineDecoder;

  constructor(wire: Wire, config: ServerConfig) {
    this.#wire = wire;
    this.#game = new SoloGame(config.range, config.random);
    this.#decoder = new LineDecoder(config.maxLineBytes);
  }

  receive(chunk: Buffer): void {
    const error = this.#decoder.push(chunk, this.#onLine);
    if (error !== undefined) this.#wire.sendAndClose(plainErrorLine(error.message));
  }

  // An arrow property, made once per session, so the hot path allocates no closure per chunk.
  readonly #onLine = (line: string): void => {
    const guess = parseGuess(line);
    if (!guess.ok) {
      this.#wire.send(NOT_INTEGER_LINE);
      return;
    }
    this.#wire.guesses++;
    this.#wire.send(plainReply(this.#game.guess(guess.value)));
  };

  close(): void {}
}

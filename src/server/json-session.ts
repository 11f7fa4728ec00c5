import { ERRORS } from '../protocol/errors.js';
import { LineDecoder } from '../protocol/line-decoder.js';
import type { ServerConfig } from './config.js';
import type { Session, Wire } from './wire.js';

const NOT_READY = Buffer.from(
  `${JSON.stringify({ type: 'error', code: 'E_JSON_NOT_READY', message: ERRORS.E_JSON_NOT_READY })}\n`,
);

/** Reserved for rooms: every line is answered with an error object, and the connection stays open. */
export class JsonSession implements Session {
  readonly #wire: Wire;
  readonly #decoder: LineDecoder;

  constructor(wire: Wire, config: ServerConfig) {
    this.#wire = wire;
    this.#decoder = new LineDecoder(config.maxLineBytes);
  }

  receive(chunk: Buffer): void {
    const error = this.#decoder.push(chunk, () => this.#wire.send(NOT_READY));
    if (error !== undefined) {
      this.#wire.sendAndClose(Buffer.from(`${JSON.stringify({ type: 'error', code: error.code, message: error.message })}\n`));
    }
  }

  close(): void {}
}

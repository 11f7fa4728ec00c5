import type { ProtocolError } from '../protocol/errors.js';
import { LineDecoder } from '../protocol/line-decoder.js';
import { encodeServerMessage, errorMessage } from '../protocol/messages.js';
import type { ServerConfig } from './config.js';
import type { Hub } from './hub.js';
import { JsonPeer, type TextOut } from './json-peer.js';
import { refuseExcess, type CloseReason, type Session, type Wire } from './wire.js';

/** JSON lines over TCP: cuts lines and hands each to a JsonPeer, which answers in lines. */
export class JsonSession implements Session, TextOut {
  readonly #wire: Wire;
  readonly #decoder: LineDecoder;
  readonly #peer: JsonPeer;
  readonly #rate: number;
  #ending: CloseReason = 'done';

  constructor(wire: Wire, config: ServerConfig, hub: Hub) {
    this.#wire = wire;
    this.#decoder = new LineDecoder(config.maxLineBytes);
    this.#peer = new JsonPeer(hub, this);
    this.#rate = config.maxMessagesPerSecond;
  }

  receive(chunk: Buffer): void {
    const error = this.#decoder.push(chunk, this.#onLine);
    if (error !== undefined) this.fail(error, 'line-too-long');
  }

  // Made once per session: no closure per line on the hot path.
  readonly #onLine = (line: string): void => {
    const admission = this.#wire.admit();
    if (admission === 'ok') this.#peer.receive(line);
    else refuseExcess(this, admission, this.#rate);
  };

  send(text: string): void {
    this.#wire.send(`${text}\n`);
  }

  end(): void {
    this.#wire.end(this.#ending);
  }

  hold(): void {
    this.#wire.hold();
  }

  release(): void {
    this.#wire.release();
  }

  fail(error: ProtocolError, close: CloseReason | undefined): void {
    const line = `${encodeServerMessage(errorMessage(error.code, error.message))}\n`;
    if (close === undefined) this.#wire.send(line);
    else this.#wire.sendAndClose(line, close);
  }

  shutdown(): void {
    this.#ending = 'shutdown';
    this.#peer.shutdown();
  }

  close(): void {
    this.#peer.close();
  }
}

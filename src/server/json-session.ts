import { LineDecoder } from '../protocol/line-decoder.js';
import { encodeServerMessage, errorMessage } from '../protocol/messages.js';
import type { ServerConfig } from './config.js';
import type { Hub } from './hub.js';
import { JsonPeer, type TextOut } from './json-peer.js';
import type { Session, Wire } from './wire.js';

/** JSON lines over TCP: cuts lines and hands each to a JsonPeer, which answers in lines. */
export class JsonSession implements Session, TextOut {
  readonly #wire: Wire;
  readonly #decoder: LineDecoder;
  readonly #peer: JsonPeer;

  constructor(wire: Wire, config: ServerConfig, hub: Hub) {
    this.#wire = wire;
    this.#decoder = new LineDecoder(config.maxLineBytes);
    this.#peer = new JsonPeer(hub, this);
  }

  receive(chunk: Buffer): void {
    const error = this.#decoder.push(chunk, this.#onLine);
    if (error !== undefined) {
      this.#wire.sendAndClose(Buffer.from(`${encodeServerMessage(errorMessage(error.code, error.message))}\n`));
    }
  }

  // Made once per session: no closure per line on the hot path.
  readonly #onLine = (line: string): void => this.#peer.receive(line);

  send(text: string): void {
    this.#wire.send(Buffer.from(`${text}\n`));
  }

  end(): void {
    this.#wire.socket.end();
  }

  close(): void {
    this.#peer.close();
  }
}

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
  /** While one read is being answered: the answers so far, to leave in one write. */
  #batch: string | undefined;

  constructor(wire: Wire, config: ServerConfig, hub: Hub) {
    this.#wire = wire;
    this.#decoder = new LineDecoder(config.maxLineBytes);
    this.#peer = new JsonPeer(hub, this);
    this.#rate = config.maxMessagesPerSecond;
  }

  receive(chunk: Buffer): void {
    // The answers to one read leave in one write of one string: a guess that ends a round is
    // answered by three messages, and a client may send many lines at once, yet each read costs
    // one system call, and no Buffer or cork bookkeeping per message (Node encodes the string).
    this.#batch = '';
    let error: ProtocolError | undefined;
    try {
      error = this.#decoder.push(chunk, this.#onLine);
    } finally {
      this.#flush();
    }
    if (error !== undefined) this.fail(error, 'line-too-long');
  }

  // Made once per session: no closure per line on the hot path.
  readonly #onLine = (line: string): void => {
    const admission = this.#wire.admit();
    if (admission === 'ok') this.#peer.receive(line);
    else refuseExcess(this, admission, this.#rate);
  };

  send(text: string): void {
    if (this.#batch === undefined) this.#wire.send(`${text}\n`);
    else this.#batch += `${text}\n`;
  }

  end(): void {
    this.#flush();
    this.#wire.end(this.#ending);
  }

  fail(error: ProtocolError, close: CloseReason | undefined): void {
    const text = encodeServerMessage(errorMessage(error.code, error.message));
    if (close === undefined) this.send(text);
    else {
      this.#flush();
      this.#wire.sendAndClose(`${text}\n`, close);
    }
  }

  /** Sends what the current read has been answered with so far; later answers go out at once. */
  #flush(): void {
    const batch = this.#batch;
    this.#batch = undefined;
    if (batch !== undefined && batch !== '') this.#wire.send(batch);
  }

  shutdown(): void {
    this.#ending = 'shutdown';
    this.#peer.shutdown();
  }

  close(): void {
    this.#peer.close();
  }
}

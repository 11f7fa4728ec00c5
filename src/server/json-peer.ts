import { randomBytes } from 'node:crypto';
import { ERRORS, type ErrorCode } from '../protocol/errors.js';
import {
  PROTOCOL_VERSION,
  decodeClientMessage,
  encodeServerMessage,
  errorMessage,
  type ClientMessage,
  type ServerMessage,
} from '../protocol/messages.js';

/** Where a JSON peer's answers go: a TCP line writer or a WebSocket, the peer cannot tell. */
export interface TextOut {
  send(text: string): void;
  /** Ends the connection after what was sent so far. */
  end(): void;
}

let players = 0;

/**
 * One JSON connection, whatever carries it: text in (`receive`, one message per call), text out
 * (`out.send`). TCP lines and WebSocket frames both feed it, so the two transports cannot drift.
 */
export class JsonPeer {
  readonly #out: TextOut;
  #player: string | undefined;

  constructor(out: TextOut) {
    this.#out = out;
  }

  receive(text: string): void {
    const decoded = decodeClientMessage(text);
    if (!decoded.ok) {
      this.#send(errorMessage(decoded.error.code, decoded.error.message));
      return;
    }
    this.#handle(decoded.message);
  }

  close(): void {
    this.#player = undefined;
  }

  #handle(message: ClientMessage): void {
    switch (message.type) {
      case 'hello': {
        if (this.#player !== undefined) return this.#refuse('E_HELLO_TWICE');
        if (message.v !== undefined && message.v < 1) return this.#refuse('E_VERSION');
        const player = `p${++players}`;
        this.#player = player;
        const name = message.name === undefined || message.name === '' ? `Player ${players}` : message.name;
        this.#send({ type: 'welcome', v: PROTOCOL_VERSION, player, name, token: randomBytes(18).toString('base64url'), resumed: false });
        return;
      }
      default:
        return this.#refuse('E_JSON_NOT_READY');
    }
  }

  #refuse(code: ErrorCode): void {
    this.#send(errorMessage(code, ERRORS[code]));
  }

  #send(message: ServerMessage): void {
    this.#out.send(encodeServerMessage(message));
  }
}

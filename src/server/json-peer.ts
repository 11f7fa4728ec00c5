import type { PlayerId } from '../core/room-events.js';
import { ERRORS, type ErrorCode } from '../protocol/errors.js';
import {
  PROTOCOL_VERSION,
  compactGuess,
  decodeClientMessage,
  encodeServerMessage,
  errorMessage,
  type ClientMessage,
  type ServerMessage,
} from '../protocol/messages.js';
import { shutdownMessage } from '../protocol/shutdown.js';
import type { Hub, HubPeer } from './hub.js';

/** Where a JSON peer's answers go: a TCP line writer or a WebSocket, the peer cannot tell. */
export interface TextOut {
  send(text: string): void;
  /** Ends the connection after what was sent so far. */
  end(): void;
  /**
   * From here until `release`, what is sent is gathered and leaves in one write: the messages a
   * commit lets go to one connection (a win's `result`, `round_end` and `round_start`) cost one
   * system call, not one each.
   */
  hold(): void;
  release(): void;
}

/**
 * One JSON connection, whatever carries it: text in (`receive`, one message per call), text out
 * (`out.send`). TCP lines and WebSocket frames both feed it, so the two transports cannot drift.
 */
export class JsonPeer implements HubPeer {
  readonly #hub: Hub;
  readonly #out: TextOut;
  #player: PlayerId | undefined;
  /** The token this connection's player holds, for the goodbye at shutdown. */
  #token: string | undefined;

  constructor(hub: Hub, out: TextOut) {
    this.#hub = hub;
    this.#out = out;
  }

  receive(text: string): void {
    const player = this.#player;
    // The hot path first: a guess is most of the traffic, and written as clients write it, it is
    // read straight into its number (anything else it may be goes the long way below).
    const guess = player === undefined ? undefined : compactGuess(text);
    if (guess !== undefined && player !== undefined) {
      this.#answer(this.#hub.guess(player, guess));
      return;
    }
    const decoded = decodeClientMessage(text);
    if (!decoded.ok) {
      this.#send(errorMessage(decoded.error.code, decoded.error.message));
      return;
    }
    const message = decoded.message;
    if (player === undefined) this.#greet(message);
    else if (message.type === 'guess') this.#answer(this.#hub.guess(player, message.value));
    else this.#handle(player, message);
  }

  /**
   * The server is going down: the goodbye, with the token for `resume` once there is one, then
   * the end.
   */
  shutdown(): void {
    this.#send(shutdownMessage(this.#token, this.#hub.retryAfterMs));
    this.#hub.post(this.#out, null);
  }

  /** The connection is gone. */
  close(): void {
    const player = this.#player;
    this.#player = undefined;
    if (player !== undefined) this.#hub.disconnect(this, player);
  }

  sendText(text: string): void {
    this.#hub.post(this.#out, text);
  }

  supersede(): void {
    this.#player = undefined;
    // Said, not just done: a client that reconnects by itself must not take the seat straight
    // back (two browser tabs sharing a token would pass it to and fro for ever).
    this.#refuse('E_RESUMED_ELSEWHERE');
    this.#hub.post(this.#out, null);
  }

  #greet(message: ClientMessage): void {
    if (message.type === 'hello') {
      if (message.v !== undefined && message.v < 1) return this.#refuse('E_VERSION');
      const { id, name, token } = this.#hub.hello(this, message.name ?? '');
      this.#player = id;
      this.#token = token;
      this.#send({ type: 'welcome', v: PROTOCOL_VERSION, player: id, name, token, resumed: false });
    } else if (message.type === 'resume') {
      if (message.v !== undefined && message.v < 1) return this.#refuse('E_VERSION');
      const token = message.token;
      // Claimed before the hub hands over the player, so that what the room says next reaches us.
      const resumed = this.#hub.resume(this, token, message.seq);
      if (resumed === undefined) return this.#refuse('E_UNKNOWN_TOKEN');
      this.#player = resumed.player.id;
      this.#token = token;
      this.#send({
        type: 'welcome',
        v: PROTOCOL_VERSION,
        player: resumed.player.id,
        name: resumed.player.name,
        token,
        resumed: true,
        missed: resumed.missed.length,
      });
      for (const text of resumed.missed) this.sendText(text);
      if (resumed.room !== undefined) this.#send(resumed.room);
    } else this.#refuse('E_HELLO_FIRST');
  }

  #handle(player: PlayerId, message: Exclude<ClientMessage, { type: 'guess' }>): void {
    switch (message.type) {
      case 'hello':
      case 'resume':
        return this.#refuse('E_HELLO_TWICE');
      case 'create':
        return this.#answer(
          this.#hub.create(player, { mode: message.mode, min: message.min, max: message.max, bot: message.bot, botDelayMs: message.botDelayMs, maxPlayers: message.maxPlayers, rounds: message.rounds, firstTo: message.firstTo }),
        );
      case 'join':
        return this.#answer(this.#hub.join(player, message.code, message.as ?? 'player'));
      case 'leave': {
        const room = this.#hub.leave(player);
        if (typeof room === 'string') return this.#refuse(room);
        return this.#send({ type: 'left', code: room.code });
      }
      case 'start':
        return this.#answer(this.#hub.start(player));
      case 'pick':
        return this.#answer(this.#hub.pick(player, message.value));
    }
  }

  #answer(refusal: ErrorCode | undefined): void {
    if (refusal !== undefined) this.#refuse(refusal);
  }

  #refuse(code: ErrorCode): void {
    this.#send(errorMessage(code, ERRORS[code]));
  }

  #send(message: ServerMessage): void {
    this.#hub.post(this.#out, encodeServerMessage(message));
  }
}

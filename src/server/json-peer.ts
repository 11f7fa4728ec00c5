import type { PlayerId, RoomEvent } from '../core/room-events.js';
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
import type { Adoption, Forward, RelayTarget } from './relay.js';

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
  /** Set once this connection's player is served by another server of the cluster: its messages go there. */
  #forward: Forward | undefined;
  /** Looked for in the cluster once and found here (taken over meanwhile): not looked for again. */
  #lookedUp = false;

  constructor(hub: Hub, out: TextOut) {
    this.#hub = hub;
    this.#out = out;
  }

  receive(text: string): void {
    this.#hub.stats.messages++;
    if (this.#forward !== undefined) {
      this.#forward.send(text);
      return;
    }
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
    if (player === undefined) this.#greet(message, text);
    else if (message.type === 'guess') this.#answer(this.#hub.guess(player, message.value));
    else this.#handle(player, message, text);
  }

  /** A player handed over by another server of the cluster, whose connection is there (see Relay). */
  adopt(adoption: Adoption): void {
    this.#hub.adopt(this, adoption);
    this.#player = adoption.id;
    this.#token = adoption.token;
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
    this.#forward?.close();
    const player = this.#player;
    this.#player = undefined;
    if (player !== undefined) this.#hub.disconnect(this, player);
  }

  sendText(text: string): void {
    this.#hub.post(this.#out, text);
  }

  sendEvent(event: RoomEvent, seq: number): void {
    this.#hub.postEvent(this.#out, event, seq);
  }

  supersede(): void {
    this.#player = undefined;
    // Said, not just done: a client that reconnects by itself must not take the seat straight
    // back (two browser tabs sharing a token would pass it to and fro for ever).
    this.#refuse('E_RESUMED_ELSEWHERE');
    this.#hub.post(this.#out, null);
  }

  #greet(message: ClientMessage, text: string): void {
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
      if (resumed === undefined) {
        // Served elsewhere, the player still hears its token in this server's goodbye.
        if (this.#elsewhere({ tokenHash: this.#hub.tokenHash(token) }, text, 'E_UNKNOWN_TOKEN')) this.#token = token;
        else this.#refuse('E_UNKNOWN_TOKEN');
        return;
      }
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

  #handle(player: PlayerId, message: Exclude<ClientMessage, { type: 'guess' }>, text: string): void {
    switch (message.type) {
      case 'hello':
      case 'resume':
        return this.#refuse('E_HELLO_TWICE');
      case 'create':
        return this.#answer(
          this.#hub.create(player, { mode: message.mode, min: message.min, max: message.max, bot: message.bot, botDelayMs: message.botDelayMs, maxPlayers: message.maxPlayers, rounds: message.rounds, firstTo: message.firstTo }),
        );
      case 'join': {
        const refusal = this.#hub.join(player, message.code, message.as ?? 'player');
        if (refusal === 'E_UNKNOWN_ROOM' && this.#elsewhere({ room: message.code }, text, refusal)) return;
        return this.#answer(refusal);
      }
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

  /**
   * In a cluster, the room or the token may be another server's: if so, this connection's
   * messages go there from now on, `text` first (with the player, for a `join`); if not, `refusal`
   * is said as it would be without a cluster, and E_CLUSTER_UNAVAILABLE while Redis cannot say.
   * False without a cluster.
   */
  #elsewhere(target: RelayTarget, text: string, refusal: ErrorCode): boolean {
    const relay = this.#hub.relay;
    if (relay === undefined || this.#lookedUp) return false;
    this.#forward = relay.forward(this.#out, target, text, {
      handOver: () => {
        const player = this.#player;
        const token = this.#token;
        const handed = player === undefined || token === undefined ? undefined : this.#hub.handOver(player);
        if (handed === undefined || player === undefined || token === undefined) return undefined;
        this.#player = undefined;
        return { id: player, name: handed.name, token, hash: handed.token, seq: handed.seq };
      },
      miss: (queued, unreachable) => {
        this.#forward = undefined;
        // A token nobody serves is nobody's to hear back.
        if (this.#player === undefined) this.#token = undefined;
        this.#refuse(unreachable ? 'E_CLUSTER_UNAVAILABLE' : refusal);
        for (const line of queued) this.receive(line);
      },
      takeBack: (adoption) => this.adopt(adoption),
      here: (queued) => {
        this.#forward = undefined;
        if (this.#player === undefined) this.#token = undefined;
        this.#lookedUp = true;
        for (const line of [text, ...queued]) this.receive(line);
        this.#lookedUp = false;
      },
    });
    return true;
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

import * as crypto from 'node:crypto';
import { Lobby, type CreateOptions, type LobbyRefusal } from '../core/lobby.js';
import type { PlayerId, PlayerRef, RoomEvent, RoomMessage } from '../core/room-events.js';
import type { Room } from '../core/room.js';
import { encodeServerMessage, errorMessage } from '../protocol/messages.js';
import type { Log, ServerConfig } from './config.js';
import { contain } from './guard.js';

/** What the hub needs of a connected JSON peer. */
export interface HubPeer {
  /** Sends one encoded message. */
  sendText(text: string): void;
  /** Another connection resumed this peer's player: stop speaking for it and close. */
  supersede(): void;
}

interface Alarm {
  at: number;
  timer: NodeJS.Timeout;
}

// A solo room hashes once a round, every twenty guesses or so: the one-shot crypto.hash (Node
// 20.12 and later) costs a fraction of a Hash object's three calls.
const oneShot = (crypto as Partial<typeof crypto>).hash;
export const sha256Hex: (text: string) => string =
  oneShot === undefined ? (text) => crypto.createHash('sha256').update(text).digest('hex') : (text) => oneShot('sha256', text, 'hex');

/**
 * The rooms of one server at the edge: the pure Lobby inside, plus what the core leaves out on
 * purpose: connections, the clock, node:crypto (tokens, hashes), and one timer per room armed
 * for the room's next deadline (never one per message).
 */
export class Hub {
  readonly lobby: Lobby;
  readonly #peers = new Map<PlayerId, HubPeer>();
  readonly #alarms = new Map<Room, Alarm>();
  // A broadcast hands the same event object to each member: it is encoded once.
  #lastEvent: RoomEvent | undefined;
  #lastText = '';
  readonly #maxRooms: number;
  readonly #log: Log;

  constructor(config: ServerConfig) {
    this.#maxRooms = config.maxRooms;
    this.#log = config.log;
    this.lobby = new Lobby({ random: config.random, hash: sha256Hex, rules: config.rooms, range: config.range, send: this.#send });
  }

  hello(peer: HubPeer, name: string): PlayerRef & { token: string } {
    const token = newToken();
    const player = this.lobby.addPlayer(name, token);
    this.#peers.set(player.id, peer);
    return { ...player, token };
  }

  resume(peer: HubPeer, token: string): { player: PlayerRef; missed: RoomEvent[]; room: RoomMessage | undefined } | undefined {
    const resumed = this.lobby.resume(token);
    if (resumed === undefined) return undefined;
    const old = this.#peers.get(resumed.player.id);
    this.#peers.set(resumed.player.id, peer);
    if (old !== undefined && old !== peer) old.supersede();
    this.#arm(this.lobby.roomOf(resumed.player.id));
    return resumed;
  }

  /** A peer's connection closed; ignored if another connection has taken its player over. */
  disconnect(peer: HubPeer, id: PlayerId): void {
    if (this.#peers.get(id) !== peer) return;
    this.#peers.delete(id);
    const room = this.lobby.roomOf(id);
    this.lobby.disconnect(id, Date.now());
    this.#arm(room);
  }

  create(id: PlayerId, options: CreateOptions): LobbyRefusal | 'E_TOO_MANY_ROOMS' | undefined {
    // Each room holds timers and history: their number is bounded (--max-rooms).
    if (this.lobby.rooms.size >= this.#maxRooms) return 'E_TOO_MANY_ROOMS';
    const room = this.lobby.create(id, options, Date.now());
    if (typeof room === 'string') return room;
    this.#arm(room);
    return undefined;
  }

  join(id: PlayerId, code: string, as: 'player' | 'spectator'): LobbyRefusal | undefined {
    const refusal = this.lobby.join(id, code, as, Date.now());
    this.#arm(this.lobby.roomOf(id));
    return refusal;
  }

  leave(id: PlayerId): LobbyRefusal | Room {
    const room = this.lobby.leave(id, Date.now());
    if (typeof room !== 'string') this.#arm(room);
    return room;
  }

  start(id: PlayerId): LobbyRefusal | undefined {
    const refusal = this.lobby.start(id, Date.now());
    this.#arm(this.lobby.roomOf(id));
    return refusal;
  }

  pick(id: PlayerId, value: number): LobbyRefusal | undefined {
    const refusal = this.lobby.pick(id, value, Date.now());
    this.#arm(this.lobby.roomOf(id));
    return refusal;
  }

  /** The hot path. A guess never brings a room's deadline forward, so no timer is touched here. */
  guess(id: PlayerId, value: number): LobbyRefusal | undefined {
    return this.lobby.guess(id, value, Date.now());
  }

  /** Stops every room timer (the server is closing). */
  close(): void {
    for (const alarm of this.#alarms.values()) clearTimeout(alarm.timer);
    this.#alarms.clear();
  }

  #arm(room: Room | undefined): void {
    if (room === undefined) return;
    const at = room.deadline();
    const alarm = this.#alarms.get(room);
    if (alarm !== undefined && alarm.at === at) return;
    if (alarm !== undefined) clearTimeout(alarm.timer);
    if (at === undefined || this.lobby.rooms.get(room.code) !== room) {
      this.#alarms.delete(room);
      return;
    }
    const timer = setTimeout(() => this.#ring(room), Math.max(0, at - Date.now()));
    timer.unref();
    this.#alarms.set(room, { at, timer });
  }

  /**
   * A room's timer (a pick timeout, a bot's move, a seat hold or an empty room expiring) is an
   * entry point of its own, run by no peer: a bug met there closes that room, and its members
   * go on, connected, free to create or join another.
   */
  #ring(room: Room): void {
    this.#alarms.delete(room);
    try {
      this.lobby.advance(room, Date.now());
      this.#arm(room);
    } catch (error) {
      contain(this.#log, { room: room.code }, error, () => this.#closeAfterFault(room), () => this.#disarm(room));
    }
  }

  /** Each member still connected hears why in an `error`; then the room closes as any room does. */
  #closeAfterFault(room: Room): void {
    this.#disarm(room);
    const text = encodeServerMessage(errorMessage('E_INTERNAL', `The server met an internal error and closed room ${room.code}; create or join another`));
    for (const id of this.lobby.membersOf(room)) this.#peers.get(id)?.sendText(text);
    this.lobby.close(room);
  }

  #disarm(room: Room): void {
    clearTimeout(this.#alarms.get(room)?.timer);
    this.#alarms.delete(room);
  }

  readonly #send = (to: PlayerId, event: RoomEvent): void => {
    const peer = this.#peers.get(to);
    if (peer === undefined) return;
    if (event !== this.#lastEvent) {
      this.#lastEvent = event;
      this.#lastText = encodeServerMessage(event);
    }
    peer.sendText(this.#lastText);
  };
}

/** 144 random bits: a token is as good as a password for its seat. */
function newToken(): string {
  return crypto.randomBytes(18).toString('base64url');
}

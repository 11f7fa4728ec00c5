import * as crypto from 'node:crypto';
import { Lobby, MAX_MISSED, type CreateOptions, type LobbyRefusal } from '../core/lobby.js';
import type { PlayerId, PlayerRef, RoomEvent, RoomMessage } from '../core/room-events.js';
import type { LobbyRoomRecord } from '../core/room-record.js';
import type { Room } from '../core/room.js';
import { encodeServerMessage, errorMessage } from '../protocol/messages.js';
import type { Log, ServerConfig } from './config.js';
import { contain } from './guard.js';
import type { TextOut } from './json-peer.js';
import { MemoryStore } from './memory-store.js';
import type { Store } from './store.js';

/** What the hub needs of a connected JSON peer. */
export interface HubPeer {
  /** Sends one encoded message. */
  sendText(text: string): void;
  /** Another connection resumed this peer's player: stop speaking for it and close. */
  supersede(): void;
}

/** A kept room that cannot be read back: the file was written by something else, or damaged. */
export class RestoreError extends Error {
  readonly code = 'E_DB_CORRUPT';
}

// A player's kept events are trimmed to the last MAX_MISSED once they pass it by this many: one
// delete now and then, not one per event.
const PRUNE_EVERY = 256;

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
 * purpose: connections, the clock, node:crypto (tokens, hashes), the store, and one timer per
 * room armed for the room's next deadline (never one per message).
 *
 * Acknowledged means durable. The first change in an event-loop turn opens the store's
 * transaction; every reply and event for a JSON peer from then on is held; at the end of the
 * turn (setImmediate) the changed rooms are written and the transaction commits, one commit per
 * turn however many guesses it carried (group commit). The held messages go to their
 * connections once the store says the commit is on disk: that fsync runs off the event loop,
 * which meanwhile serves the next turns, and one fsync covers every commit made before it.
 */
export class Hub {
  readonly lobby: Lobby;
  /**
   * For the operator (`/healthz`): the turns' commits and the time the event loop spent in them;
   * the syncs that put them on disk and their time, during which replies wait but play goes on.
   */
  readonly stats = { commits: 0, commitNanos: 0, syncs: 0, syncNanos: 0 };
  readonly #store: Store;
  readonly #peers = new Map<PlayerId, HubPeer>();
  readonly #alarms = new Map<Room, Alarm>();
  // A broadcast hands the same event object to each member: it is encoded once.
  #lastEvent: RoomEvent | undefined;
  #lastText = '';
  readonly #maxRooms: number;
  readonly #log: Log;
  readonly #retryAfterMs: number;
  /** A transaction is open for this turn: messages wait for its commit. */
  #open = false;
  /** The server is stopping: what happens now is not kept (the next process starts from the last commit). */
  #frozen = false;
  readonly #dirty = new Set<Room>();
  /** Commits made, and how many of them are known to be on disk. */
  #committed = 0;
  #durable = 0;
  #syncing = false;
  /**
   * Held messages, in order, three entries each: a connection's output, the text (null: end the
   * connection), and the number of the commit that must be on disk first.
   */
  #held: (TextOut | string | null | number)[] = [];
  #savedCounters = '';

  constructor(config: ServerConfig) {
    this.#maxRooms = config.maxRooms;
    this.#log = config.log;
    this.#retryAfterMs = config.retryAfterMs;
    this.#store = config.store ?? new MemoryStore();
    this.lobby = new Lobby({
      random: config.random,
      hash: sha256Hex,
      rules: config.rooms,
      range: config.range,
      send: this.#send,
      forget: this.#forget,
    });
    this.#restore();
  }

  /** What the `shutdown` goodbye tells a client to wait before it reconnects. */
  get retryAfterMs(): number {
    return this.#retryAfterMs;
  }

  hello(peer: HubPeer, name: string): PlayerRef & { token: string } {
    const token = newToken();
    const player = this.lobby.addPlayer(name, sha256Hex(token));
    this.#peers.set(player.id, peer);
    return { ...player, token };
  }

  /**
   * Gives the token's player to `peer`, with the texts of the events to replay (after `seen`,
   * the last one the client saw, or after the last one its old connection was handed).
   */
  resume(peer: HubPeer, token: string, seen?: number): { player: PlayerRef; missed: string[]; room: RoomMessage | undefined } | undefined {
    const resumed = this.lobby.resume(sha256Hex(token), seen);
    if (resumed === undefined) return undefined;
    const old = this.#peers.get(resumed.player.id);
    this.#peers.set(resumed.player.id, peer);
    if (old !== undefined && old !== peer) old.supersede();
    const room = this.lobby.roomOf(resumed.player.id);
    this.#touch(room);
    this.#arm(room);
    // The last MAX_MISSED at most, whatever the store still holds.
    const from = Math.max(resumed.after, resumed.seq - MAX_MISSED);
    const missed = from < resumed.seq ? this.#store.eventsAfter(resumed.player.id, from) : [];
    return { player: resumed.player, missed, room: resumed.room };
  }

  /** A peer's connection closed; ignored if another connection has taken its player over. */
  disconnect(peer: HubPeer, id: PlayerId): void {
    if (this.#peers.get(id) !== peer) return;
    this.#peers.delete(id);
    const room = this.lobby.roomOf(id);
    this.lobby.disconnect(id, Date.now());
    this.#touch(room);
    this.#arm(room);
  }

  create(id: PlayerId, options: CreateOptions): LobbyRefusal | 'E_TOO_MANY_ROOMS' | undefined {
    // Each room holds timers and history: their number is bounded (--max-rooms).
    if (this.lobby.rooms.size >= this.#maxRooms) return 'E_TOO_MANY_ROOMS';
    const room = this.lobby.create(id, options, Date.now());
    if (typeof room === 'string') return room;
    this.#touch(room);
    this.#arm(room);
    return undefined;
  }

  join(id: PlayerId, code: string, as: 'player' | 'spectator'): LobbyRefusal | undefined {
    const refusal = this.lobby.join(id, code, as, Date.now());
    if (refusal === undefined) this.#touch(this.lobby.roomOf(id));
    this.#arm(this.lobby.roomOf(id));
    return refusal;
  }

  leave(id: PlayerId): LobbyRefusal | Room {
    const room = this.lobby.leave(id, Date.now());
    if (typeof room !== 'string') {
      this.#touch(room);
      this.#arm(room);
    }
    return room;
  }

  start(id: PlayerId): LobbyRefusal | undefined {
    const refusal = this.lobby.start(id, Date.now());
    if (refusal === undefined) this.#touch(this.lobby.roomOf(id));
    this.#arm(this.lobby.roomOf(id));
    return refusal;
  }

  pick(id: PlayerId, value: number): LobbyRefusal | undefined {
    const refusal = this.lobby.pick(id, value, Date.now());
    if (refusal === undefined) this.#touch(this.lobby.roomOf(id));
    this.#arm(this.lobby.roomOf(id));
    return refusal;
  }

  /** The hot path. A guess never brings a room's deadline forward, so no timer is touched here. */
  guess(id: PlayerId, value: number): LobbyRefusal | undefined {
    const refusal = this.lobby.guess(id, value, Date.now());
    if (refusal === undefined) this.#touch(this.lobby.roomOf(id));
    return refusal;
  }

  /**
   * Sends `text` on `out`, or holds it until the changes before it are on disk. Every JSON
   * message goes through here, replies and events alike, so a connection's order is kept.
   * `null` ends the connection (after what was sent before it).
   */
  post(out: TextOut, text: string | null): void {
    // Even a message that changed nothing waits for the commits before it: it must not overtake
    // their replies on its connection.
    const after = this.#open ? this.#committed + 1 : this.#committed;
    if (after > this.#durable) this.#held.push(out, text, after);
    else deliver(out, text);
  }

  /**
   * The server is stopping: commits what this turn changed and releases its messages (the
   * goodbyes among them); from now on nothing is kept, so a restarted server finds the rooms as
   * they were, every seat and spectator in place, not as the closing connections leave them.
   */
  freeze(): void {
    if (this.#frozen) return;
    this.#flush();
    this.#store.syncNow();
    this.#durable = this.#committed;
    this.#frozen = true;
    this.#release();
  }

  /** Stops every room timer (the server is closing). */
  close(): void {
    this.freeze();
    for (const alarm of this.#alarms.values()) clearTimeout(alarm.timer);
    this.#alarms.clear();
  }

  /** Brings back the rooms the store kept (a restart): every member may resume its seat. */
  #restore(): void {
    const world = this.#store.load();
    const records: { record: LobbyRoomRecord; savedAt: number }[] = [];
    for (const row of world.rooms) {
      try {
        records.push({ record: JSON.parse(row.record) as LobbyRoomRecord, savedAt: row.savedAt });
      } catch {
        throw new RestoreError(`room ${row.code} in ${this.#store.location} cannot be read back`);
      }
    }
    const counters = parseCounters(world.meta.get('counters'));
    this.lobby.restore(records, counters, Date.now(), this.#retryAfterMs);
    this.#savedCounters = JSON.stringify(this.lobby.counters);
    this.#store.begin();
    this.#store.retainEvents(records.flatMap((r) => r.record.members.map((m) => m.id)));
    this.#store.commit();
    for (const room of this.lobby.rooms.values()) this.#arm(room);
    if (records.length > 0) this.#log.info({ rooms: records.length, store: this.#store.location }, `Restored ${records.length} room${records.length === 1 ? '' : 's'}`);
  }

  /** Something in `room` changed this turn: it is written before anything about it is sent. */
  #touch(room: Room | undefined): void {
    if (room === undefined || this.#frozen) return;
    this.#dirty.add(room);
    this.#begin();
  }

  #begin(): void {
    if (this.#open) return;
    this.#open = true;
    this.#store.begin();
    setImmediate(this.#flush);
  }

  /** The end of a turn: write what changed, commit, then let the held messages go. */
  readonly #flush = (): void => {
    if (!this.#open) return;
    const now = Date.now();
    for (const room of this.#dirty) {
      const live = this.lobby.rooms.get(room.code);
      if (live === room) this.#store.putRoom(room.code, JSON.stringify(this.lobby.save(room)), now);
      // A room closed this turn, unless a new one took its code in the same turn.
      else if (live === undefined) this.#store.deleteRoom(room.code);
    }
    this.#dirty.clear();
    const counters = JSON.stringify(this.lobby.counters);
    if (counters !== this.#savedCounters) {
      this.#store.setMeta('counters', counters);
      this.#savedCounters = counters;
    }
    const started = process.hrtime.bigint();
    try {
      this.#store.commit();
    } catch (error) {
      // Nothing of this turn may be acknowledged, and the rooms in memory are now ahead of the
      // store: stop, so that the next start goes on from the last commit.
      this.#log.error({ err: error, store: this.#store.location }, `The store could not commit (${(error as Error).message}); stopping`);
      process.exit(1);
    }
    this.stats.commits++;
    this.stats.commitNanos += Number(process.hrtime.bigint() - started);
    this.#committed++;
    this.#open = false;
    this.#sync();
  };

  /**
   * Puts every commit so far on disk, unless a sync is running: its end starts the next, which
   * covers every commit made meanwhile. (Two at once measured no better on this disk.)
   */
  #sync(): void {
    if (this.#syncing || this.#durable === this.#committed) return;
    const target = this.#committed;
    const started = process.hrtime.bigint();
    this.#syncing = true;
    this.#store.sync((error) => {
      this.#syncing = false;
      // Stopping: freeze() has synced and released everything itself.
      if (this.#frozen) return;
      if (error !== undefined) {
        this.#log.error({ err: error, store: this.#store.location }, `The store could not write to disk (${error.message}); stopping`);
        process.exit(1);
      }
      this.stats.syncs++;
      this.stats.syncNanos += Number(process.hrtime.bigint() - started);
      this.#durable = target;
      this.#release();
      this.#sync();
    });
  }

  /** Hands over the held messages whose commit is on disk, in order. */
  #release(): void {
    const held = this.#held;
    let i = 0;
    for (; i < held.length && (held[i + 2] as number) <= this.#durable; i += 3) deliver(held[i] as TextOut, held[i + 1] as string | null);
    this.#held = i === held.length ? [] : held.slice(i);
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
    this.#touch(room);
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
    this.#touch(room);
    this.lobby.close(room);
  }

  #disarm(room: Room): void {
    clearTimeout(this.#alarms.get(room)?.timer);
    this.#alarms.delete(room);
  }

  /**
   * Every event to a player, numbered (`seq`, so that a client that resumes says what it saw)
   * and kept in the store for `resume`, then sent if the player is connected.
   */
  readonly #send = (to: PlayerId, event: RoomEvent, seq: number, live: boolean): void => {
    if (event !== this.#lastEvent) {
      this.#lastEvent = event;
      this.#lastText = encodeServerMessage(event).slice(0, -1);
    }
    const text = `${this.#lastText},"seq":${seq}}`;
    if (!this.#frozen) {
      this.#begin();
      this.#store.appendEvent(to, seq, text);
      if (seq % PRUNE_EVERY === 0 && seq > MAX_MISSED) this.#store.pruneEvents(to, seq - MAX_MISSED);
    }
    if (live) this.#peers.get(to)?.sendText(text);
  };

  readonly #forget = (id: PlayerId): void => {
    if (this.#frozen) return;
    this.#begin();
    this.#store.forgetPlayer(id);
  };
}

function deliver(out: TextOut, text: string | null): void {
  if (text === null) out.end();
  else out.send(text);
}

function parseCounters(text: string | undefined): { players: number; bots: number } {
  try {
    const parsed = JSON.parse(text ?? '{}') as { players?: unknown; bots?: unknown };
    return { players: Number(parsed.players) || 0, bots: Number(parsed.bots) || 0 };
  } catch {
    return { players: 0, bots: 0 };
  }
}

/** 144 random bits: a token is as good as a password for its seat. */
function newToken(): string {
  return crypto.randomBytes(18).toString('base64url');
}

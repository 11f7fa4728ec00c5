import * as crypto from 'node:crypto';
import { Lobby, MAX_MISSED, type CreateOptions, type LobbyRefusal } from '../core/lobby.js';
import type { PlayerId, PlayerRef, RoomEvent, RoomMessage } from '../core/room-events.js';
import type { LobbyRoomRecord } from '../core/room-record.js';
import type { Room } from '../core/room.js';
import type { RoundResult } from '../core/results.js';
import { packEvents, unpackEvents } from '../protocol/kept-events.js';
import { encodeNumbered, encodeServerMessage, errorMessage } from '../protocol/messages.js';
import type { Log, ServerConfig } from './config.js';
import { contain } from './guard.js';
import { HandlingClock } from './handling-clock.js';
import type { TextOut } from './json-peer.js';
import { MemoryStore } from './memory-store.js';
import { PendingEvents } from './pending-events.js';
import type { RoomRegistry } from './registry.js';
import { Relay, type Adoption } from './relay.js';
import type { SharedResults } from './shared-results.js';
import { isShared, type Store, type TakenWorld } from './store.js';
import { Takeover } from './takeover.js';

/** What the hub needs of a connected JSON peer. */
export interface HubPeer {
  /** Sends one encoded message. */
  sendText(text: string): void;
  /** Sends a room's event, numbered `seq` (encoded once it is to leave: see Hub.postEvent). */
  sendEvent(event: RoomEvent, seq: number): void;
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

// A room whose guesses are only in the journal has its record rewritten foldAfterMs after the
// first of them, a few hundred rooms a turn at most: the journal a restart replays stays short,
// and no turn stalls on thousands of records at once.
const FOLD_PER_TURN = 256;

// Node's thread pool has four threads, and a sync holds one while it runs: one is left for the
// rest (DNS lookups, crypto, file reads).
const MAX_SYNCS = 3;

// Finished rounds are written with the next transaction, or after this long: a turn of guesses
// alone stays one append to the side journal even when it ends rounds, and a server busy with
// plain games alone commits about once a second for them, not once a turn.
const RESULTS_MS = 1000;

// The meta key of the last journal row whose rounds' results are written (see Hub.record).
const RESULTS_THROUGH = 'results-through';

// With `fsync: 'second'`, the log is flushed this long after the first commit it lacks.
const SYNC_EVERY_MS = 1000;

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
 * turn (setImmediate) what changed is written and the transaction commits, one commit per turn
 * however many guesses it carried (group commit). The held messages then go to their
 * connections: the commit is in the operating system's hands, which a killed server cannot take
 * back. The log reaches the disk within a second (fsync 'second'), or, with fsync 'commit', the
 * held messages wait for that too: the fsync runs off the event loop, which meanwhile serves the
 * next turns, and one fsync covers every commit made before it.
 *
 * What a turn writes is kept small, since the commit writes it on the event loop. A guess
 * changes its room in a way the rules redo exactly, given the time of a win and the numbers it
 * drew (a won round draws the next one's secret and salt): it is one line of the turn's journal
 * row, and its events wait in memory, for the journal would make them again. Anything else
 * rewrites its room's record. A room that only had guesses gets its record rewritten
 * foldAfterMs later (three seconds by default; by a timer of its own if nothing else happens by
 * then), and the journal rows every record holds are dropped. The events waiting for a
 * rewritten room's members are written with it: the last MAX_MISSED at most (no more can be
 * replayed), in a short form (src/protocol/kept-events.ts: a `result` in a fifth of its
 * length). At start the journal is replayed on the records.
 */
export class Hub {
  readonly lobby: Lobby;
  /**
   * For the operator (`/healthz`, `/metrics`): the turns' commits and the time spent in them; the
   * syncs that put them on disk and their time, during which play goes on; the resumes; the JSON
   * guesses accepted (a plain or classic connection counts its own on its wire).
   */
  readonly stats = { commits: 0, commitNanos: 0, syncs: 0, syncNanos: 0, resumes: 0, guesses: 0, messages: 0, handlingSeconds: 0 };
  /** Times the reads of every connection, TCP and WebSocket, into `stats.handlingSeconds`. */
  readonly handling = new HandlingClock(this.stats);
  /** This server's own finished rounds, as its store keeps them (in a cluster the routes read SharedResults). */
  readonly results: Pick<Store, 'leaderboard' | 'results'>;
  /** In a cluster: what carries a player's messages to the server that holds its room (see Relay). */
  relay: Relay | undefined;
  /** In a cluster whose store is shared: takes over the rooms of servers that died. */
  takeover: Takeover | undefined;
  readonly #store: Store;
  readonly #peers = new Map<PlayerId, HubPeer>();
  readonly #alarms = new Map<Room, Alarm>();
  // A broadcast hands the same event object to each member: it is encoded once.
  #lastEvent: RoomEvent | undefined;
  #lastText = '';
  readonly #maxRooms: number;
  readonly #log: Log;
  readonly #retryAfterMs: number;
  readonly #foldAfterMs: number;
  /** A transaction is open for this turn: messages wait for its commit. */
  #open = false;
  /** The server is stopping: what happens now is not kept (the next process starts from the last commit). */
  #frozen = false;
  readonly #dirty = new Set<Room>();
  /** This turn's journal entries (`CODE PLAYER VALUE`), and the rooms they are in. */
  #journal: string[] = [];
  readonly #journaledNow = new Set<Room>();
  /**
   * Rooms whose record lacks guesses the journal has, oldest first: the id of the journal row of
   * the first one and when it was written.
   */
  readonly #journaled = new Map<Room, { id: number; at: number }>();
  readonly #registry: RoomRegistry | undefined;
  readonly #shared: SharedResults | undefined;
  #foldTimer: NodeJS.Timeout | undefined;
  #lastJournal = 0;
  /** The journal rows up to this one are dropped. */
  #droppedJournal = 0;
  readonly #pending = new Map<PlayerId, PendingEvents>();
  /** Players whose pending events include one that no journal entry makes again: written this turn. */
  readonly #mustWrite = new Set<PlayerId>();
  /** A guess is running in this room: its events may wait (see PendingEvents.room). */
  #guessing: Room | undefined;
  /** The outcome of the running guess, as the guesser's `result` said it. */
  #outcome: string | undefined;
  /** The numbers the running guess drew (a won round draws the next one's secret and salt). */
  readonly #draws: number[] = [];
  /** A journal entry being replayed: the numbers its guess drew then, drawn again in order. */
  #redraws: number[] | undefined;
  #redrawn = 0;
  /**
   * While the journal is replayed, whether the entry being replayed keeps the rounds it ends (its
   * row is past the results mark: see record); undefined when no replay is under way.
   */
  #replayKeeps: boolean | undefined;
  /** The last journal row whose rounds' results are written, as the store's meta says. */
  #resultsThrough = 0;
  /**
   * Commits asked of the store, those it has reported done (in order; a store may commit off the
   * event loop), and the last one whose messages may go (with fsync 'commit': known to be on disk).
   */
  #issued = 0;
  #committed = 0;
  #durable = 0;
  /** Finished rounds not yet written: they go with the next transaction, within RESULTS_MS. */
  #results: RoundResult[] = [];
  #resultsTimer: NodeJS.Timeout | undefined;
  /** The waiting results go with this turn's commit, a transaction or not. */
  #resultsDue = false;
  /** Syncs running, and the last commit the latest of them covers. */
  #syncing = 0;
  #syncTarget = 0;
  /** Replies wait for the disk (fsync 'commit'), not only for the commit. */
  readonly #syncEachCommit: boolean;
  /** The flush to come (fsync 'second'). */
  #syncTimer: NodeJS.Timeout | undefined;
  /**
   * Held messages, in order, four entries each: a connection's output, the text (null: end the
   * connection) or a room's event, the number of the commit that must be on disk first, and the
   * event's number.
   */
  #held: (TextOut | RoomEvent | string | null | number)[] = [];
  /** Calls to make once a commit is durable (see afterHeld), two entries each: its number, the call. */
  #afterHeld: (number | (() => void))[] = [];
  #savedCounters = '';

  constructor(config: ServerConfig) {
    this.#maxRooms = config.maxRooms;
    this.#log = config.log;
    this.#retryAfterMs = config.retryAfterMs;
    this.#foldAfterMs = config.foldAfterMs;
    this.#syncEachCommit = config.fsync === 'commit';
    this.#store = config.store ?? new MemoryStore();
    this.#registry = config.registry;
    this.#shared = config.sharedResults;
    // Read here, a round that has ended is on the board at once: the results waiting are written first.
    this.results = {
      leaderboard: (query, since) => {
        this.#writeResultsNow();
        return this.#store.leaderboard(query, since);
      },
      results: (filter) => {
        this.#writeResultsNow();
        return this.#store.results(filter);
      },
    };
    const draw = config.random;
    this.lobby = new Lobby({
      random: (min, max) => this.#random(draw, min, max),
      hash: sha256Hex,
      rules: config.rooms,
      range: config.range,
      send: this.#send,
      forget: this.#forget,
      record: this.record,
    });
    const meta = this.#restore();
    this.#joinCluster(meta.get('cluster-id'));
  }

  /**
   * In a cluster, this server is known by an id kept in its store: restarted on the same file it
   * is the same server, and takes its rooms' codes back.
   */
  #joinCluster(kept: string | undefined): void {
    if (this.#registry === undefined) return;
    let id = kept;
    if (id === undefined) {
      id = crypto.randomBytes(9).toString('base64url');
      this.#begin();
      this.#store.setMeta('cluster-id', id);
    }
    // Players move between the servers of a cluster: their ids name the server that made them.
    this.lobby.idSuffix = `.${id}`;
    if (isShared(this.#store)) this.takeover = new Takeover(this, this.#store, this.#registry);
    this.relay = new Relay(this, this.#registry, id);
    this.#registry.start(id, [...this.lobby.rooms.keys()]);
  }

  /** What a token is kept as (and looked up by, across a cluster). */
  tokenHash(token: string): string {
    return sha256Hex(token);
  }

  /** A player handed over by another server of the cluster (see Lobby.adoptPlayer), now `peer`'s. */
  adopt(peer: HubPeer, adoption: Adoption): void {
    this.lobby.adoptPlayer(adoption.id, adoption.name, adoption.hash, adoption.seq);
    this.#peers.set(adoption.id, peer);
    this.#registry?.claimToken(adoption.hash);
  }

  /** Lets a player in no room go to another server of the cluster (see Lobby.handOver). */
  handOver(id: PlayerId): { name: string; token: string; seq: number } | undefined {
    const handed = this.lobby.handOver(id);
    if (handed !== undefined) this.#peers.delete(id);
    return handed;
  }

  /** What the `shutdown` goodbye tells a client to wait before it reconnects. */
  get retryAfterMs(): number {
    return this.#retryAfterMs;
  }

  hello(peer: HubPeer, name: string): PlayerRef & { token: string } {
    const token = newToken();
    const hash = sha256Hex(token);
    const player = this.lobby.addPlayer(name, hash);
    this.#peers.set(player.id, peer);
    this.#registry?.claimToken(hash);
    return { ...player, token };
  }

  /**
   * Gives the token's player to `peer`, with the texts of the events to replay (after `seen`,
   * the last one the client saw, or after the last one its old connection was handed).
   */
  resume(peer: HubPeer, token: string, seen?: number): { player: PlayerRef; missed: string[]; room: RoomMessage | undefined } | undefined {
    const resumed = this.lobby.resume(sha256Hex(token), seen);
    if (resumed === undefined) return undefined;
    this.stats.resumes++;
    const old = this.#peers.get(resumed.player.id);
    this.#peers.set(resumed.player.id, peer);
    if (old !== undefined && old !== peer) old.supersede();
    const room = this.lobby.roomOf(resumed.player.id);
    this.#touch(room);
    this.#arm(room);
    // The last MAX_MISSED at most, whatever the store still holds.
    const from = Math.max(resumed.after, resumed.seq - MAX_MISSED);
    const missed = from < resumed.seq ? this.eventsAfter(resumed.player.id, from) : [];
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

  create(id: PlayerId, options: CreateOptions): LobbyRefusal | 'E_TOO_MANY_ROOMS' | 'E_CLUSTER_UNAVAILABLE' | undefined {
    // Each room holds timers and history: their number is bounded (--max-rooms).
    if (this.lobby.rooms.size >= this.#maxRooms) return 'E_TOO_MANY_ROOMS';
    // In a cluster, a code no other server holds; none while Redis is out of reach.
    const code = this.#registry?.takeCode();
    if (this.#registry !== undefined && code === undefined) return 'E_CLUSTER_UNAVAILABLE';
    const room = this.lobby.create(id, options, Date.now(), code);
    if (typeof room === 'string') {
      if (code !== undefined) this.#registry?.releaseCode(code);
      return room;
    }
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

  /**
   * The hot path. A guess never brings a room's deadline forward, so no timer is touched here;
   * it is a line of the journal (see the class comment): `CODE PLAYER VALUE`, and when it won or
   * drew, the time and the numbers drawn, which its replay uses again.
   */
  guess(id: PlayerId, value: number): LobbyRefusal | undefined {
    const room = this.lobby.roomOf(id);
    const now = Date.now();
    const draws = this.#draws;
    draws.length = 0;
    const refusal = this.#judge(room, id, value, now);
    if (refusal !== undefined || room === undefined || this.#frozen) return refusal;
    this.stats.guesses++;
    // A guesser without a `result`: nothing here says what the rules did, so the room is rewritten.
    if (this.#outcome === undefined) this.#touch(room);
    else {
      this.#begin();
      this.#journal.push(this.#outcome === 'win' || draws.length > 0 ? `${room.code} ${id} ${value} ${now} ${draws.join(',')}` : `${room.code} ${id} ${value}`);
      if (!this.#journaled.has(room)) this.#journaledNow.add(room);
    }
    return undefined;
  }

  /** The rooms' randomness: recorded while a guess runs, given back while its entry is replayed. */
  #random(draw: (min: number, max: number) => number, min: number, max: number): number {
    const redraws = this.#redraws;
    if (redraws === undefined) {
      const value = draw(min, max);
      if (this.#guessing !== undefined) this.#draws.push(value);
      return value;
    }
    const value = redraws[this.#redrawn++];
    if (value === undefined || !(value >= min && value <= max)) throw new RestoreError(`the journal in ${this.#store.location} holds no draw in ${min}..${max} here`);
    return value;
  }

  /** The guess, its events marked as the journal's to make again. */
  #judge(room: Room | undefined, id: PlayerId, value: number, now: number): LobbyRefusal | undefined {
    this.#guessing = room;
    this.#outcome = undefined;
    try {
      // The room is the player's (roomOf): asking the lobby would look the player up again.
      return room === undefined ? 'E_NOT_IN_ROOM' : room.guess(id, value, now);
    } finally {
      this.#guessing = undefined;
    }
  }

  /**
   * Sends `text` on `out`, or holds it until the changes before it are on disk. Every JSON
   * message goes through here, replies and events alike, so a connection's order is kept.
   * `null` ends the connection (after what was sent before it).
   */
  post(out: TextOut, text: string | null): void {
    this.#post(out, text, 0);
  }

  /**
   * As `post`, for a room's event numbered `seq`. Held, it waits as the event itself and is
   * encoded as it leaves: a turn's replies wait for its commit, and a text made at once would
   * be copied by every young collection meanwhile (a `result`'s text is a chain of pieces until
   * written), where the event is one small object.
   */
  postEvent(out: TextOut, event: RoomEvent, seq: number): void {
    this.#post(out, event, seq);
  }

  /**
   * Calls `go` once every message held so far has left (see ReadShare): a connection that read
   * its share reads on only then, so the replies it is owed stay bounded however long the store
   * takes to make them durable.
   */
  afterHeld(go: () => void): void {
    const after = this.#lastCommit;
    if (after > this.#durable) this.#afterHeld.push(after, go);
    else go();
  }

  /** The number of the last commit asked for, or of this turn's, still to come, if it changed something. */
  get #lastCommit(): number {
    return this.#open ? this.#issued + 1 : this.#issued;
  }

  #post(out: TextOut, message: RoomEvent | string | null, seq: number): void {
    // Even a message that changed nothing waits for the commits before it: it must not overtake
    // their replies on its connection.
    const after = this.#lastCommit;
    if (after > this.#durable) this.#held.push(out, message, after, seq);
    else deliver(out, message, seq);
  }

  /**
   * The server is stopping: commits what this turn changed and releases its messages (the
   * goodbyes among them); from now on nothing is kept, so a restarted server finds the rooms as
   * they were, every seat and spectator in place, not as the closing connections leave them.
   */
  freeze(): void {
    if (this.#frozen) return;
    this.takeover?.close();
    if (this.#results.length > 0) {
      this.#resultsDue = true;
      this.#begin();
    }
    clearTimeout(this.#resultsTimer);
    this.#flush();
    clearTimeout(this.#syncTimer);
    this.#syncTimer = undefined;
    clearTimeout(this.#foldTimer);
    this.#foldTimer = undefined;
    this.#store.syncNow();
    this.#committed = this.#durable = this.#syncTarget = this.#issued;
    this.#frozen = true;
    this.#release();
  }

  /** Stops every room timer (the server is closing). */
  close(): void {
    this.freeze();
    for (const alarm of this.#alarms.values()) clearTimeout(alarm.timer);
    this.#alarms.clear();
  }

  /**
   * Brings back the rooms the store kept (a restart): every member may resume its seat. The
   * journal's guesses are made again on the records that lack them; those records are rewritten
   * within foldAfterMs, as if the guesses had just been made.
   */
  #restore(): ReadonlyMap<string, string> {
    const world = this.#store.load();
    const records: { record: LobbyRoomRecord; savedAt: number }[] = [];
    const applied = new Map<string, number>();
    for (const row of world.rooms) {
      try {
        records.push({ record: JSON.parse(row.record) as LobbyRoomRecord, savedAt: row.savedAt });
      } catch {
        throw new RestoreError(`room ${row.code} in ${this.#store.location} cannot be read back`);
      }
      applied.set(row.code, row.applied);
    }
    const counters = parseCounters(world.meta.get('counters'));
    const now = Date.now();
    this.lobby.restore(records, counters, now, this.#retryAfterMs);
    this.#savedCounters = JSON.stringify(this.lobby.counters);
    this.#lastJournal = world.lastJournal;
    this.#begin();
    this.#store.retainEvents(records.flatMap((r) => r.record.members.map((m) => m.id)));
    const through = world.meta.get(RESULTS_THROUGH);
    // Without the mark, the file was written by a server that kept every result with its journal row.
    this.#resultsThrough = through === undefined ? world.lastJournal : Number(through);
    if (through === undefined) this.#store.setMeta(RESULTS_THROUGH, String(this.#resultsThrough));
    this.#replayKeeps = false;
    try {
      for (const { id, body } of world.journal) {
        for (const line of body.split('\n')) this.#replay(id, line, applied, now, this.#resultsThrough);
      }
    } finally {
      this.#replayKeeps = undefined;
      this.#redraws = undefined;
    }
    // Drops the journal rows every record holds, on disk before anything is served.
    this.#write();
    this.#store.syncNow();
    this.#committed = this.#durable = this.#syncTarget = this.#issued;
    for (const room of this.lobby.rooms.values()) this.#arm(room);
    if (records.length > 0) this.#log.info({ rooms: records.length, store: this.#store.location }, `Restored ${records.length} room${records.length === 1 ? '' : 's'}`);
    return world.meta;
  }

  /**
   * One journal entry, unless its room's record already holds it (or the room is gone): the
   * guess made again at the time it was made, drawing what it drew then. The rounds it ends are
   * kept if its row is past `resultsThrough` (their results were not written yet).
   */
  #replay(id: number, line: string, applied: ReadonlyMap<string, number>, now: number, resultsThrough: number): void {
    const [code = '', player = '', value = '', at, draws] = line.split(' ');
    const room = this.lobby.rooms.get(code);
    if (room === undefined || (applied.get(code) ?? 0) >= id) return;
    this.#replayKeeps = id > resultsThrough;
    this.#redraws = draws === undefined || draws === '' ? [] : draws.split(',').map(Number);
    this.#redrawn = 0;
    const refusal = this.lobby.roomOf(player) === room ? this.#judge(room, player, Number(value), at === undefined ? now : Number(at)) : 'E_NOT_IN_ROOM';
    // A guess that is refused, answers nothing, or draws other numbers than it did: the file is not ours.
    if (refusal !== undefined || this.#outcome === undefined || this.#redrawn !== this.#redraws.length || (this.#outcome === 'win' && at === undefined)) {
      throw new RestoreError(`the journal in ${this.#store.location} does not fit room ${code} (entry ${id}: ${line})`);
    }
    // Rewritten later, as any room with journaled guesses: a start with many rooms is not slowed
    // down by rewriting them all (the journal keeps what they lack until then).
    if (!this.#journaled.has(room)) this.#journaled.set(room, { id, at: now });
  }

  /**
   * The rooms of a server whose lease lapsed, claimed from the shared store: they go on here as
   * after a restart, every member disconnected and free to `resume` on any server, each seat held
   * from now. Their records are written in this server's world with the next commit, which
   * deletes the dead server's. Returns how many rooms came.
   */
  adoptWorld(from: string, world: TakenWorld): number {
    const store = this.#store;
    if (this.#frozen || !isShared(store)) return 0;
    const records: { record: LobbyRoomRecord; savedAt: number }[] = [];
    const applied = new Map<string, number>();
    for (const row of world.rooms) {
      if (this.lobby.rooms.has(row.code)) continue;
      try {
        records.push({ record: JSON.parse(row.record) as LobbyRoomRecord, savedAt: row.savedAt });
        applied.set(row.code, row.applied);
      } catch {
        this.#log.error({ room: row.code, from }, `Room ${row.code} of server ${from} cannot be read back; it is not taken over`);
      }
    }
    const now = Date.now();
    this.#begin();
    const members = new Set(records.flatMap((r) => r.record.members.map((m) => m.id)));
    for (const { player, seq, body } of world.events) if (members.has(player)) store.appendEvents(player, seq, body);
    this.lobby.restore(records, this.lobby.counters, now, this.#retryAfterMs);
    this.#replayKeeps = false;
    try {
      for (const { id, body } of world.journal) {
        // Its server wrote every result with its journal row (its store has no side journal).
        for (const line of body.split('\n')) if (applied.has(line.slice(0, line.indexOf(' ')))) this.#replay(id, line, applied, now, Infinity);
      }
    } catch (error) {
      // The rooms go on as far as their journal fits.
      this.#log.error({ err: error, from }, `The journal of server ${from} does not fit its rooms (${(error as Error).message})`);
    } finally {
      this.#replayKeeps = undefined;
      this.#redraws = undefined;
    }
    const codes: string[] = [];
    for (const { record } of records) {
      const room = this.lobby.rooms.get(record.room.code);
      if (room === undefined) continue;
      codes.push(room.code);
      // Written whole, in this server's world: the dead server's journal goes with its world.
      this.#journaled.delete(room);
      this.#touch(room);
      this.#arm(room);
      for (const member of record.members) this.#registry?.claimToken(member.token);
    }
    store.dropWorld(from);
    this.#registry?.adoptCodes(codes);
    this.#log.info({ from, rooms: codes.length }, `Took over ${codes.length} room${codes.length === 1 ? '' : 's'} of server ${from}, whose lease lapsed`);
    return codes.length;
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
    this.#write();
  };

  /** The store reports commit `number` done (at once, or later when it commits off the event loop). */
  #committedNow(number: number, error: Error | undefined, nanos: number): void {
    if (error !== undefined) {
      // Nothing of this turn may be acknowledged, and the rooms in memory are now ahead of the
      // store: stop, so that the next start goes on from the last commit.
      this.#log.error({ err: error, store: this.#store.location }, `The store could not commit (${error.message}); stopping`);
      process.exit(1);
    }
    this.stats.commits++;
    this.stats.commitNanos += nanos;
    // Already counted by a stop or a start that waited for every commit (syncNow).
    if (number <= this.#committed) return;
    this.#committed = number;
    if (this.#syncEachCommit) {
      this.#sync();
      return;
    }
    this.#durable = number;
    this.#release();
    this.#syncTimer ??= setTimeout(this.#syncLater, SYNC_EVERY_MS).unref();
  }

  readonly #syncLater = (): void => {
    this.#syncTimer = undefined;
    this.#sync();
  };

  #write(): void {
    const now = Date.now();
    if (this.#journal.length > 0) {
      this.#lastJournal = this.#store.appendJournal(this.#journal.join('\n'));
      this.#journal = [];
      for (const room of this.#journaledNow) this.#journaled.set(room, { id: this.#lastJournal, at: now });
      this.#journaledNow.clear();
    }
    this.#fold(now);
    for (const room of this.#dirty) {
      const live = this.lobby.rooms.get(room.code);
      if (live === room) this.#store.putRoom(room.code, JSON.stringify(this.lobby.save(room)), now, this.#lastJournal);
      // A room closed this turn, unless a new one took its code in the same turn.
      else if (live === undefined) {
        this.#store.deleteRoom(room.code);
        this.#registry?.releaseCode(room.code);
      }
      this.#journaled.delete(room);
    }
    this.#writeEvents();
    this.#dirty.clear();
    // Every record holds the journal rows before the oldest entry one still lacks.
    const held = (this.#journaled.values().next().value?.id ?? this.#lastJournal + 1) - 1;
    if (held > this.#droppedJournal) {
      this.#store.dropJournal(held);
      this.#droppedJournal = held;
    }
    const counters = JSON.stringify(this.lobby.counters);
    if (counters !== this.#savedCounters) {
      this.#store.setMeta('counters', counters);
      this.#savedCounters = counters;
    }
    // With a transaction that happens anyway, or when their time has come: a turn of guesses
    // alone that ends rounds stays one append to the side journal.
    if (this.#results.length > 0 && (this.#resultsDue || !this.#store.journalOnly)) this.#writeResults();
    this.#armFold(now);
    const number = ++this.#issued;
    this.#open = false;
    this.#store.commit((error, nanos) => this.#committedNow(number, error, nanos));
  }

  /** A room gone quiet is rewritten too, in a turn of its own when its time comes. */
  #armFold(now: number): void {
    const oldest = this.#journaled.values().next().value;
    if (oldest === undefined || this.#foldTimer !== undefined) return;
    // A millisecond more: a timer may ring a little before Date.now() says its time has come.
    this.#foldTimer = setTimeout(this.#foldLater, Math.max(0, oldest.at + this.#foldAfterMs - now) + 1).unref();
  }

  readonly #foldLater = (): void => {
    this.#foldTimer = undefined;
    if (!this.#frozen && this.#journaled.size > 0) this.#begin();
  };

  /** Rooms journaled for a while get their records rewritten this turn, a few at a time. */
  #fold(now: number): void {
    let n = 0;
    for (const [room, since] of this.#journaled) {
      if (since.at > now - this.#foldAfterMs || n++ >= FOLD_PER_TURN) return;
      this.#dirty.add(room);
    }
  }

  /**
   * Writes the pending events that no journal entry would make again after this turn: those of
   * players with such an event, and those made by guesses in rooms rewritten this turn.
   */
  #writeEvents(): void {
    if (this.#mustWrite.size === 0 && this.#dirty.size === 0) return;
    for (const [player, pending] of this.#pending) {
      if (!this.#mustWrite.has(player) && (pending.room === undefined || !this.#dirty.has(pending.room))) continue;
      this.#pending.delete(player);
      const texts = pending.keptAfter(pending.last - MAX_MISSED);
      this.#store.appendEvents(player, pending.last, packEvents(texts.join('\n')));
      // Once the events pass a multiple of PRUNE_EVERY beyond the window, the oldest go.
      if (pending.last > MAX_MISSED && Math.floor((pending.first - 1) / PRUNE_EVERY) !== Math.floor(pending.last / PRUNE_EVERY)) {
        this.#store.pruneEvents(player, pending.last - MAX_MISSED);
      }
    }
    this.#mustWrite.clear();
  }

  /** The texts of the events after `seq` kept for a player (for `resume`), oldest first. */
  eventsAfter(player: PlayerId, seq: number): string[] {
    const texts: string[] = [];
    for (const body of this.#store.eventsAfter(player, seq)) {
      for (const text of unpackEvents(body).split('\n')) if (seqOf(text) > seq) texts.push(text);
    }
    for (const kept of this.#pending.get(player)?.keptAfter(seq) ?? []) texts.push(unpackEvents(kept));
    return texts;
  }

  /**
   * Puts every commit so far on disk. Syncs overlap, up to MAX_SYNCS at once: this disk runs
   * them side by side in about the time of one, so a commit waits for one sync, not for the end
   * of a running one and then its own. Each covers every commit made before it started, whichever
   * ends first.
   */
  #sync(): void {
    if (this.#syncing >= MAX_SYNCS || this.#syncTarget === this.#committed) return;
    const target = (this.#syncTarget = this.#committed);
    const started = process.hrtime.bigint();
    this.#syncing++;
    this.#store.sync((error) => {
      this.#syncing--;
      // Stopping: freeze() has synced and released everything itself.
      if (this.#frozen) return;
      if (error !== undefined) {
        this.#log.error({ err: error, store: this.#store.location }, `The store could not write to disk (${error.message}); stopping`);
        process.exit(1);
      }
      this.stats.syncs++;
      this.stats.syncNanos += Number(process.hrtime.bigint() - started);
      if (target > this.#durable) {
        this.#durable = target;
        this.#release();
      }
      // Commits made meanwhile: the next sync now, or (fsync 'second') when their timer rings.
      if (this.#syncEachCommit) this.#sync();
      else if (this.#syncTarget !== this.#committed) this.#syncTimer ??= setTimeout(this.#syncLater, SYNC_EVERY_MS).unref();
    });
  }


  /** Hands over the held messages whose commit is on disk, in order. */
  #release(): void {
    const held = this.#held;
    // Held once per run of messages to the same output (a win's three are one run), released as
    // many times: holding is idempotent or counted, so a second run on one output adds nothing.
    const outs: TextOut[] = [];
    let i = 0;
    for (; i < held.length && (held[i + 2] as number) <= this.#durable; i += 4) {
      const out = held[i] as TextOut;
      if (out !== outs[outs.length - 1]) {
        outs.push(out);
        out.hold();
      }
      deliver(out, held[i + 1] as RoomEvent | string | null, held[i + 3] as number);
    }
    this.#held = i === held.length ? [] : held.slice(i);
    for (const out of outs) out.release();
    if (this.#afterHeld.length > 0) this.#goOn();
  }

  #goOn(): void {
    const waiting = this.#afterHeld;
    let i = 0;
    for (; i < waiting.length && (waiting[i] as number) <= this.#durable; i += 2) (waiting[i + 1] as () => void)();
    this.#afterHeld = i === waiting.length ? [] : waiting.slice(i);
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
    // A result goes to one player, encoded as it leaves; anything else may be a broadcast,
    // encoded once for all.
    if (event.type === 'result') {
      if (!this.#frozen) this.#keep(to, seq, undefined, event);
      if (live) this.#peers.get(to)?.sendEvent(event, seq);
      return;
    }
    if (event !== this.#lastEvent) {
      this.#lastEvent = event;
      this.#lastText = encodeServerMessage(event).slice(0, -1);
    }
    const text = `${this.#lastText},"seq":${seq}}`;
    if (!this.#frozen) this.#keep(to, seq, text, event);
    if (live) this.#peers.get(to)?.sendText(text);
  };

  /** `text` is the event's as sent, or undefined for a `result` (encoded here only if it must be kept as text). */
  #keep(to: PlayerId, seq: number, text: string | undefined, event: RoomEvent): void {
    this.#begin();
    const room = this.#guessing;
    if (room !== undefined && event.type === 'result') this.#outcome = event.outcome;
    let pending = this.#pending.get(to);
    if (pending === undefined) this.#pending.set(to, (pending = new PendingEvents(seq, room)));
    pending.push(event, text);
    // Only the last MAX_MISSED are ever replayed: the events of a busy room, which wait seconds
    // for its record, are trimmed now and then rather than kept and written in full.
    if (pending.length >= 2 * MAX_MISSED) pending.dropOldest(MAX_MISSED);
    // Made by something the journal does not redo, or by guesses in two rooms: written this turn.
    if (room === undefined || (pending.room !== undefined && pending.room !== room)) this.#mustWrite.add(to);
    pending.room ??= room;
  }

  /**
   * Keeps a finished round (a room's, or a plain or classic connection's game): it waits for the
   * next transaction, at most RESULTS_MS, rather than costing one of its own; one write per
   * round, never one per guess. A round ended by a guess is safe meanwhile: the guess is in the
   * journal, and a restart that replays it keeps the round again, unless its row is at or before
   * the mark written with the results (RESULTS_THROUGH). A plain or classic game acknowledges
   * nothing that a restart could contradict (it holds no seat).
   */
  readonly record = (result: RoundResult): void => {
    if (this.#frozen || this.#replayKeeps === false) return;
    this.#results.push(result);
    this.#resultsTimer ??= setTimeout(this.#resultsLater, RESULTS_MS).unref();
  };

  readonly #resultsLater = (): void => {
    this.#resultsTimer = undefined;
    if (this.#results.length === 0 || this.#frozen) return;
    this.#resultsDue = true;
    this.#begin();
  };

  /** The waiting results, in this turn's transaction, with the mark that every journal row so far has its results written. */
  #writeResults(): void {
    for (const result of this.#results) this.#keepResult(result);
    this.#results = [];
    this.#resultsDue = false;
    if (this.#lastJournal > this.#resultsThrough) {
      this.#store.setMeta(RESULTS_THROUGH, String(this.#lastJournal));
      this.#resultsThrough = this.#lastJournal;
    }
  }

  /** Writes the waiting results now, before the leaderboard or the results are read here. */
  #writeResultsNow(): void {
    if (this.#results.length === 0 || this.#frozen) return;
    this.#resultsDue = true;
    this.#begin();
    this.#flush();
  }

  /** In the turn's transaction, and in a cluster for every server's leaderboard too. */
  #keepResult(result: RoundResult): void {
    this.#store.appendResult(result);
    this.#shared?.append(result);
  }

  /** Retention: deletes the rounds that ended before `before`, with this turn's commit. */
  pruneResults(before: number): void {
    if (this.#frozen) return;
    this.#begin();
    this.#store.pruneResults(before);
    this.#shared?.prune(before);
  }

  readonly #forget = (id: PlayerId, token: string): void => {
    this.#registry?.releaseToken(token);
    this.#pending.delete(id);
    this.#mustWrite.delete(id);
    if (this.#frozen) return;
    this.#begin();
    this.#store.forgetPlayer(id);
  };
}

function deliver(out: TextOut, message: RoomEvent | string | null, seq: number): void {
  if (message === null) out.end();
  else out.send(typeof message === 'string' ? message : encodeNumbered(message, seq));
}

/** The number a kept event carries: its text ends `,"seq":N}`. */
function seqOf(text: string): number {
  return Number(text.slice(text.lastIndexOf(':') + 1, -1));
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

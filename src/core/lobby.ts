import type { Hash } from './commitment.js';
import type { Range } from './game.js';
import type { RandomInt } from './random.js';
import { rangeProblem } from './range.js';
import { newRoomCode } from './room-code.js';
import { UNNAMED } from './room-names.js';
import type { BotKind, Mode, PlayerId, PlayerRef, Role, RoomEvent, RoomMessage } from './room-events.js';
import type { LobbyRoomRecord, RestoreClock } from './room-record.js';
import { Room } from './room.js';
import type { RoomDeps, RoomRefusal, RoomRules } from './room-rules.js';
import type { RoomRoundResult, RoundResult } from './results.js';

export type LobbyRefusal = RoomRefusal | 'E_IN_ROOM' | 'E_NOT_IN_ROOM' | 'E_UNKNOWN_ROOM' | 'E_BAD_RANGE';

export interface LobbyDeps {
  readonly random: RandomInt;
  readonly hash: Hash;
  readonly rules: RoomRules;
  /** The range a `create` without one gets. */
  readonly range: Range;
  /**
   * Every event addressed to a player, numbered: `seq` counts per player from 1. `live` says
   * whether the player is connected (send it now) or not (keep it for `resume`).
   */
  readonly send: (to: PlayerId, event: RoomEvent, seq: number, live: boolean) => void;
  /** The player is gone for good (`token` is what `resume` took): whatever is kept for it can go. */
  readonly forget?: (id: PlayerId, token: string) => void;
  /** Every round that ends in any room, to keep (players who gave no name are named ''). */
  readonly record?: ((result: RoundResult) => void) | undefined;
}

/** Events kept for a player to replay on `resume`; past this, the oldest go (the `room` snapshot on resume still tells the truth). */
export const MAX_MISSED = 1000;

interface Player {
  readonly id: PlayerId;
  readonly name: string;
  readonly token: string;
  room: Room | undefined;
  connected: boolean;
  /** The number of the last event addressed to it. */
  seq: number;
  /** The number of the last event handed over while it was connected. */
  sent: number;
}

/** What `resume` gives back: the player, the room's snapshot, and where the replay starts. */
export interface Resumed {
  readonly player: PlayerRef;
  /** Replay the events numbered above this one (up to `seq`). */
  readonly after: number;
  /** The number of the last event addressed to the player. */
  readonly seq: number;
  readonly room: RoomMessage | undefined;
}

export interface CreateOptions {
  readonly mode: Mode;
  readonly min?: number | undefined;
  readonly max?: number | undefined;
  readonly bot?: BotKind | undefined;
  /** The bot's time between guesses, instead of the server's. */
  readonly botDelayMs?: number | undefined;
  readonly maxPlayers?: number | undefined;
  /** Pick mode: rounds per match. */
  readonly rounds?: number | undefined;
  /** Race mode: wins that end a match. */
  readonly firstTo?: number | undefined;
}

/**
 * Every player and room of one server, as a pure state machine: who is connected, who sits
 * where, which codes are live. A player is in one room at a time; a dropped player's seat waits
 * for `resume`, and what it misses meanwhile is kept for it.
 */
export class Lobby {
  readonly #deps: LobbyDeps;
  readonly #players = new Map<PlayerId, Player>();
  readonly #tokens = new Map<string, Player>();
  readonly #rooms = new Map<string, Room>();
  #sharedRoomDeps: RoomDeps | undefined;
  #lastPlayer = 0;
  #lastBot = 0;
  /**
   * Ends every player id this lobby makes: in a cluster, where players move from server to
   * server, it names the server, so that two servers never give the same id.
   */
  idSuffix = '';

  constructor(deps: LobbyDeps) {
    this.#deps = deps;
  }

  /** What every room of this lobby is given (one object for all: every open page has a room). */
  #roomDeps(): RoomDeps {
    this.#sharedRoomDeps ??= { random: this.#deps.random, hash: this.#deps.hash, rules: this.#deps.rules, deliver: this.#deliver, record: this.#record };
    return this.#sharedRoomDeps;
  }

  get rooms(): ReadonlyMap<string, Room> {
    return this.#rooms;
  }

  /**
   * A new connected player; `token` (unguessable, from the caller) is what `resume` takes. `name`
   * is the one it asked for, `''` for none: each room it joins names it there (see nameInRoom).
   */
  addPlayer(name: string, token: string): PlayerRef {
    return this.adoptPlayer(`p${++this.#lastPlayer}${this.idSuffix}`, name, token);
  }

  /**
   * A connected player that another lobby made (with its id, unique across them) and handed over,
   * in no room yet; its events go on numbering from `seq`, the last that lobby gave it.
   */
  adoptPlayer(id: PlayerId, name: string, token: string, seq = 0): PlayerRef {
    const player: Player = { id, name, token, room: undefined, connected: true, seq, sent: seq };
    this.#players.set(id, player);
    this.#tokens.set(token, player);
    return this.#ref(player);
  }

  /**
   * Lets a player in no room go to another lobby (see adoptPlayer): returns what that lobby
   * needs to go on, undefined if it sits in a room here.
   */
  handOver(id: PlayerId): { name: string; token: string; seq: number } | undefined {
    const player = this.#players.get(id);
    if (player === undefined || player.room !== undefined) return undefined;
    this.#forget(player);
    return { name: player.name, token: player.token, seq: player.seq };
  }

  roomOf(id: PlayerId): Room | undefined {
    return this.#players.get(id)?.room;
  }

  /**
   * Gives a player back to a new connection, with its room's snapshot and where the replay of
   * what it missed starts: after `seen`, the last event the client says it saw, or else after the
   * last one handed to its old connection. The others in the room hear it returned. Works
   * whether or not the old connection's loss was noticed yet.
   */
  resume(token: string, seen?: number): Resumed | undefined {
    const player = this.#tokens.get(token);
    if (player === undefined) return undefined;
    const after = Math.max(0, Math.min(seen ?? player.sent, player.seq));
    player.connected = true;
    player.sent = player.seq;
    player.room?.rejoin(player.id);
    return { player: this.#ref(player), after, seq: player.seq, room: player.room?.snapshot(player.id) };
  }

  /** The player's connection is gone. In a room its seat waits; in none there is nothing to keep. */
  disconnect(id: PlayerId, now: number): void {
    const player = this.#players.get(id);
    if (player === undefined || !player.connected) return;
    player.connected = false;
    const room = player.room;
    if (room === undefined) {
      this.#forget(player);
      return;
    }
    room.drop(id, now);
    if (!room.has(id)) {
      player.room = undefined;
      this.#forget(player);
    }
  }

  /** `code`: one the caller reserved (across servers); one this lobby draws when absent (or, defensively, already in use here). */
  create(id: PlayerId, options: CreateOptions, now: number, code?: string): LobbyRefusal | Room {
    const player = this.#players.get(id);
    if (player === undefined) return 'E_NOT_IN_ROOM';
    if (player.room !== undefined) return 'E_IN_ROOM';
    const range = { min: options.min ?? this.#deps.range.min, max: options.max ?? this.#deps.range.max };
    if (rangeProblem(range) !== undefined) return 'E_BAD_RANGE';
    if (code === undefined || this.#rooms.has(code)) code = newRoomCode(this.#deps.random, (c) => this.#rooms.has(c));
    const deps = options.botDelayMs === undefined ? this.#roomDeps() : { ...this.#roomDeps(), rules: { ...this.#deps.rules, botDelayMs: options.botDelayMs } };
    const match = options.rounds === undefined && options.firstTo === undefined ? undefined : { rounds: options.rounds, firstTo: options.firstTo };
    const room = new Room(code, options.mode, range, options.maxPlayers ?? this.#deps.rules.maxPlayers, deps, match);
    this.#rooms.set(code, room);
    player.room = room;
    room.join(player, 'player', now);
    if (options.bot !== undefined && options.mode !== 'solo') room.addBot(`bot${++this.#lastBot}`, options.bot);
    return room;
  }

  join(id: PlayerId, code: string, role: Role, now: number): LobbyRefusal | undefined {
    const player = this.#players.get(id);
    if (player === undefined) return 'E_NOT_IN_ROOM';
    if (player.room !== undefined) return 'E_IN_ROOM';
    const room = this.#rooms.get(code);
    if (room === undefined) return 'E_UNKNOWN_ROOM';
    const refusal = room.join(player, role, now);
    if (refusal === undefined) player.room = room;
    return refusal;
  }

  leave(id: PlayerId, now: number): LobbyRefusal | Room {
    const player = this.#players.get(id);
    const room = player?.room;
    if (player === undefined || room === undefined) return 'E_NOT_IN_ROOM';
    room.leave(id, now);
    player.room = undefined;
    return room;
  }

  start(id: PlayerId, now: number): LobbyRefusal | undefined {
    return this.#players.get(id)?.room?.start(id, now) ?? this.#notInRoom(id);
  }

  pick(id: PlayerId, value: number, now: number): LobbyRefusal | undefined {
    return this.#players.get(id)?.room?.pick(id, value, now) ?? this.#notInRoom(id);
  }

  guess(id: PlayerId, value: number, now: number): LobbyRefusal | undefined {
    const room = this.#players.get(id)?.room;
    if (room === undefined) return 'E_NOT_IN_ROOM';
    return room.guess(id, value, now);
  }

  /** Runs what a room has due at `now`: forgets players whose seats were given up, drops closed rooms. */
  advance(room: Room, now: number): void {
    const { expired, closed } = room.advance(now);
    for (const id of expired) {
      const player = this.#players.get(id);
      if (player === undefined) continue;
      player.room = undefined;
      this.#forget(player);
    }
    if (closed) this.close(room);
  }

  /** Who is in `room` (players and spectators), connected or not. */
  membersOf(room: Room): PlayerId[] {
    return room.members().filter((id) => this.#players.get(id)?.room === room);
  }

  /** Closes a room, telling whoever is still in it. */
  close(room: Room): void {
    if (this.#rooms.get(room.code) !== room) return;
    this.#rooms.delete(room.code);
    for (const id of room.members()) {
      const player = this.#players.get(id);
      if (player?.room !== room) continue;
      player.room = undefined;
      this.#deliver(player.id, { type: 'closed', code: room.code, reason: 'The room was closed' });
      if (!player.connected) this.#forget(player);
    }
  }

  /** A room and its members as plain data, for a store. */
  save(room: Room): LobbyRoomRecord {
    // From the room's own list, not a walk over every player: this runs once per changed room per turn.
    const members = [];
    for (const id of room.members()) {
      const player = this.#players.get(id);
      if (player?.room === room) members.push({ id: player.id, name: player.name, token: player.token, seq: player.seq, sent: player.sent });
    }
    return { room: room.save(), members };
  }

  /** The numbers the next player and bot ids count from, for a store. */
  get counters(): { players: number; bots: number } {
    return { players: this.#lastPlayer, bots: this.#lastBot };
  }

  /**
   * Brings back rooms a store kept, on a lobby that has none yet (a restarted server): every
   * member is disconnected and may `resume`. Ids go on from the highest ever given.
   */
  restore(records: readonly { record: LobbyRoomRecord; savedAt: number }[], counters: { players: number; bots: number }, now: number, holdMs: number): void {
    let players = counters.players;
    let bots = counters.bots;
    const rules = this.#deps.rules;
    for (const { record, savedAt } of records) {
      const clock: RestoreClock = { savedAt, now, holdMs: Math.max(holdMs, rules.seatHoldMs) };
      const room = Room.restore(record.room, this.#roomDeps(), clock);
      this.#rooms.set(room.code, room);
      for (const m of record.members) {
        const player: Player = { id: m.id, name: m.name, token: m.token, room, connected: false, seq: m.seq, sent: m.sent };
        this.#players.set(player.id, player);
        this.#tokens.set(player.token, player);
        players = Math.max(players, idNumber(m.id, 'p'));
      }
      for (const seat of record.room.seats) if (seat.bot !== null) bots = Math.max(bots, idNumber(seat.id, 'bot'));
    }
    this.#lastPlayer = players;
    this.#lastBot = bots;
  }

  /** The player as `welcome` names it: the name it asked for, or `Player` outside any room. */
  #ref(player: Player): PlayerRef {
    return { id: player.id, name: player.name === '' ? UNNAMED : player.name };
  }

  #notInRoom(id: PlayerId): LobbyRefusal | undefined {
    return this.#players.get(id)?.room === undefined ? 'E_NOT_IN_ROOM' : undefined;
  }

  #forget(player: Player): void {
    this.#players.delete(player.id);
    this.#tokens.delete(player.token);
    this.#deps.forget?.(player.id, player.token);
  }

  readonly #record = (result: RoomRoundResult): void => {
    const record = this.#deps.record;
    if (record === undefined) return;
    // A player who gave no name is `Player 1` in its room, which is nobody's name on a leaderboard.
    const named = (id: PlayerId, name: string): string => (this.#players.get(id)?.name === '' ? '' : name);
    const winner = result.match?.winner;
    record({
      ...result,
      players: result.players.map(({ id, ...p }) => ({ ...p, name: p.bot === null ? named(id, p.name) : p.name })),
      match: result.match === null ? null : { winner: winner == null ? null : { name: winner.bot ? winner.name : named(winner.id, winner.name), bot: winner.bot } },
    });
  };

  readonly #deliver = (to: PlayerId, event: RoomEvent): void => {
    const player = this.#players.get(to);
    if (player === undefined) return;
    const seq = ++player.seq;
    if (player.connected) player.sent = seq;
    this.#deps.send(to, event, seq, player.connected);
  };
}

/** 17 for `p17` (or `bot17`); 0 for anything else. */
function idNumber(id: string, prefix: string): number {
  const n = id.startsWith(prefix) ? Number(id.slice(prefix.length)) : NaN;
  return Number.isSafeInteger(n) ? n : 0;
}

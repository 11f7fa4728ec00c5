import { BOT_NAMES, Bot } from './bot.js';
import type { RestoreClock, RoomRecord } from './room-record.js';
import { commit, newSalt } from './commitment.js';
import { nameInRoom } from './room-names.js';
import type { RoomRoundResult } from './results.js';
import type { RoomDeps, RoomRefusal } from './room-rules.js';
import { History } from './history.js';
import { newSeat, seatView, type Seat, type Spectator } from './seat.js';
import { SENTENCES, compare, type Range } from './game.js';
import type {
  BotKind,
  HistoryEntry,
  LastRound,
  MatchEndMessage,
  MatchState,
  Mode,
  OutcomeKind,
  PlayerId,
  PlayerRef,
  Role,
  RoomEvent,
  RoomMessage,
  PlayerRef as Named,
  RoomState,
  RoundEndReason,
  SeenGuess,
  SeatView,
  Standing,
} from './room-events.js';

/** How long a match lasts; without either, rounds go on and standings add up for as long as the room lives. */
export interface MatchRules {
  /** Pick mode: rounds per match (default: as many as there are players when the match starts, so each picks once). */
  readonly rounds?: number | undefined;
  /** Race mode: the match ends when a player has won this many rounds. */
  readonly firstTo?: number | undefined;
}

/** Rounds go on for as long as the room lives: what most rooms have, one object for all. */
const ENDLESS: MatchRules = Object.freeze({});

/** A player who left this round, should they come back before it ends. */
interface Departed {
  readonly attempts: number;
  readonly found: boolean;
  readonly history: History;
  readonly guesser: boolean;
}

// Most rooms never have a spectator, nor a player who leaves mid-round (every open page has a
// solo room): they share these empty maps, never written, until their first. An empty Map is a
// couple of hundred bytes.
const NO_SPECTATORS: ReadonlyMap<PlayerId, Spectator> = new Map();
const NONE_DEPARTED: ReadonlyMap<PlayerId, Departed> = new Map();

interface Secret {
  readonly value: number;
  readonly salt: string;
  readonly commitment: string;
}

/**
 * One room as a state machine: requests in (join, start, pick, guess, leave, drop, resume),
 * events out through `deliver`, and time only as the `now` the caller passes. It sets no timers:
 * `deadline()` says when it next needs `advance(now)` (a bot's move, the pick timeout, a dropped
 * seat given up, an empty room closed).
 */
export class Room {
  readonly code: string;
  readonly mode: Mode;
  readonly range: Range;
  readonly maxPlayers: number;
  readonly #deps: RoomDeps;
  readonly #seats = new Map<PlayerId, Seat>();
  #spectators = NO_SPECTATORS;
  #nextSeat = 1;
  #state: RoomState = 'waiting';
  #round = 0;
  #secret: Secret | undefined;
  #picker: PlayerId | null = null;
  #lastPickerSeat = 0;
  #guessers = new Set<PlayerId>();
  #foundCount = 0;
  /** This round's players who left it, should they come back before it ends. */
  #departed = NONE_DEPARTED;
  #pickDeadline: number | undefined;
  #botAt: number | undefined;
  #emptySince: number | undefined;
  readonly #match: MatchRules;
  /** This match's length in rounds, fixed when it starts (pick mode). */
  #matchLength: number | undefined;
  #matchPlayed = 0;
  #matchOver = false;
  /** The last match's result, for the snapshot of whoever joins or resumes before the next match starts. */
  #matchResult: Pick<MatchEndMessage, 'winner' | 'tied'> | undefined;
  /** How the last round ended, until the next one starts. */
  #lastRound: LastRound | undefined;
  /** When this round's guessing began, for the time each player took to find it. */
  #startedAt: number | undefined;

  constructor(code: string, mode: Mode, range: Range, maxPlayers: number, deps: RoomDeps, match: MatchRules = ENDLESS) {
    this.code = code;
    this.mode = mode;
    this.#match = match;
    this.range = range;
    this.maxPlayers = mode === 'solo' ? 1 : Math.max(1, Math.min(maxPlayers, deps.rules.maxPlayers));
    this.#deps = deps;
  }

  get state(): RoomState {
    return this.#state;
  }

  get round(): number {
    return this.#round;
  }

  /** Seated players, bots included, in seat order. */
  get players(): readonly SeatView[] {
    return [...this.#seats.values()].map(seatView);
  }

  /** Whether anybody (other than a bot) is in the room, connected or holding a dropped seat. */
  get occupied(): boolean {
    return this.#spectators.size > 0 || [...this.#seats.values()].some((s) => s.bot === undefined);
  }

  /** Everyone in the room but bots: seated players (connected or not) and spectators. */
  members(): PlayerId[] {
    const ids: PlayerId[] = [];
    for (const seat of this.#seats.values()) if (seat.bot === undefined) ids.push(seat.id);
    for (const id of this.#spectators.keys()) ids.push(id);
    return ids;
  }

  has(id: PlayerId): boolean {
    return this.#seats.has(id) || this.#spectators.has(id);
  }

  /** Seats a bot. Called right after the creator has joined. */
  addBot(id: PlayerId, kind: BotKind): RoomRefusal | undefined {
    if (this.#seats.size >= this.maxPlayers) return 'E_ROOM_FULL';
    const seat = newSeat(id, this.#nameFor(BOT_NAMES[kind]), this.#nextSeat++, new Bot(kind, this.range));
    this.#seats.set(id, seat);
    this.#broadcast(this.#presence('joined', id, seat.name, 'player', seat.seat));
    return undefined;
  }

  /** `player.name` is the name it asked for (`''` for none); the room may change it (see nameInRoom). */
  join(player: PlayerRef, role: Role, now: number): RoomRefusal | undefined {
    if (role === 'player') {
      if (this.#seats.size >= this.maxPlayers) return 'E_ROOM_FULL';
      const seat = newSeat(player.id, this.#nameFor(player.name), this.#nextSeat++, undefined);
      this.#seats.set(player.id, seat);
      this.#joinRound(seat);
      this.#broadcast(this.#presence('joined', player.id, seat.name, 'player', seat.seat), player.id);
    } else {
      if (this.#spectators.size >= this.#deps.rules.maxSpectators) return 'E_ROOM_FULL';
      const spectator = { id: player.id, name: this.#nameFor(player.name) };
      this.#ownSpectators().set(player.id, spectator);
      this.#broadcast(this.#presence('joined', player.id, spectator.name, 'spectator', null), player.id);
    }
    this.#emptySince = undefined;
    this.#deps.deliver(player.id, this.snapshot(player.id));
    if (this.mode === 'solo' && role === 'player' && this.#state !== 'playing') this.#startRound(now);
    return undefined;
  }

  /** The room's own spectators, made at the first write (see NO_SPECTATORS). */
  #ownSpectators(): Map<PlayerId, Spectator> {
    if (this.#spectators === NO_SPECTATORS) this.#spectators = new Map();
    return this.#spectators as Map<PlayerId, Spectator>;
  }

  /** This round's own departed players, made at the first write (see NONE_DEPARTED). */
  #ownDeparted(): Map<PlayerId, Departed> {
    if (this.#departed === NONE_DEPARTED) this.#departed = new Map();
    return this.#departed as Map<PlayerId, Departed>;
  }

  /**
   * A player who comes back within the round it left finds its attempts as it left them (leaving
   * must not wipe a bad start). A newcomer joins a race under way; a pick round under way it only
   * watches, since it could have watched the others' hints before joining.
   */
  #joinRound(seat: Seat): void {
    const playing = this.#state === 'playing';
    const before = this.#departed.get(seat.id);
    if (before !== undefined) {
      seat.attempts = before.attempts;
      seat.found = before.found;
      seat.history = before.history;
      if (before.guesser && playing) this.#guessers.add(seat.id);
    } else if (playing && this.mode !== 'pick') this.#guessers.add(seat.id);
  }

  #nameFor(wanted: string): string {
    return nameInRoom(wanted, [...[...this.#seats.values()].map((s) => s.name), ...[...this.#spectators.values()].map((s) => s.name)]);
  }

  /** The player leaves for good (by choice, or because its dropped seat was given up). */
  leave(id: PlayerId, now: number): void {
    const spectator = this.#spectators.get(id);
    if (spectator !== undefined) {
      this.#ownSpectators().delete(id);
      this.#broadcast(this.#presence('left', id, spectator.name, 'spectator', null), id);
    }
    const seat = this.#seats.get(id);
    if (seat !== undefined) {
      this.#seats.delete(id);
      if (this.#round > 0) {
        this.#ownDeparted().set(id, { attempts: seat.attempts, found: seat.found, history: seat.history, guesser: this.#guessers.has(id) });
      }
      this.#broadcast(this.#presence('left', id, seat.name, 'player', seat.seat), id);
      this.#afterSeatGone(id, now);
    }
    if (!this.occupied) this.#emptySince ??= now;
  }

  /** The player's connection is gone: its seat waits `seatHoldMs` for `resume`. */
  drop(id: PlayerId, now: number): void {
    const seat = this.#seats.get(id);
    if (seat === undefined) {
      // A spectator has nothing to keep.
      this.leave(id, now);
      return;
    }
    seat.connected = false;
    seat.dropDeadline = now + this.#deps.rules.seatHoldMs;
    this.#broadcast(this.#presence('dropped', id, seat.name, 'player', seat.seat), id);
  }

  /** The player is back (`resume`); the caller sends it what it missed, then `snapshot`. */
  rejoin(id: PlayerId): void {
    const spectator = this.#spectators.get(id);
    if (spectator !== undefined) spectator.heldUntil = undefined;
    const seat = this.#seats.get(id);
    if (seat === undefined || seat.connected) return;
    seat.connected = true;
    seat.dropDeadline = undefined;
    this.#broadcast(this.#presence('returned', id, seat.name, 'player', seat.seat), id);
  }

  start(id: PlayerId, now: number): RoomRefusal | undefined {
    if (!this.#seats.has(id)) return 'E_NOT_YOUR_TURN';
    if (this.#state === 'picking' || this.#state === 'playing') return 'E_ROUND_RUNNING';
    if (this.mode === 'pick' && this.#seats.size < 2) return 'E_NOT_ENOUGH_PLAYERS';
    if (this.#state === 'waiting' || this.#matchOver) this.#newMatch();
    if (this.mode === 'pick') this.#startPicking(now);
    else this.#startRound(now);
    return undefined;
  }

  pick(id: PlayerId, value: number, now: number): RoomRefusal | undefined {
    // E_NO_ROUND tells the player to start a round, so it is said only when none is under way.
    if (!this.#seats.has(id)) return 'E_NOT_YOUR_TURN';
    if (this.#state !== 'picking') return this.#state === 'playing' ? 'E_NOT_YOUR_TURN' : 'E_NO_ROUND';
    if (id !== this.#picker) return 'E_NOT_YOUR_TURN';
    if (!Number.isSafeInteger(value) || value < this.range.min || value > this.range.max) return 'E_PICK_OUT_OF_RANGE';
    this.#deps.deliver(id, { type: 'picked', round: this.#round, value });
    this.#play(value, id, now);
    return undefined;
  }

  guess(id: PlayerId, value: number, now: number): RoomRefusal | undefined {
    if (this.#state !== 'playing') return this.#seats.has(id) && this.#state !== 'picking' ? 'E_NO_ROUND' : 'E_NOT_YOUR_TURN';
    const seat = this.#seats.get(id);
    if (seat === undefined || seat.found || !this.#guessers.has(id)) return 'E_NOT_YOUR_TURN';
    this.#judge(seat, value, now);
    return undefined;
  }

  /** When `advance` next has something to do, or undefined. */
  deadline(): number | undefined {
    let next = Math.min(this.#pickDeadline ?? Infinity, this.#botAt ?? Infinity);
    if (this.#emptySince !== undefined) next = Math.min(next, this.#emptySince + this.#emptyRoomMs());
    for (const seat of this.#seats.values()) if (seat.dropDeadline !== undefined) next = Math.min(next, seat.dropDeadline);
    for (const spectator of this.#spectators.values()) if (spectator.heldUntil !== undefined) next = Math.min(next, spectator.heldUntil);
    return next === Infinity ? undefined : next;
  }

  /**
   * Does what is due at `now`. Returns the players whose dropped seats were given up, and whether
   * the room has closed (stayed empty for `emptyRoomMs`).
   */
  advance(now: number): { expired: PlayerId[]; closed: boolean } {
    const expired: PlayerId[] = [];
    for (const seat of [...this.#seats.values()]) {
      if (seat.dropDeadline !== undefined && seat.dropDeadline <= now) {
        expired.push(seat.id);
        this.leave(seat.id, now);
      }
    }
    for (const spectator of [...this.#spectators.values()]) {
      if (spectator.heldUntil !== undefined && spectator.heldUntil <= now) {
        expired.push(spectator.id);
        this.leave(spectator.id, now);
      }
    }
    if (this.#pickDeadline !== undefined && this.#pickDeadline <= now && this.#state === 'picking') {
      // The picker let the time run out: the server draws, and the picker sits this round out.
      this.#play(this.#deps.random(this.range.min, this.range.max), null, now);
    }
    if (this.#botAt !== undefined && this.#botAt <= now) this.#botMove(now);
    const closed = this.#emptySince !== undefined && this.#emptySince + this.#emptyRoomMs() <= now;
    return { expired, closed };
  }

  /** Everything this room is, as plain data for a store (the secret included: it stays server-side). */
  save(): RoomRecord {
    return {
      code: this.code,
      mode: this.mode,
      range: { min: this.range.min, max: this.range.max },
      maxPlayers: this.maxPlayers,
      botDelayMs: this.#deps.rules.botDelayMs,
      match: { rounds: this.#match.rounds ?? null, firstTo: this.#match.firstTo ?? null },
      // A seat is its record but for the bot (its knowledge as data) and the absent deadline.
      seats: [...this.#seats.values()].map((s) => ({ ...s, bot: s.bot?.save() ?? null, dropDeadline: s.dropDeadline ?? null, history: s.history.entries() })),
      spectators: [...this.#spectators.values()].map((s) => ({ id: s.id, name: s.name })),
      nextSeat: this.#nextSeat,
      state: this.#state,
      round: this.#round,
      secret: this.#secret === undefined ? null : { ...this.#secret },
      picker: this.#picker,
      lastPickerSeat: this.#lastPickerSeat,
      guessers: [...this.#guessers],
      foundCount: this.#foundCount,
      departed: [...this.#departed].map(([id, d]) => ({ id, attempts: d.attempts, found: d.found, history: d.history.entries(), guesser: d.guesser })),
      pickDeadline: this.#pickDeadline ?? null,
      botAt: this.#botAt ?? null,
      emptySince: this.#emptySince ?? null,
      matchLength: this.#matchLength ?? null,
      matchPlayed: this.#matchPlayed,
      matchOver: this.#matchOver,
      matchResult: this.#matchResult === undefined ? null : { winner: this.#matchResult.winner, tied: [...this.#matchResult.tied] },
      lastRound: this.#lastRound ?? null,
      startedAt: this.#startedAt ?? null,
    };
  }

  /**
   * The room a record describes, on a restarted server. Nobody's connection survived: every
   * person's seat (and every spectator) is held from `clock.now`, not from before the restart;
   * the pick timeout, a bot's move and an empty room's closing keep the time they had left.
   */
  static restore(record: RoomRecord, deps: RoomDeps, clock: RestoreClock): Room {
    const later = (at: number | null): number | undefined => (at === null ? undefined : clock.now + Math.max(0, at - clock.savedAt));
    const room = new Room(record.code, record.mode, record.range, record.maxPlayers, { ...deps, rules: { ...deps.rules, botDelayMs: record.botDelayMs } }, {
      rounds: record.match.rounds ?? undefined,
      firstTo: record.match.firstTo ?? undefined,
    });
    for (const s of record.seats) {
      const bot = s.bot === null ? undefined : Bot.restore(s.bot);
      room.#seats.set(s.id, { ...s, bot, history: History.from(s.history), connected: bot !== undefined, dropDeadline: bot === undefined ? clock.now + clock.holdMs : undefined });
    }
    for (const s of record.spectators) room.#ownSpectators().set(s.id, { id: s.id, name: s.name, heldUntil: clock.now + clock.holdMs });
    room.#nextSeat = record.nextSeat;
    room.#state = record.state;
    room.#round = record.round;
    room.#secret = record.secret === null ? undefined : { ...record.secret };
    room.#picker = record.picker;
    room.#lastPickerSeat = record.lastPickerSeat;
    room.#guessers = new Set(record.guessers);
    room.#foundCount = record.foundCount;
    for (const d of record.departed) room.#ownDeparted().set(d.id, { attempts: d.attempts, found: d.found, history: History.from(d.history), guesser: d.guesser });
    room.#pickDeadline = later(record.pickDeadline);
    room.#botAt = later(record.botAt);
    room.#emptySince = record.emptySince === null ? undefined : clock.now - Math.max(0, clock.savedAt - record.emptySince);
    room.#matchLength = record.matchLength ?? undefined;
    room.#matchPlayed = record.matchPlayed;
    room.#matchOver = record.matchOver;
    room.#matchResult = record.matchResult ?? undefined;
    room.#lastRound = record.lastRound ?? undefined;
    // The clock's own value, as `foundAt` is: a round that spans a restart counts the time it was down.
    room.#startedAt = record.startedAt ?? undefined;
    return room;
  }

  snapshot(id: PlayerId): RoomMessage {
    const seat = this.#seats.get(id);
    return {
      type: 'room',
      code: this.code,
      mode: this.mode,
      min: this.range.min,
      max: this.range.max,
      maxPlayers: this.maxPlayers,
      you: id,
      role: seat === undefined ? 'spectator' : 'player',
      state: this.#state,
      round: this.#round,
      picker: this.#state === 'picking' || this.#state === 'playing' ? this.#picker : null,
      commitment: this.#state === 'playing' ? (this.#secret?.commitment ?? null) : null,
      players: [...this.#seats.values()].map((s) => ({ ...seatView(s), guesses: s.history.entries().map(seen) })),
      spectators: this.#spectators.size,
      history: seat === undefined ? [] : seat.history.entries(),
      standings: this.#standings(),
      ...(this.mode === 'solo' ? {} : { match: this.#matchState(this.#matchResult) }),
      ...(this.#state === 'ended' && this.#lastRound !== undefined ? { lastRound: this.#lastRound } : {}),
    };
  }

  /** Where the match stands: in the snapshot, and when a round starts (solo has no match). */
  #matchState(result?: MatchState['result']): MatchState {
    return {
      rounds: this.mode === 'pick' ? (this.#matchLength ?? this.#match.rounds ?? null) : null,
      firstTo: this.mode === 'race' ? (this.#match.firstTo ?? null) : null,
      played: this.#matchPlayed,
      over: this.#matchOver,
      ...(result === undefined ? {} : { result }),
    };
  }

  /** A fresh match: standings start from zero. */
  #newMatch(): void {
    this.#matchPlayed = 0;
    this.#matchOver = false;
    this.#matchResult = undefined;
    this.#matchLength = this.mode === 'pick' ? (this.#match.rounds ?? this.#seats.size) : undefined;
    for (const seat of this.#seats.values()) {
      seat.wins = 0;
      seat.rounds = 0;
      seat.guesses = 0;
    }
  }

  #startPicking(now: number): void {
    const order = [...this.#seats.values()];
    const picker = order.find((s) => s.seat > this.#lastPickerSeat) ?? order[0];
    if (picker === undefined) return;
    this.#lastPickerSeat = picker.seat;
    this.#newRound();
    this.#state = 'picking';
    this.#picker = picker.id;
    this.#broadcast({
      type: 'picking',
      round: this.#round,
      picker: picker.id,
      name: picker.name,
      min: this.range.min,
      max: this.range.max,
      timeoutMs: this.#deps.rules.pickTimeoutMs,
      match: this.#matchState(),
    });
    if (picker.bot !== undefined) this.#play(this.#deps.random(this.range.min, this.range.max), picker.id, now);
    else this.#pickDeadline = now + this.#deps.rules.pickTimeoutMs;
  }

  #startRound(now: number): void {
    this.#newRound();
    this.#picker = null;
    this.#play(this.#deps.random(this.range.min, this.range.max), null, now);
  }

  #newRound(): void {
    this.#round++;
    this.#lastRound = undefined;
    this.#foundCount = 0;
    this.#departed = NONE_DEPARTED;
    this.#secret = undefined;
    for (const seat of this.#seats.values()) {
      seat.attempts = 0;
      seat.found = false;
      seat.foundOrder = 0;
      seat.foundAt = undefined;
      seat.history.clear();
      seat.bot?.reset(this.range);
    }
  }

  /** The secret is set: commit to it and let the guessing begin. */
  #play(value: number, picker: PlayerId | null, now: number): void {
    const salt = newSalt(this.#deps.random);
    this.#secret = { value, salt, commitment: commit(this.#deps.hash, value, salt) };
    this.#pickDeadline = undefined;
    this.#state = 'playing';
    this.#startedAt = now;
    const pickedBy = this.#picker;
    this.#picker = picker;
    this.#guessers = new Set([...this.#seats.keys()].filter((id) => id !== pickedBy));
    this.#broadcast({
      type: 'round_start',
      round: this.#round,
      mode: this.mode,
      min: this.range.min,
      max: this.range.max,
      picker,
      commitment: this.#secret.commitment,
      guessers: [...this.#guessers],
      ...(this.mode === 'solo' ? {} : { match: this.#matchState() }),
    });
    this.#botAt = this.#botSeat() === undefined ? undefined : now + this.#deps.rules.botDelayMs;
  }

  // The hot path: one accepted guess.
  #judge(seat: Seat, value: number, now: number): void {
    const secret = this.#secret?.value ?? NaN;
    const outcome: OutcomeKind = compare(secret, value);
    seat.attempts++;
    seat.history.push(value, outcome);
    if (seat.bot === undefined) {
      this.#deps.deliver(seat.id, { type: 'result', value, outcome, message: SENTENCES[outcome], attempts: seat.attempts });
    } else seat.bot.learn(value, outcome);
    if (this.#seats.size > 1 || this.#spectators.size > 0) {
      this.#broadcast(
        outcome === 'win'
          ? { type: 'progress', player: seat.id, name: seat.name, outcome, attempts: seat.attempts }
          : { type: 'progress', player: seat.id, name: seat.name, outcome, attempts: seat.attempts, value },
        seat.id,
      );
    }
    if (outcome !== 'win') return;
    seat.found = true;
    seat.foundOrder = ++this.#foundCount;
    seat.foundAt = now;
    if (this.mode !== 'pick') this.#endRound('found', seat, now);
    else this.#endIfAllFound(now);
  }

  /** Pick mode: once every guesser has found it, the fewest guesses win (the earlier on a tie). */
  #endIfAllFound(now: number): void {
    let best: Seat | undefined;
    for (const id of this.#guessers) {
      const seat = this.#seats.get(id);
      if (seat?.found !== true) return;
      if (best === undefined || seat.attempts < best.attempts || (seat.attempts === best.attempts && seat.foundOrder < best.foundOrder)) {
        best = seat;
      }
    }
    this.#endRound('all_found', best, now);
  }

  #afterSeatGone(id: PlayerId, now: number): void {
    if (this.#state === 'picking' && id === this.#picker) {
      // A picker who leaves before picking is treated like one whose time ran out: the server draws.
      this.#play(this.#deps.random(this.range.min, this.range.max), null, now);
      if (this.#guessers.size === 0) this.#endRound('abandoned', undefined, now);
      return;
    }
    if (this.#state !== 'playing') return;
    // Once the secret is set, the picker's leaving changes nothing: the server holds and judges it.
    if (!this.#guessers.delete(id)) return;
    if (this.#guessers.size === 0) this.#endRound('abandoned', undefined, now);
    else if (this.mode === 'pick') this.#endIfAllFound(now);
    if (this.#botSeat() === undefined) this.#botAt = undefined;
  }

  #endRound(reason: RoundEndReason, winner: Seat | undefined, now: number): void {
    const secret = this.#secret;
    if (secret === undefined) return;
    this.#state = 'ended';
    this.#pickDeadline = undefined;
    this.#botAt = undefined;
    const guessers: Seat[] = [];
    for (const id of this.#guessers) {
      const seat = this.#seats.get(id);
      if (seat === undefined) continue;
      seat.rounds++;
      seat.guesses += seat.attempts;
      guessers.push(seat);
    }
    if (winner !== undefined) winner.wins++;
    this.#lastRound = {
      round: this.#round,
      reason,
      winner: winner === undefined ? null : { id: winner.id, name: winner.name },
      secret: secret.value,
      salt: secret.salt,
      commitment: secret.commitment,
    };
    this.#broadcast({ type: 'round_end', ...this.#lastRound, standings: this.#standings() });
    this.#guessers = new Set();
    this.#matchPlayed++;
    const matchEnded = this.#endMatchIfOver(winner);
    this.#record(reason, secret.value, guessers, winner, matchEnded, now);
    if (this.mode === 'solo' && this.#seats.size > 0) this.#startRound(now);
  }

  /**
   * Pick mode: after its rounds, the fewest guesses over the match win, among those who guessed
   * in the most rounds (a latecomer's few rounds are no fair comparison). Race: the first to
   * `firstTo` wins.
   */
  #endMatchIfOver(roundWinner: Seat | undefined): boolean {
    let leaders: Seat[];
    if (this.mode === 'pick' && this.#matchLength !== undefined && this.#matchPlayed >= this.#matchLength) {
      const seats = [...this.#seats.values()];
      const most = Math.max(1, ...seats.map((s) => s.rounds));
      const full = seats.filter((s) => s.rounds === most);
      const fewest = Math.min(...full.map((s) => s.guesses));
      leaders = full.filter((s) => s.guesses === fewest);
    } else if (this.mode === 'race' && this.#match.firstTo !== undefined && roundWinner !== undefined && roundWinner.wins >= this.#match.firstTo) {
      leaders = [roundWinner];
    } else return false;
    this.#matchOver = true;
    const named = (s: Seat): Named => ({ id: s.id, name: s.name });
    this.#matchResult = {
      winner: leaders.length === 1 && leaders[0] !== undefined ? named(leaders[0]) : null,
      tied: leaders.length > 1 ? leaders.map(named) : [],
    };
    this.#broadcast({ type: 'match_end', rounds: this.#matchPlayed, ...this.#matchResult, standings: this.#standings() });
    return true;
  }

  /** Hands the finished round to whoever keeps results: who guessed in it, and how each did. */
  #record(reason: RoundEndReason, secret: number, guessers: readonly Seat[], winner: Seat | undefined, matchEnded: boolean, now: number): void {
    const record = this.#deps.record;
    if (record === undefined) return;
    const matchWinner = matchEnded ? (this.#matchResult?.winner ?? null) : null;
    const started = this.#startedAt ?? now;
    const players = guessers.map(
      (s): RoomRoundResult['players'][number] => ({
        name: s.name,
        bot: s.bot?.kind ?? null,
        attempts: s.attempts,
        ms: s.found ? Math.max(0, (s.foundAt ?? now) - started) : null,
        found: s.found,
        won: s === winner,
        id: s.id,
      }),
    );
    record({
      endedAt: now,
      room: this.code,
      mode: this.mode,
      dialect: 'json',
      round: this.#round,
      range: { min: this.range.min, max: this.range.max },
      secret,
      reason,
      match: matchEnded ? { winner: matchWinner === null ? null : { name: matchWinner.name, bot: this.#seats.get(matchWinner.id)?.bot !== undefined, id: matchWinner.id } } : null,
      players,
    });
  }

  /**
   * An empty room waits for its code to reach a friend; nobody can join a solo room, so an empty
   * one closes at once (a server with thousands of solo players would otherwise hold their rooms,
   * and a timer each, for a minute after they left).
   */
  #emptyRoomMs(): number {
    return this.mode === 'solo' ? 0 : this.#deps.rules.emptyRoomMs;
  }

  #botMove(now: number): void {
    const seat = this.#botSeat();
    this.#botAt = undefined;
    if (seat?.bot === undefined || this.#state !== 'playing') return;
    this.#judge(seat, seat.bot.next(this.#deps.random), now);
    // The bot's guess can end the round only by finding the secret.
    if (!seat.found) this.#botAt = now + this.#deps.rules.botDelayMs;
  }

  /** The bot's seat when it is guessing in the current round. */
  #botSeat(): Seat | undefined {
    for (const seat of this.#seats.values()) {
      if (seat.bot !== undefined && this.#guessers.has(seat.id) && !seat.found) return seat;
    }
    return undefined;
  }

  #standings(): Standing[] {
    return [...this.#seats.values()].map((s) => ({ id: s.id, name: s.name, wins: s.wins, rounds: s.rounds, guesses: s.guesses }));
  }

  #presence(event: 'joined' | 'left' | 'dropped' | 'returned', player: PlayerId, name: string, role: Role, seat: number | null): RoomEvent {
    return { type: 'presence', event, player, name, role, seat };
  }

  /** To every member but `except`; bots hear nothing. */
  #broadcast(event: RoomEvent, except?: PlayerId): void {
    for (const seat of this.#seats.values()) {
      if (seat.bot === undefined && seat.id !== except) this.#deps.deliver(seat.id, event);
    }
    for (const id of this.#spectators.keys()) if (id !== except) this.#deps.deliver(id, event);
  }
}

/** A guess as the others saw it in `progress`: the number that found the secret is not told while others may still guess. */
function seen(entry: HistoryEntry): SeenGuess {
  return entry.outcome === 'win' ? { outcome: 'win' } : entry;
}

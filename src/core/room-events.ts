/**
 * What a room tells its members. These objects are the server's JSON messages as they go on the
 * wire (the protocol layer adds nothing but framing), so their field names are a contract:
 * docs/PROTOCOL.md describes each one.
 */
import type { Outcome } from './game.js';

export type Mode = 'race' | 'pick' | 'solo';
export type BotKind = 'binary' | 'medium' | 'weak';
export type Role = 'player' | 'spectator';
/** `waiting`: no round yet; `picking`: the picker chooses; `playing`: guesses count; `ended`: between rounds. */
export type RoomState = 'waiting' | 'picking' | 'playing' | 'ended';
export type OutcomeKind = Outcome['kind'];
export type PlayerId = string;

export interface PlayerRef {
  readonly id: PlayerId;
  readonly name: string;
}

export interface SeatView extends PlayerRef {
  /** 1 for the room's creator, then in order of arrival; seats are not reused within a room. */
  readonly seat: number;
  readonly bot: boolean;
  readonly connected: boolean;
  /** Accepted guesses in the current (or last) round. */
  readonly attempts: number;
  /** Whether this player has found the current (or last) round's secret. */
  readonly found: boolean;
}

export interface Standing extends PlayerRef {
  /** Rounds won. */
  readonly wins: number;
  /** Rounds this player guessed in. */
  readonly rounds: number;
  /** Accepted guesses over all those rounds: the pick mode's score (fewest wins the match). */
  readonly guesses: number;
}

export interface HistoryEntry {
  readonly value: number;
  readonly outcome: OutcomeKind;
}

/** A guess as `progress` showed it to the others: the value of the one that found the secret is left out. */
export interface SeenGuess {
  readonly value?: number;
  readonly outcome: OutcomeKind;
}

/** A seat in the `room` snapshot: with its guesses of the current (or last) round, as the others saw them. */
export interface SeatSnapshot extends SeatView {
  readonly guesses: readonly SeenGuess[];
}

/** Where a room's match stands, in pick and race rooms (solo has no match). */
export interface MatchState {
  /** Pick: the match's length in rounds; null before a match with the default length (one per player) starts. Race: null. */
  readonly rounds: number | null;
  /** Race: the wins that end a match, or null when it never ends. Pick: null. */
  readonly firstTo: number | null;
  /** Rounds of this match that have ended. */
  readonly played: number;
  /** A `match_end` was sent, and no `start` has begun the next match yet. */
  readonly over: boolean;
  /** With `over` (`room` snapshot only): who won the match, as `match_end` said. */
  readonly result?: Pick<MatchEndMessage, 'winner' | 'tied'>;
}

/** The whole room as one member sees it: sent on create, join and resume. */
export interface RoomMessage {
  readonly type: 'room';
  readonly code: string;
  readonly mode: Mode;
  readonly min: number;
  readonly max: number;
  readonly maxPlayers: number;
  readonly you: PlayerId;
  readonly role: Role;
  readonly state: RoomState;
  /** Rounds started so far (0 before the first). */
  readonly round: number;
  /** Who picks (pick mode, while picking or playing), else null. */
  readonly picker: PlayerId | null;
  /** sha256 of the current round's secret and salt, once the round is under way; else null. */
  readonly commitment: string | null;
  readonly players: readonly SeatSnapshot[];
  readonly spectators: number;
  /** Your own guesses in the current round, oldest first. */
  readonly history: readonly HistoryEntry[];
  readonly standings: readonly Standing[];
  /** Absent in solo rooms. */
  readonly match?: MatchState;
  /**
   * Only while `state` is `ended`: how the last round ended, as its `round_end` said (the secret is
   * no secret any more), so that a client that joins, reloads or resumes then can show it.
   */
  readonly lastRound?: LastRound;
}

/** A `round_end` without its standings (the snapshot carries those). */
export type LastRound = Omit<RoundEndMessage, 'type' | 'standings'>;

export type PresenceEvent = 'joined' | 'left' | 'dropped' | 'returned';

/** Someone else arrived, left, lost their connection, or came back. */
export interface PresenceMessage {
  readonly type: 'presence';
  readonly event: PresenceEvent;
  readonly player: PlayerId;
  readonly name: string;
  readonly role: Role;
  /** Their seat (players only), null for a spectator. */
  readonly seat: number | null;
}

/** Pick mode: a round is about to start and `picker` has `timeoutMs` to choose the secret. */
export interface PickingMessage {
  readonly type: 'picking';
  readonly round: number;
  readonly picker: PlayerId;
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly timeoutMs: number;
  readonly match: MatchState;
}

/** To the picker alone: the secret it chose was accepted. */
export interface PickedMessage {
  readonly type: 'picked';
  readonly round: number;
  readonly value: number;
}

export interface RoundStartMessage {
  readonly type: 'round_start';
  readonly round: number;
  readonly mode: Mode;
  readonly min: number;
  readonly max: number;
  /** The player who chose the secret (pick mode), or null when the server drew it. */
  readonly picker: PlayerId | null;
  /** Hex sha256 of the secret's decimal digits followed by the salt; the salt comes with `round_end`. */
  readonly commitment: string;
  readonly guessers: readonly PlayerId[];
  /** Absent in solo rooms. */
  readonly match?: MatchState;
}

/** The answer to your own `guess`: `value` is the number you sent. */
export interface ResultMessage {
  readonly type: 'result';
  readonly value: number;
  readonly outcome: OutcomeKind;
  /** The chapter's sentence for the outcome. */
  readonly message: string;
  /** Your accepted guesses in this round, this one included. */
  readonly attempts: number;
}

/** Another player's guess. Its value is withheld when it found the secret (the round may go on). */
export interface ProgressMessage {
  readonly type: 'progress';
  readonly player: PlayerId;
  readonly name: string;
  readonly outcome: OutcomeKind;
  readonly attempts: number;
  readonly value?: number;
}

export type RoundEndReason = 'found' | 'all_found' | 'abandoned';

/** Sent to everyone in the room: the secret and salt that open the commitment, and the standings. */
export interface RoundEndMessage {
  readonly type: 'round_end';
  readonly round: number;
  readonly reason: RoundEndReason;
  readonly winner: PlayerRef | null;
  readonly secret: number;
  readonly salt: string;
  readonly commitment: string;
  readonly standings: readonly Standing[];
}

/**
 * The match is over (its rounds are played, or a race player reached `firstTo` wins). `winner` is
 * null on a tie, and `tied` then names everyone who shares the lead; `standings` are final until
 * the next `start`, which begins a new match with fresh standings.
 */
export interface MatchEndMessage {
  readonly type: 'match_end';
  /** Rounds this match lasted. */
  readonly rounds: number;
  readonly winner: PlayerRef | null;
  readonly tied: readonly PlayerRef[];
  readonly standings: readonly Standing[];
}

/** The answer to `leave`. */
export interface LeftMessage {
  readonly type: 'left';
  readonly code: string;
}

/** The room closed (it stayed empty too long, or the server is stopping). */
export interface ClosedMessage {
  readonly type: 'closed';
  readonly code: string;
  readonly reason: string;
}

export type RoomEvent =
  | RoomMessage
  | PresenceMessage
  | PickingMessage
  | PickedMessage
  | RoundStartMessage
  | ResultMessage
  | ProgressMessage
  | RoundEndMessage
  | MatchEndMessage
  | LeftMessage
  | ClosedMessage;

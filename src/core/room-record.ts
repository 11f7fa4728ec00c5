import type { BotRecord } from './bot.js';
import type { Range } from './game.js';
import type { HistoryEntry, LastRound, Mode, PlayerId, PlayerRef, RoomState } from './room-events.js';

/**
 * A room's whole state as plain data: what a store keeps so that a restarted server goes on with
 * the same seats, round, secret and standings. Times are the clock's values when it was saved;
 * `Room.restore` moves them to the restart.
 */
export interface RoomRecord {
  readonly code: string;
  readonly mode: Mode;
  readonly range: Range;
  readonly maxPlayers: number;
  /** The bot's pace in this room (chosen at create, or the server's then). */
  readonly botDelayMs: number;
  readonly match: { readonly rounds: number | null; readonly firstTo: number | null };
  readonly seats: readonly SeatRecord[];
  readonly spectators: readonly { readonly id: PlayerId; readonly name: string }[];
  readonly nextSeat: number;
  readonly state: RoomState;
  readonly round: number;
  /** Server-side only: a store keeps it, no message ever carries it before `round_end`. */
  readonly secret: { readonly value: number; readonly salt: string; readonly commitment: string } | null;
  readonly picker: PlayerId | null;
  readonly lastPickerSeat: number;
  readonly guessers: readonly PlayerId[];
  readonly foundCount: number;
  readonly departed: readonly DepartedRecord[];
  readonly pickDeadline: number | null;
  readonly botAt: number | null;
  readonly emptySince: number | null;
  readonly matchLength: number | null;
  readonly matchPlayed: number;
  readonly matchOver: boolean;
  /** The last match's result, once it is over (until the next match starts). */
  readonly matchResult: { readonly winner: PlayerRef | null; readonly tied: readonly PlayerRef[] } | null;
  /** How the last round ended, until the next one starts. */
  readonly lastRound: LastRound | null;
  /** When the current (or last) round's guessing began; absent from records written before results were kept. */
  readonly startedAt?: number | null | undefined;
}

export interface SeatRecord {
  readonly id: PlayerId;
  readonly name: string;
  readonly seat: number;
  readonly bot: BotRecord | null;
  readonly connected: boolean;
  readonly dropDeadline: number | null;
  readonly attempts: number;
  readonly found: boolean;
  readonly foundOrder: number;
  /** Absent from records written before results were kept. */
  readonly foundAt?: number | undefined;
  readonly history: readonly HistoryEntry[];
  readonly wins: number;
  readonly rounds: number;
  readonly guesses: number;
}

export interface DepartedRecord {
  readonly id: PlayerId;
  readonly attempts: number;
  readonly found: boolean;
  readonly history: readonly HistoryEntry[];
  readonly guesser: boolean;
}

/** When and how a record comes back. */
export interface RestoreClock {
  /** When the record was saved. */
  readonly savedAt: number;
  /** Now, on the restarted server. */
  readonly now: number;
  /** How long every seat is held from now: nobody's connection survived the restart. */
  readonly holdMs: number;
}

/** A room with the lobby's side of each member (players and spectators): what one store row holds. */
export interface LobbyRoomRecord {
  readonly room: RoomRecord;
  readonly members: readonly MemberRecord[];
}

export interface MemberRecord {
  readonly id: PlayerId;
  readonly name: string;
  /** What `resume` is matched against (the server passes a hash of the token, never the token). */
  readonly token: string;
  /** The number of the last event addressed to it. */
  readonly seq: number;
  /** The number of the last event handed to a live connection of its. */
  readonly sent: number;
}

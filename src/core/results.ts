import { maxBinarySearchGuesses, type Range } from './game.js';
import type { BotKind, Mode, PlayerId, RoundEndReason } from './room-events.js';

/** How a finished game reached the server: a room (JSON, terminal or page) or an anonymous solo game. */
export type Dialect = 'json' | 'plain' | 'classic';

/** One finished round, as kept for the leaderboard and the statistics. */
export interface RoundResult {
  /** Date.now() when the round ended. */
  readonly endedAt: number;
  /** The room's code; null for a plain or classic connection's game, which has no room. */
  readonly room: string | null;
  readonly mode: Mode;
  readonly dialect: Dialect;
  /** The room's round number (1 for the first); a plain or classic connection counts its own. */
  readonly round: number;
  readonly range: Range;
  readonly secret: number;
  readonly reason: RoundEndReason;
  /** Set when this round ended a match: its winner (null for a tie), who may have sat this round out as its picker. */
  readonly match: { readonly winner: Winner | null } | null;
  readonly players: readonly PlayerResult[];
}

export interface PlayerResult {
  /** As the room showed it; '' for a player who gave no name (left out of the leaderboard). */
  readonly name: string;
  /** The bot's level, or null for a person. */
  readonly bot: BotKind | null;
  readonly attempts: number;
  /** Milliseconds from the round's start to the guess that found it; null when not found. */
  readonly ms: number | null;
  readonly found: boolean;
  /** Won the round: the first to find it in a race, the fewest guesses in a pick round, found in solo. */
  readonly won: boolean;
}

export interface Winner {
  /** '' for a player who gave no name. */
  readonly name: string;
  readonly bot: boolean;
}

/** What a room hands over: its players still carry their ids, for the lobby to tell who gave no name. */
export interface RoomRoundResult extends Omit<RoundResult, 'players' | 'match'> {
  readonly players: readonly (PlayerResult & { readonly id: PlayerId })[];
  readonly match: { readonly winner: (Winner & { readonly id: PlayerId }) | null } | null;
}

/**
 * A game a plain or classic connection finished: one anonymous player who found the secret.
 * Its time runs from the round's first guess, since such a client never sees a round start.
 */
export function soloResult(dialect: Dialect, round: number, range: Range, secret: number, attempts: number, startedAt: number, endedAt: number): RoundResult {
  return {
    endedAt,
    room: null,
    mode: 'solo',
    dialect,
    round,
    range: { min: range.min, max: range.max },
    secret,
    reason: 'found',
    match: null,
    players: [{ name: '', bot: null, attempts, ms: endedAt - startedAt, found: true, won: true }],
  };
}

/**
 * Players are their names, compared regardless of case (an honour system: nobody proves who
 * they are), so `Ada` and `ADA` are one line of the leaderboard.
 */
export function playerKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/** The guesses binary search needs at most for the round's range: the yardstick of efficiency. */
export function boundOf(result: RoundResult): number {
  return maxBinarySearchGuesses(result.range);
}

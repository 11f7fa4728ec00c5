import type { Announced, Verdict } from '../../src/core/commitment.js';
import type { RoundStartMessage } from '../../src/core/room-events.js';
import { roomCodeInLink } from '../../src/core/room-code.js';
import type { Step } from './chart.js';

/** Everything the page shows, in one place; the views draw it and never keep state of their own. */
export type Mode = 'solo' | 'race' | 'pick';

/** One guess of a player, as everyone in the room sees it; the winning number is withheld from the others. */
export interface Move {
  readonly value: string | undefined;
  readonly outcome: Step['outcome'];
}

export interface Seat {
  readonly id: string;
  readonly name: string;
  readonly attempts: number;
  /** The hint of this player's last guess, for the others' progress. */
  readonly last: Step['outcome'] | undefined;
  /** This player's guesses in the round, oldest first, as they came (not known for the rounds before a reload). */
  readonly moves: readonly Move[];
  readonly connected: boolean;
  readonly role: 'player' | 'picker' | 'guesser' | 'spectator';
  /** Standings so far, in words (`2 wins`), once a round has ended. */
  readonly score: string | undefined;
}

/** The last `round_end` this page saw, and what its check of the secret said. */
export interface Reveal {
  readonly round: number;
  readonly secret: number;
  readonly salt: string;
  readonly verdict: Verdict;
  /** The verdict in words, the same line the terminal prints. */
  readonly line: string;
}

/** A room's match as the page follows it: `played` counts the rounds of this match that have ended. */
export interface MatchPlan {
  readonly rounds: number | null;
  readonly firstTo: number | null;
  readonly played: number;
}

export interface RoomView {
  readonly code: string;
  readonly mode: Mode;
  readonly range: { min: number; max: number };
  readonly seats: readonly Seat[];
  readonly phase: 'waiting' | 'picking' | 'playing' | 'over';
  readonly round: number;
  /** This page joined as a spectator: it sees every guess and makes none. */
  readonly watching: boolean;
  /** The commitment announced for the round under way, which the reveal is checked against. */
  readonly announced: Announced | undefined;
  /** Kept when the next round starts (in solo it starts at once), until another reveal. */
  readonly reveal: Reveal | undefined;
  readonly winner: { id: string; name: string } | undefined;
  /** The last match's result in words, from its `match_end` until the next round begins. */
  readonly match: string | undefined;
  /** How long the match lasts and how far it is (none in solo). */
  readonly plan: MatchPlan | undefined;
  /** Solo: the round the server started right after the win, held until the player asks for it. */
  readonly next: RoundStartMessage | undefined;
}

export interface AppState {
  readonly link: 'connecting' | 'open' | 'reconnecting';
  readonly linkDetail: string;
  readonly screen: 'landing' | 'joining' | 'game';
  /** A room code from `/r/CODE` or typed by the player, before joining. */
  readonly pendingCode: string | undefined;
  readonly me: { id: string | undefined; name: string };
  readonly room: RoomView | undefined;
  readonly steps: readonly Step[];
  readonly attempts: number;
  readonly notice: string;
  /** The last guess of another player, in words, for the live region that reads them out. */
  readonly heard: string;
  readonly error: string;
  /** A problem with what was typed in the guess or pick field, shown next to it. */
  readonly fieldError: string;
  /** The seat was resumed in another tab: this one waits until the player takes it back. */
  readonly elsewhere: boolean;
}

export function initialState(path: string, name: string): AppState {
  const code = roomCodeInLink(path);
  return {
    link: 'connecting',
    linkDetail: 'Connecting…',
    screen: code === undefined ? 'landing' : 'joining',
    pendingCode: code,
    me: { id: undefined, name },
    room: undefined,
    steps: [],
    attempts: 0,
    notice: '',
    heard: '',
    error: '',
    fieldError: '',
    elsewhere: false,
  };
}

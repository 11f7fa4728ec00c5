import type { Bot } from './bot.js';
import { History } from './history.js';
import type { PlayerId, SeatView } from './room-events.js';

export interface Seat {
  readonly id: PlayerId;
  readonly name: string;
  readonly seat: number;
  readonly bot: Bot | undefined;
  connected: boolean;
  /** When a dropped seat is given up; undefined while connected. */
  dropDeadline: number | undefined;
  attempts: number;
  found: boolean;
  /** 1 for the first to find this round's secret, 2 for the next... */
  foundOrder: number;
  /** When this round's secret was found (the clock's value), for the results kept. */
  foundAt?: number | undefined;
  history: History;
  wins: number;
  rounds: number;
  guesses: number;
}

export interface Spectator {
  readonly id: PlayerId;
  readonly name: string;
  /** Set for a spectator restored after a restart, until it resumes: when it is given up. */
  heldUntil?: number | undefined;
}

export function newSeat(id: PlayerId, name: string, seat: number, bot: Bot | undefined): Seat {
  return { id, name, seat, bot, connected: true, dropDeadline: undefined, attempts: 0, found: false, foundOrder: 0, history: new History(), wins: 0, rounds: 0, guesses: 0 };
}

export function seatView(s: Seat): SeatView {
  return { id: s.id, name: s.name, seat: s.seat, bot: s.bot !== undefined, connected: s.connected, attempts: s.attempts, found: s.found };
}

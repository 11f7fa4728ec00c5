import type { Mode } from './room-events.js';
import { boundOf, playerKey, type RoundResult } from './results.js';

export type Period = 'today' | '7d' | 'all';
export const PERIODS: readonly Period[] = ['today', '7d', 'all'];
/** `all`: every mode together. */
export type ModeFilter = Mode | 'all';
export const MODE_FILTERS: readonly ModeFilter[] = ['all', 'race', 'pick', 'solo'];

/** Rounds a player must have found the secret in to be ranked by efficiency: a lucky first guess is no record. */
export const MIN_ROUNDS = 5;

export interface LeaderboardQuery {
  readonly mode: ModeFilter;
  readonly period: Period;
  readonly minRounds: number;
}

/** The rounds a query looks at: of its mode, ended at `since` or later (undefined: ever). */
export interface ResultFilter {
  readonly mode: ModeFilter;
  readonly since: number | undefined;
}

/** One player's (or one bot's) rounds in a period, added up: what a store aggregates. */
export interface Tally {
  /** The name as last seen (players are compared regardless of case). */
  readonly name: string;
  readonly bot: boolean;
  /** Rounds guessed in. */
  readonly rounds: number;
  /** Rounds in which this player found the secret. */
  readonly found: number;
  /** Race rounds won. */
  readonly raceWins: number;
  /** Pick matches won. */
  readonly matchWins: number;
  /** Over the rounds found: the sum of attempts divided by the binary-search bound of the round's range. */
  readonly boundSum: number;
}

export interface WinsLine {
  /** 1 for the best; players tied share a rank and the next rank skips (1, 1, 3). */
  readonly rank: number;
  readonly name: string;
  readonly wins: number;
  readonly rounds: number;
}

export interface EfficiencyLine {
  readonly rank: number;
  readonly name: string;
  /** Rounds found. */
  readonly rounds: number;
  /**
   * Attempts per round relative to what binary search needs at most for its range, averaged:
   * 1 is as many as the bound (7 for 1..100), below 1 is better. Two decimals.
   */
  readonly vsBound: number;
}

export interface Sections {
  readonly raceWins: readonly WinsLine[];
  readonly matchWins: readonly WinsLine[];
  readonly efficiency: readonly EfficiencyLine[];
}

export interface Leaderboard {
  readonly mode: ModeFilter;
  readonly period: Period;
  readonly minRounds: number;
  /** People, by name; anonymous games are counted in the statistics only. */
  readonly players: Sections;
  readonly bots: Sections;
}

/** When a period starts (the server's local midnight for `today`); undefined for all time. */
export function periodStart(period: Period, now: number): number | undefined {
  if (period === 'all') return undefined;
  if (period === '7d') return now - 7 * 24 * 60 * 60 * 1000;
  const midnight = new Date(now);
  midnight.setHours(0, 0, 0, 0);
  return midnight.getTime();
}

export function matches(result: RoundResult, filter: ResultFilter): boolean {
  return (filter.since === undefined || result.endedAt >= filter.since) && (filter.mode === 'all' || result.mode === filter.mode);
}

/** Adds up results the way a store's query does: for a store that holds them as objects. */
export function tallyResults(results: Iterable<RoundResult>, filter: ResultFilter): Tally[] {
  const tallies = new Map<string, { -readonly [K in keyof Tally]: Tally[K] }>();
  const of = (name: string, bot: boolean): { -readonly [K in keyof Tally]: Tally[K] } => {
    const key = `${bot ? 'bot' : 'person'}:${playerKey(name)}`;
    let tally = tallies.get(key);
    if (tally === undefined) tallies.set(key, (tally = { name, bot, rounds: 0, found: 0, raceWins: 0, matchWins: 0, boundSum: 0 }));
    tally.name = name;
    return tally;
  };
  const sorted = [...results].filter((r) => matches(r, filter)).sort((a, b) => a.endedAt - b.endedAt);
  for (const result of sorted) {
    for (const p of result.players) {
      if (p.name === '') continue;
      const tally = of(p.name, p.bot !== null);
      tally.rounds++;
      if (p.found) {
        tally.found++;
        tally.boundSum += p.attempts / boundOf(result);
      }
      if (p.won && result.mode === 'race') tally.raceWins++;
    }
    const winner = result.match?.winner;
    if (result.mode === 'pick' && winner != null && winner.name !== '') of(winner.name, winner.bot).matchWins++;
  }
  return [...tallies.values()];
}

/** Orders the tallies into the leaderboard's sections, people and bots apart. */
export function rankLeaderboard(tallies: readonly Tally[], query: LeaderboardQuery): Leaderboard {
  const sections = (bot: boolean): Sections => {
    const mine = tallies.filter((t) => t.bot === bot);
    return {
      raceWins: ranked(
        mine.filter((t) => t.raceWins > 0).map((t) => ({ name: t.name, wins: t.raceWins, rounds: t.rounds })),
        (a, b) => b.wins - a.wins || a.rounds - b.rounds,
      ),
      matchWins: ranked(
        mine.filter((t) => t.matchWins > 0).map((t) => ({ name: t.name, wins: t.matchWins, rounds: t.rounds })),
        (a, b) => b.wins - a.wins || a.rounds - b.rounds,
      ),
      efficiency: ranked(
        mine.filter((t) => t.found >= query.minRounds && t.found > 0).map((t) => ({ name: t.name, rounds: t.found, vsBound: Math.round((t.boundSum / t.found) * 100) / 100 })),
        (a, b) => a.vsBound - b.vsBound || b.rounds - a.rounds,
      ),
    };
  };
  return { mode: query.mode, period: query.period, minRounds: query.minRounds, players: sections(false), bots: sections(true) };
}

/** Sorts by `order`, then by name; lines `order` finds equal share a rank. */
function ranked<T extends { readonly name: string }>(lines: T[], order: (a: T, b: T) => number): (T & { rank: number })[] {
  lines.sort((a, b) => order(a, b) || compareNames(a.name, b.name));
  const out: (T & { rank: number })[] = [];
  lines.forEach((line, i) => {
    const before = out[i - 1];
    const rank = before !== undefined && order(before, line) === 0 ? before.rank : i + 1;
    out.push({ rank, ...line });
  });
  return out;
}

function compareNames(a: string, b: string): number {
  const ka = playerKey(a);
  const kb = playerKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** `today`, `7d` or `all` (the default); undefined for anything else. */
export function parsePeriod(text: string | undefined): Period | undefined {
  if (text === undefined || text === '') return 'all';
  return (PERIODS as readonly string[]).includes(text) ? (text as Period) : undefined;
}

/** `race`, `pick`, `solo` or `all` (the default); undefined for anything else. */
export function parseModeFilter(text: string | undefined): ModeFilter | undefined {
  if (text === undefined || text === '') return 'all';
  return (MODE_FILTERS as readonly string[]).includes(text) ? (text as ModeFilter) : undefined;
}

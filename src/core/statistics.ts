import { boundOf, playerKey, type RoundResult } from './results.js';

/**
 * Rounds found, by the attempts they took, for the rounds whose range gives one binary-search
 * bound (7 for 1..100): the chapter's "at most 7", seen in what people and bots really did.
 */
export interface Histogram {
  /** What binary search needs at most for these ranges. */
  readonly bound: number;
  /** The ranges played with this bound, most played first, as `1..100`. */
  readonly ranges: readonly string[];
  /** Rounds found in 1, 2, … attempts; the last entry counts those that took more (`overflow`). */
  readonly people: readonly number[];
  readonly bots: readonly number[];
  /** The attempts past which rounds are counted together in the last entry. */
  readonly overflow: number;
}

/** One player's rounds found, against the bound. */
export interface PlayerStats {
  readonly name: string;
  readonly bot: boolean;
  readonly found: number;
  /** Rounds found within what binary search needs at most. */
  readonly withinBound: number;
  /** Attempts per round found, one decimal. */
  readonly meanAttempts: number;
}

export interface Statistics {
  readonly histograms: readonly Histogram[];
  /** Named players and bots, most rounds found first. */
  readonly players: readonly PlayerStats[];
}

/** Past this many times the bound, rounds share the histogram's last bar. */
const OVERFLOW_FACTOR = 2;

export function statistics(results: Iterable<RoundResult>): Statistics {
  const byBound = new Map<number, { ranges: Map<string, number>; people: number[]; bots: number[]; overflow: number }>();
  const players = new Map<string, { name: string; bot: boolean; found: number; withinBound: number; attempts: number }>();
  for (const result of results) {
    const bound = boundOf(result);
    for (const p of result.players) {
      if (!p.found) continue;
      let histogram = byBound.get(bound);
      if (histogram === undefined) {
        const overflow = OVERFLOW_FACTOR * bound;
        byBound.set(bound, (histogram = { ranges: new Map(), people: new Array<number>(overflow + 1).fill(0), bots: new Array<number>(overflow + 1).fill(0), overflow }));
      }
      const range = `${result.range.min}..${result.range.max}`;
      histogram.ranges.set(range, (histogram.ranges.get(range) ?? 0) + 1);
      const series = p.bot === null ? histogram.people : histogram.bots;
      const bar = Math.min(p.attempts, histogram.overflow + 1) - 1;
      series[bar] = (series[bar] ?? 0) + 1;
      if (p.name === '') continue;
      const key = `${p.bot !== null}:${playerKey(p.name)}`;
      let player = players.get(key);
      if (player === undefined) players.set(key, (player = { name: p.name, bot: p.bot !== null, found: 0, withinBound: 0, attempts: 0 }));
      player.name = p.name;
      player.found++;
      player.attempts += p.attempts;
      if (p.attempts <= bound) player.withinBound++;
    }
  }
  return {
    histograms: [...byBound]
      .sort(([a], [b]) => a - b)
      .map(([bound, h]) => ({
        bound,
        ranges: [...h.ranges].sort((a, b) => b[1] - a[1]).map(([range]) => range),
        people: h.people,
        bots: h.bots,
        overflow: h.overflow,
      })),
    players: [...players.values()]
      .map((p) => ({ name: p.name, bot: p.bot, found: p.found, withinBound: p.withinBound, meanAttempts: Math.round((p.attempts / p.found) * 10) / 10 }))
      .sort((a, b) => Number(a.bot) - Number(b.bot) || b.found - a.found || (playerKey(a.name) < playerKey(b.name) ? -1 : 1)),
  };
}

/** The label of a histogram's bar: `3`, or `15+` for the last one. */
export function barLabel(histogram: Histogram, index: number): string {
  return index === histogram.overflow ? `${histogram.overflow + 1}+` : String(index + 1);
}

/** How many bars say something: up to the last with a round in it, and at least up to the bound. */
export function shownBars(h: Histogram): number {
  let last = h.people.length;
  while (last > h.bound && (h.people[last - 1] ?? 0) === 0 && (h.bots[last - 1] ?? 0) === 0) last--;
  return last;
}

import type { DialectName } from './dialects.js';
import type { LoadResult } from './measure.js';
import type { ServerName } from './servers.js';
import { median } from './startup.js';

/** A cell of the table: its median repetition, and ratios paired repetition by repetition. */
export interface Row extends LoadResult {
  readonly reps: number;
  /** Medians over repetitions of (this ÷ the other cell measured right beside it in the same repetition). */
  readonly vs: {
    /** Guesses/s against the baseline (1 generator process) at the same connection count: our rows, and the bare JSON server's (what speaking JSON costs a bare server). */
    readonly baseline?: number;
    /** RTT p50 against the baseline's. */
    readonly p50Baseline?: number;
    /** Guesses/s against our plain dialect at the same connection count (JSON and WebSocket rows). */
    readonly plain?: number;
    /** Guesses/s against the dialect's bare server (BARE) at the same connection count (JSON and WebSocket rows). */
    readonly bare?: number;
    /** RTT p50 against the bare server's. */
    readonly p50Bare?: number;
    /** Server CPU time per guess against the bare server's. */
    readonly cpuPerGuessBare?: number;
    /** Guesses/s against the same cell driven by one generator process (two-process rows). */
    readonly oneGenerator?: number;
  };
}

/** The bare server each of our dialects is judged against besides the baseline: the same game on `ws` alone, or JSON lines on `node:net` alone. */
export const BARE: Readonly<Partial<Record<DialectName, ServerName>>> = { json: 'bare-json', ws: 'bare-ws' };

export function cellKey(server: string, dialect: string, conns: number, processes: number): string {
  return `${server}/${dialect}/${conns}/${processes}`;
}

/**
 * Turns every repetition of every cell into one row each. Ratios pair the two cells of the same
 * repetition, measured seconds apart, so that a burst of load from elsewhere on the machine
 * slows both sides of a ratio rather than one; the median then drops the odd disturbed pair.
 */
export function aggregate(runs: ReadonlyMap<string, readonly LoadResult[]>): Row[] {
  const pairedMedian = (reps: readonly LoadResult[], otherKey: string, value: (r: LoadResult) => number): number | undefined => {
    const other = runs.get(otherKey);
    if (other === undefined) return undefined;
    const ratios: number[] = [];
    for (let i = 0; i < Math.min(reps.length, other.length); i++) {
      const a = reps[i];
      const b = other[i];
      if (a !== undefined && b !== undefined) ratios.push(value(a) / value(b));
    }
    return ratios.length === 0 ? undefined : median(ratios);
  };
  const rate = (r: LoadResult): number => r.guessesPerSecond;
  const p50 = (r: LoadResult): number => r.p50;
  const cpuPerGuess = (r: LoadResult): number => r.cpu / r.guessesPerSecond;

  return [...runs.entries()].map(([key, reps]) => {
    const chosen = medianRep(reps);
    const { server, dialect, conns, processes } = chosen;
    const bare = BARE[dialect];
    const vs: Row['vs'] =
      server === 'ours'
        ? {
            ...defined('baseline', pairedMedian(reps, cellKey('baseline', 'plain', conns, 1), rate)),
            ...(dialect === 'plain' ? defined('p50Baseline', pairedMedian(reps, cellKey('baseline', 'plain', conns, 1), p50)) : {}),
            ...(dialect === 'plain' ? {} : defined('plain', pairedMedian(reps, cellKey('ours', 'plain', conns, processes), rate))),
            ...(bare === undefined
              ? {}
              : {
                  ...defined('bare', pairedMedian(reps, cellKey(bare, dialect, conns, processes), rate)),
                  ...defined('p50Bare', pairedMedian(reps, cellKey(bare, dialect, conns, processes), p50)),
                  ...defined('cpuPerGuessBare', pairedMedian(reps, cellKey(bare, dialect, conns, processes), cpuPerGuess)),
                }),
          }
        : processes > 1
          ? defined('oneGenerator', pairedMedian(reps, cellKey(server, dialect, conns, 1), rate))
          : server === 'bare-json'
            ? defined('baseline', pairedMedian(reps, cellKey('baseline', 'plain', conns, 1), rate))
            : {};
    if (key !== cellKey(server, dialect, conns, processes)) throw new Error(`cell ${key} holds ${cellKey(server, dialect, conns, processes)}`);
    return {
      ...chosen,
      reps: reps.length,
      errors: reps.reduce((n, r) => n + r.errors, 0),
      errorSamples: reps.flatMap((r) => r.errorSamples).slice(0, 5),
      vs,
    };
  });
}

/** The repetition with the median throughput stands for the cell's figures. */
function medianRep(reps: readonly LoadResult[]): LoadResult {
  const middle = median(reps.map((r) => r.guessesPerSecond));
  const first = reps[0];
  if (first === undefined) throw new Error('a cell with no repetition');
  return reps.reduce((best, r) => (Math.abs(r.guessesPerSecond - middle) < Math.abs(best.guessesPerSecond - middle) ? r : best), first);
}

function defined<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

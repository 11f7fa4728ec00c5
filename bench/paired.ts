import { setTimeout as delay } from 'node:timers/promises';
import type { Range } from '../src/core/game.js';
import type { DialectName } from './dialects.js';
import { Generators } from './generators.js';
import { CpuMeter } from './proc.js';
import type { ServerProcess } from './servers.js';
import { median } from './startup.js';

/** One side of a paired measurement: a running server and the dialect its bots speak. */
export interface PairSide {
  readonly label: string;
  readonly server: ServerProcess;
  readonly dialect: DialectName;
}

export interface PairPlan {
  /** Connections to each server. */
  readonly conns: number;
  readonly range: Range;
  readonly warmupMs: number;
  readonly windowMs: number;
  readonly windows: number;
}

/** One window: each side's server CPU time per guess (µs) and guesses/s, A then B. */
export interface PairWindow {
  readonly cpuPerGuessUs: readonly [number, number];
  readonly guessesPerSecond: readonly [number, number];
}

export interface PairResult {
  readonly labels: readonly [string, string];
  readonly windows: readonly PairWindow[];
  readonly errors: number;
  readonly errorSamples: readonly string[];
}

/**
 * Two servers measured at the same time, each driven by a generator process of its own with the
 * same bots, window after window. Where both servers share one core (see pair.ts), a machine whose
 * speed drifts from one second to the next (a shared host) moves both sides of every ratio alike,
 * which cells measured seconds apart cannot promise: a difference of a few percent in CPU per
 * guess shows in every window rather than drowning in the noise between runs.
 */
export async function measurePair(sides: readonly [PairSide, PairSide], plan: PairPlan): Promise<PairResult> {
  const [a, b] = sides;
  const ga = new Generators(1);
  const gb = new Generators(1);
  const both = <T>(work: (g: Generators, side: PairSide) => Promise<T>): Promise<[T, T]> => Promise.all([work(ga, a), work(gb, b)]);
  try {
    const connects = await both((g, side) => g.connect({ host: '127.0.0.1', port: side.server.port, dialect: side.dialect, conns: plan.conns, range: plan.range }));
    await both((g) => g.start());
    await delay(plan.warmupMs);
    const windows: PairWindow[] = [];
    let errors = connects[0].failed + connects[1].failed;
    const errorSamples = connects.flatMap((c) => (c.firstFailure === undefined ? [] : [`connect failed: ${c.firstFailure}`]));
    for (let w = 0; w < plan.windows; w++) {
      await both((g) => g.mark());
      const meters = [new CpuMeter(a.server.pid), new CpuMeter(b.server.pid)] as const;
      await delay(plan.windowMs);
      const cpu = [meters[0].percent(), meters[1].percent()] as const;
      const [sa, sb] = await both((g) => g.read());
      windows.push({
        cpuPerGuessUs: [(cpu[0] / 100 / sa.guessesPerSecond) * 1e6, (cpu[1] / 100 / sb.guessesPerSecond) * 1e6],
        guessesPerSecond: [sa.guessesPerSecond, sb.guessesPerSecond],
      });
      // Errors count from the start of play, so the last window's figures hold them all.
      if (w === plan.windows - 1) {
        errors += sa.errors + sb.errors;
        errorSamples.push(...sa.errorSamples, ...sb.errorSamples);
      }
    }
    return { labels: [a.label, b.label], windows, errors, errorSamples: errorSamples.slice(0, 5) };
  } finally {
    ga.kill();
    gb.kill();
  }
}

/** B's CPU per guess over A's, window by window. */
export function pairRatios(result: PairResult): number[] {
  return result.windows.map((w) => w.cpuPerGuessUs[1] / w.cpuPerGuessUs[0]);
}

/** The lines `bench/pair.ts` prints: every window, then the medians. */
export function pairReport(result: PairResult): string[] {
  const [a, b] = result.labels;
  const us = (value: number): string => value.toFixed(1);
  const ratios = pairRatios(result);
  const lines = result.windows.map(
    (w, i) =>
      `window ${i + 1}: ${a} ${us(w.cpuPerGuessUs[0])} µs (${Math.round(w.guessesPerSecond[0])}/s), ` +
      `${b} ${us(w.cpuPerGuessUs[1])} µs (${Math.round(w.guessesPerSecond[1])}/s), ${b} / ${a} ${(ratios[i] as number).toFixed(3)}`,
  );
  lines.push(
    `server CPU per guess, median of ${result.windows.length} windows: ${a} ${us(median(result.windows.map((w) => w.cpuPerGuessUs[0])))} µs, ` +
      `${b} ${us(median(result.windows.map((w) => w.cpuPerGuessUs[1])))} µs; ${b} / ${a}: ${median(ratios).toFixed(3)} ` +
      `(${Math.min(...ratios).toFixed(3)}..${Math.max(...ratios).toFixed(3)}); ${result.errors} errors`,
  );
  return lines;
}

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { GUESS_BIN, ROOT } from './servers.js';

export interface StartupResult {
  readonly label: string;
  readonly runs: number;
  /** Median and worst wall time of the whole process, spawn to exit, in milliseconds. */
  readonly medianMs: number;
  readonly maxMs: number;
}

/**
 * Whole-process start time, the way a user feels it: spawn, run, exit. `guess play` is given an
 * empty stdin, so it prints its banner and first prompt, sees end of input and exits.
 */
export async function measureStartup(runs: number): Promise<StartupResult[]> {
  return [
    await timeCommand('node -e 0 (Node itself)', ['-e', '0'], runs),
    await timeCommand('guess --help', [GUESS_BIN, '--help'], runs),
    await timeCommand('guess play', [GUESS_BIN, 'play'], runs),
  ];
}

async function timeCommand(label: string, args: readonly string[], runs: number): Promise<StartupResult> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['pipe', 'ignore', 'ignore'] });
    child.stdin.end();
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`${label} exited with ${String(code)}`);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { label, runs, medianMs: median(times), maxMs: times[times.length - 1] ?? NaN };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

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
 * empty stdin, so it prints its banner and first prompt, sees end of input and exits. The three
 * commands take turns, run after run, so that Node's own start beside them is timed under the
 * same load: on a shared machine it moved from 95 to 134 ms between runs of the bench.
 */
export function measureStartup(runs: number): Promise<StartupResult[]> {
  const commands: StartupCommand[] = [
    { label: 'node -e 0 (Node itself)', args: ['-e', '0'] },
    { label: 'guess --help', args: [GUESS_BIN, '--help'] },
    { label: 'guess play', args: [GUESS_BIN, 'play'] },
  ];
  return inTurns(commands, runs, timeOnce);
}

export interface StartupCommand {
  readonly label: string;
  readonly args: readonly string[];
}

/** Times every command `runs` times, one run of each in turn. */
export async function inTurns(commands: readonly StartupCommand[], runs: number, time: (command: StartupCommand) => Promise<number>): Promise<StartupResult[]> {
  const times = commands.map((): number[] => []);
  for (let i = 0; i < runs; i++) {
    for (const [c, command] of commands.entries()) times[c]?.push(await time(command));
  }
  return commands.map(({ label }, c) => {
    const sorted = [...(times[c] ?? [])].sort((a, b) => a - b);
    return { label, runs, medianMs: median(sorted), maxMs: sorted[sorted.length - 1] ?? NaN };
  });
}

async function timeOnce({ label, args }: StartupCommand): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['pipe', 'ignore', 'ignore'] });
  child.stdin.end();
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${label} exited with ${String(code)}`);
  return performance.now() - started;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { spawnGuess, waitForLine } from './process.js';
import { TEST_SEED } from './test-seed.js';
import { OutputWatcher } from './watch.js';

/**
 * A server drains within its shutdown deadline (5 s by default), and a server of a cluster waits
 * up to 5 s more for Redis: one still running well past both is a bug to report, not to wait for
 * (an `after` hook has no timeout, and would hold the whole suite).
 */
const STOP_BOUND_MS = 20_000;

export interface RunningServer {
  readonly port: number;
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything the server printed on stdout and stderr so far. */
  output(): string;
  /**
   * Resolves with the output from offset `from` on, once it matches `pattern` (checked on every
   * chunk, never on a timer). Pass `output().length` taken earlier to look only at what came since.
   */
  waitFor(pattern: RegExp, from?: number): Promise<string>;
  /** SIGTERM, then the process's end; rejects (after a SIGKILL) if it has not ended within STOP_BOUND_MS. */
  stop(): Promise<void>;
}

/**
 * Starts `guess serve` as a real process on a free loopback port and resolves once it prints
 * `Listening on HOST:PORT`. Logs are JSON so tests can read them. `options` go to spawnGuess.
 * Secrets are seeded (TEST_SEED unless `args` has a `--seed`): tests guess fixed numbers, and
 * against secrets from node:crypto a guess meant to miss would hit one run in a few hundred (a
 * race's first guess of 1 in 1..1000 did, and the round a restart test meant to resume had ended).
 */
export async function startServer(
  args: readonly string[] = [],
  options: { readonly env?: NodeJS.ProcessEnv; readonly nodeArgs?: readonly string[] } = {},
): Promise<RunningServer> {
  const seed = args.includes('--seed') ? [] : ['--seed', String(TEST_SEED)];
  const child = spawnGuess(['serve', '--port', '0', '--log-format', 'json', ...seed, ...args], options.env, options.nodeArgs);
  const output = new OutputWatcher(child, [child.stdout, child.stderr]);
  const listening = await waitForLine(child.stdout, (line) => line.startsWith('Listening on '));
  const port = Number(/:(\d+)$/.exec(listening)?.[1]);
  return {
    port,
    child,
    output: () => output.text(),
    waitFor: (pattern, from = 0) => output.waitFor(pattern, from),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const closed = once(child, 'close');
      child.kill('SIGTERM');
      let bound: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (bound = setTimeout(() => resolve('late'), STOP_BOUND_MS)));
      const outcome = await Promise.race([closed, late]);
      clearTimeout(bound);
      if (outcome !== 'late') return;
      child.kill('SIGKILL');
      await closed;
      throw new Error(`guess serve ${args.join(' ')} was still running ${STOP_BOUND_MS} ms after SIGTERM`);
    },
  };
}

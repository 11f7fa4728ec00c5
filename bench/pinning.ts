import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/**
 * Which cores the measured server and the load generators run on. Left to the scheduler, a
 * server and its generators trade cores from one moment to the next, and the kernel work of a
 * loopback write lands on whichever core sent it: two runs of the same cell differ by a tenth,
 * and a server whose generator works harder (JSON, WebSocket) is measured on less of a core. So
 * the server gets the last core to itself and the generators the others, with `taskset`
 * (util-linux); with one core, or without `taskset`, nothing is pinned and the report says so.
 * A cluster's workers are never pinned: they are there to use every core.
 */
export interface Pinning {
  /** `taskset -c` lists: the server's core, and the generators' cores. */
  readonly server: string;
  readonly generators: string;
}

export const pinning: Pinning | undefined = plan();

function plan(): Pinning | undefined {
  const cores = availableParallelism();
  if (cores < 2 || process.env.GUESS_BENCH_PIN === '0') return undefined;
  if (spawnSync('taskset', ['-c', '0', 'true']).status !== 0) return undefined;
  const last = cores - 1;
  return { server: String(last), generators: last === 1 ? '0' : `0-${last - 1}` };
}

/** The command that runs `node ...args` on `cores`, or node alone when nothing is pinned. */
export function pinned(cores: string | undefined, args: readonly string[]): { command: string; args: string[] } {
  if (cores === undefined) return { command: process.execPath, args: [...args] };
  return { command: 'taskset', args: ['-c', cores, process.execPath, ...args] };
}

/** One line for the report. */
export function pinningLine(): string {
  return pinning === undefined
    ? 'Nothing is pinned (one core, or no `taskset`): the server and the generators share every core.'
    : `The server runs on core ${pinning.server} alone and the load generators on core${pinning.generators.includes('-') ? 's' : ''} ${pinning.generators} (\`taskset\`), as in the measurements the targets came from; a cluster's workers are not pinned.`;
}

import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawnGuess } from './process.js';
import { OutputWatcher } from './watch.js';

/** A `guess host` or `guess join --room` process with its stdout watched. */
export interface RoomCli {
  readonly child: ChildProcessWithoutNullStreams;
  readonly out: OutputWatcher;
  /** Types one line. */
  type(line: string): void;
  /** Waits for `pattern` in what was printed after the current end of output. */
  expect(pattern: RegExp, from?: number): Promise<string>;
  stop(): void;
}

export function spawnRoomCli(args: readonly string[]): RoomCli {
  const child = spawnGuess(args);
  const out = new OutputWatcher(child, [child.stdout, child.stderr]);
  return {
    child,
    out,
    type: (line) => child.stdin.write(`${line}\n`),
    expect: (pattern, from = 0) => out.waitFor(pattern, from),
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/**
 * Plays the round under way by binary search through the terminal, reading each printed answer
 * (`Too small!  (50, guess 1)`) before typing the next guess. Resolves the number of guesses.
 */
export async function searchInTerminal(cli: RoomCli, min: number, max: number): Promise<number> {
  let low = min;
  let high = max;
  for (let guesses = 1; ; guesses++) {
    const guess = low + Math.floor((high - low) / 2);
    const from = cli.out.text().length;
    cli.type(String(guess));
    const seen = await cli.expect(new RegExp(`(Too small!|Too big!|Exactly! You win!)  \\(${guess}, guess \\d+\\)`), from);
    if (seen.includes('Exactly! You win!')) return guesses;
    if (seen.includes('Too small!')) low = guess + 1;
    else high = guess - 1;
    if (low > high) throw new Error('the server contradicted itself');
  }
}

import type { Range } from '../../src/core/game.js';
import { finished, spawnGuess, type Finished } from './process.js';
import { OutputWatcher } from './watch.js';

export const PROMPT = 'Please input your guess: ';

/**
 * Plays `guess join ARGS` through its piped stdin by binary search over `range`, reading each
 * answer before typing the next guess, then declines another round. Resolves the guesses taken
 * and how the process ended.
 */
export async function joinByBinarySearch(args: readonly string[], range: Range): Promise<{ guesses: number; result: Finished }> {
  const child = spawnGuess(['join', ...args]);
  const done = finished(child);
  try {
    const out = new OutputWatcher(child, [child.stdout]);
    let lo = range.min;
    let hi = range.max;
    let guesses = 0;
    await out.waitFor(new RegExp(PROMPT));
    for (;;) {
      const guess = Math.floor((lo + hi) / 2);
      const from = out.text().length;
      child.stdin.write(`${guess}\n`);
      guesses++;
      const seen = await out.waitFor(/(Too small!|Too big!|Exactly! You win!)\n/, from);
      if (seen.includes('Exactly! You win!')) break;
      if (seen.includes('Too small!')) lo = guess + 1;
      else hi = guess - 1;
      if (lo > hi) throw new Error('the server contradicted itself');
    }
    await out.waitFor(/Play again\? \[y\/n\] /);
    child.stdin.end('n\n');
    return { guesses, result: await done };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

import type { Range } from '../../src/core/game.js';
import { finished, spawnGuess, type Finished } from './process.js';
import { OutputWatcher } from './watch.js';

export const PROMPT = 'Please input your guess: ';

/**
 * Plays `guess join ARGS` through its piped stdin by binary search over `range`, reading each
 * answer before typing the next guess; answers y to "Play again?" until `rounds` rounds are won,
 * then n. Resolves the guesses taken in all, the number that won each round, and how the process ended.
 */
export async function joinByBinarySearch(
  args: readonly string[],
  range: Range,
  rounds = 1,
): Promise<{ guesses: number; wins: number[]; result: Finished }> {
  const child = spawnGuess(['join', ...args]);
  const done = finished(child);
  try {
    const out = new OutputWatcher(child, [child.stdout]);
    let guesses = 0;
    const wins: number[] = [];
    let from = 0;
    await out.waitFor(new RegExp(PROMPT));
    for (;;) {
      let lo = range.min;
      let hi = range.max;
      for (;;) {
        const guess = Math.floor((lo + hi) / 2);
        from = out.text().length;
        child.stdin.write(`${guess}\n`);
        guesses++;
        const seen = await out.waitFor(/(Too small!|Too big!|Exactly! You win!)\n/, from);
        if (seen.includes('Exactly! You win!')) {
          wins.push(guess);
          break;
        }
        if (seen.includes('Too small!')) lo = guess + 1;
        else hi = guess - 1;
        if (lo > hi) throw new Error('the server contradicted itself');
      }
      await out.waitFor(/Play again\? \[y\/n\] /, from);
      if (wins.length === rounds) break;
      const asked = out.text().length;
      child.stdin.write('y\n');
      await out.waitFor(new RegExp(PROMPT), asked);
    }
    child.stdin.end('n\n');
    return { guesses, wins, result: await done };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

import type { Range } from '../../src/core/game.js';
import { parseReply } from '../../src/protocol/plain.js';

export type Verdict = 'low' | 'high' | 'win';

/** Plays one round by halving the range; resolves the secret found and the guesses it took. */
export async function binarySearch(
  range: Range,
  ask: (guess: number) => Promise<Verdict>,
): Promise<{ secret: number; guesses: number }> {
  let lo = range.min;
  let hi = range.max;
  for (let guesses = 1; lo <= hi; guesses++) {
    const guess = Math.floor((lo + hi) / 2);
    const verdict = await ask(guess);
    if (verdict === 'win') return { secret: guess, guesses };
    if (verdict === 'low') lo = guess + 1;
    else hi = guess - 1;
  }
  throw new Error(`no secret left in [${range.min}, ${range.max}]: the judge contradicted itself`);
}

/** A reply sentence as a verdict; anything else is a failure of the test. */
export function verdictOf(reply: string): Verdict {
  const kind = parseReply(reply);
  if (kind === undefined || kind === 'not-integer') throw new Error(`unexpected reply ${JSON.stringify(reply)}`);
  return kind;
}

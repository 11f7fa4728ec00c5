import { randomInt } from 'node:crypto';
import { seededRandom, type RandomInt } from '../core/random.js';

/** Secrets from node:crypto (unbiased, unpredictable) unless a seed asks for a reproducible sequence. */
export function chooseRandom(seed: number | undefined): RandomInt {
  if (seed !== undefined) return seededRandom(seed);
  // Drawn as an offset so that ranges near ±2^53 stay within what randomInt accepts.
  return (min, max) => min + randomInt(0, max - min + 1);
}

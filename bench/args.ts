import type { Range } from '../src/core/game.js';

/** A command line a bench script refuses: said in one line with the script's usage, status 2. */
export class UsageError extends Error {}

export function positiveInt(text: string, what: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0) throw new UsageError(`${what} must be a positive integer, got '${text}'`);
  return value;
}

/** The servers' range from `--min` and `--max`. */
export function rangeOf(min: number, max: number): Range {
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max) throw new UsageError('--min and --max must be integers, min ≤ max');
  return { min, max };
}

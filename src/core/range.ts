import type { Range } from './game.js';
import { MAX_SPAN } from './random.js';

/** Why a range is unusable, in words a user can act on; undefined when it is fine. */
export function rangeProblem(range: Range): string | undefined {
  if (!Number.isSafeInteger(range.min)) return `--min must be an integer, got ${String(range.min)}`;
  if (!Number.isSafeInteger(range.max)) return `--max must be an integer, got ${String(range.max)}`;
  if (range.min > range.max) return `--min (${range.min}) must not be greater than --max (${range.max})`;
  if (range.max - range.min >= MAX_SPAN) return `the range is too wide: max - min must be below 2^48`;
  return undefined;
}

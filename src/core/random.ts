/**
 * Randomness is injected into the core as a function, never read from a global,
 * so tests and `--seed` can pin every secret.
 */
export type RandomInt = (min: number, max: number) => number;

/** The widest span `[min, max]` a generator must cover; node:crypto's `randomInt` has the same bound. */
export const MAX_SPAN = 2 ** 48;

const UINT32 = 2 ** 32;

/**
 * A seeded generator (sfc32, state expanded from the seed with splitmix32): the same seed
 * gives the same sequence on every platform. Integers are drawn by rejection sampling so
 * that every value in the range is equally likely.
 */
export function seededRandom(seed: number): RandomInt {
  // The high word is multiplied before mixing: a plain XOR made seeds -1 and 0 (and 1 and 2^32) alike.
  let s = (seed >>> 0) ^ Math.imul(Math.floor(seed / UINT32), 0x9e3779b9);
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Warm up so that nearby seeds give unrelated first outputs.
  for (let i = 0; i < 12; i++) next();
  return (min, max) => uniformInt(next, min, max);
}

/** An unbiased integer in `[min, max]` from a source of uniform 32-bit words. */
export function uniformInt(next32: () => number, min: number, max: number): number {
  checkRange(min, max);
  const span = max - min + 1;
  if (span <= UINT32) {
    // Largest multiple of span that fits in 32 bits: words at or above it are redrawn.
    const limit = UINT32 - (UINT32 % span);
    let x = next32();
    while (x >= limit) x = next32();
    return min + (x % span);
  }
  // Wider spans combine two words into 48 bits.
  const limit = MAX_SPAN - (MAX_SPAN % span);
  let x = (next32() % 65536) * UINT32 + next32();
  while (x >= limit) x = (next32() % 65536) * UINT32 + next32();
  return min + (x % span);
}

function checkRange(min: number, max: number): void {
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max || max - min >= MAX_SPAN) {
    throw new RangeError(`invalid range [${min}, ${max}]`);
  }
}

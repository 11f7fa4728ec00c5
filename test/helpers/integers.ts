import fc from 'fast-check';
import type { OutcomeKind } from '../../src/core/room-events.js';

/**
 * The rule for integers of any size, written independently of the product with BigInt: what a
 * guess is worth, and what it is answered.
 */
const HUGE = 2n ** 53n;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The value the server reads and echoes for the integer `n`: itself, or ±2^53 beyond ±(2^53 − 1). */
export function echoOf(n: bigint): number {
  if (n > SAFE) return Number(HUGE);
  if (n < -SAFE) return -Number(HUGE);
  return Number(n);
}

export function outcomeOf(secret: number, n: bigint): OutcomeKind {
  const s = BigInt(secret);
  return n < s ? 'low' : n > s ? 'high' : 'win';
}

/**
 * The exact value of a JSON number literal when it is whole, else undefined. Past an exponent of
 * ±10000 only the sign matters, and the value returned is a stand-in of the same sign.
 */
export function wholeValueOf(literal: string): bigint | undefined {
  const match = /^(-?)([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/.exec(literal);
  if (match === null) throw new Error(`not a JSON number: ${literal}`);
  const [, sign = '', integer = '', fraction = '', exponent = '0'] = match;
  const mantissa = BigInt(`${sign}${integer}${fraction}`);
  if (mantissa === 0n) return 0n;
  if (BigInt(exponent) > 10_000n) return mantissa * 10n ** 10_000n;
  if (BigInt(exponent) < -10_000n) return undefined;
  const scale = BigInt(fraction.length) - BigInt(exponent);
  if (scale <= 0n) return mantissa * 10n ** -scale;
  const unit = 10n ** scale;
  return mantissa % unit === 0n ? mantissa / unit : undefined;
}

/**
 * Integers as a person might type them: a sign or none, leading zeros, and anything from one
 * digit to hundreds; small ones near a secret of 7 are common, so that wins and both sides of it
 * come up.
 */
export const typedInteger: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('', '', '+', '-'),
    fc.nat({ max: 3 }),
    fc.oneof(
      fc.integer({ min: 0, max: 20 }).map(String),
      fc.stringMatching(/^[1-9][0-9]{14,17}$/),
      fc.stringMatching(/^[1-9][0-9]{18,420}$/),
    ),
  )
  .map(([sign, zeros, digits]) => `${sign}${'0'.repeat(zeros)}${digits}`);

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { replay } from './helpers/replay.js';
import fc from 'fast-check';
import { MAX_SPAN, seededRandom, uniformInt } from '../src/core/random.js';
import { chooseRandom } from '../src/cli/random.js';
import { CHI_SQUARE_CRITICAL, chiSquareUniform, histogram } from './helpers/chi-square.js';

const UINT32_MAX = 2 ** 32 - 1;


describe('seededRandom', () => {
  it('pins its first outputs for seed 42', () => {
    const secrets = seededRandom(42);
    assert.deepEqual(
      Array.from({ length: 10 }, () => secrets(1, 100)),
      [80, 56, 63, 88, 56, 56, 91, 34, 95, 86],
    );
    const raw = seededRandom(42);
    assert.deepEqual(
      Array.from({ length: 5 }, () => raw(0, UINT32_MAX)),
      [3825871779, 1851418855, 1383259262, 890322987, 2796912455],
    );
  });

  it('gives the same sequence for the same seed', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 10_000 }), (seed, min, span) => {
        const a = seededRandom(seed);
        const b = seededRandom(seed);
        for (let i = 0; i < 20; i++) assert.equal(a(min, min + span), b(min, min + span));
      }),
    );
  });

  it('gives different sequences for different seeds near zero, negative ones included', () => {
    const seen = new Map<string, number>();
    for (let seed = -2000; seed <= 2000; seed++) {
      const next = seededRandom(seed);
      const key = `${next(0, UINT32_MAX)},${next(0, UINT32_MAX)}`;
      assert.equal(seen.get(key), undefined, `seeds ${seen.get(key)} and ${seed} give the same sequence`);
      seen.set(key, seed);
    }
  });

  it('draws secrets uniformly over [1, 100] (chi-square, p = 0.001, df = 99)', () => {
    const next = seededRandom(2024);
    const counts = histogram(() => next(1, 100), 100_000, 1, 100, 100);
    const statistic = chiSquareUniform(counts);
    assert.ok(statistic < CHI_SQUARE_CRITICAL.df99p1e3, `chi-square ${statistic.toFixed(1)} over 100 bins`);
  });

  it('has no modulo bias on a span that does not divide 2^32 (chi-square, p = 0.001, df = 2)', () => {
    // Span 3·2^30: a plain `word % span` would land in the first third twice as often.
    const span = 3 * 2 ** 30;
    const next = seededRandom(7);
    const statistic = chiSquareUniform(histogram(() => next(0, span - 1), 30_000, 0, span - 1, 3));
    assert.ok(statistic < CHI_SQUARE_CRITICAL.df2p1e3, `chi-square ${statistic.toFixed(1)} over 3 bins`);
  });

  it('has no bias on spans wider than 32 bits either (chi-square, p = 0.001, df = 2)', () => {
    const span = 3 * 2 ** 46;
    const next = seededRandom(11);
    const statistic = chiSquareUniform(histogram(() => next(-(2 ** 40), -(2 ** 40) + span - 1), 30_000, -(2 ** 40), -(2 ** 40) + span - 1, 3));
    assert.ok(statistic < CHI_SQUARE_CRITICAL.df2p1e3, `chi-square ${statistic.toFixed(1)} over 3 bins`);
  });
});

describe('uniformInt', () => {
  it('redraws words from the biased tail instead of folding them', () => {
    // For span 100 the last 2^32 mod 100 = 96 words are refused.
    assert.equal(uniformInt(replay(UINT32_MAX, 2 ** 32 - 96, 5), 1, 100), 6);
    assert.equal(uniformInt(replay(2 ** 32 - 97), 1, 100), 1 + ((2 ** 32 - 97) % 100));
  });

  it('returns min when the range holds one value', () => {
    assert.equal(uniformInt(replay(123), 7, 7), 7);
  });

  it('stays within [min, max] for any range and words', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 50), max: 2 ** 50 }),
        fc.integer({ min: 0, max: MAX_SPAN - 1 }),
        fc.array(fc.integer({ min: 0, max: UINT32_MAX }), { minLength: 64, maxLength: 64 }),
        (min, span, source) => {
          // The given words, then zeros (always accepted), so every draw ends.
          let i = 0;
          const next = () => source[i++] ?? 0;
          const value = uniformInt(next, min, min + span);
          assert.ok(value >= min && value <= min + span, `${value} outside [${min}, ${min + span}]`);
        },
      ),
    );
  });

  it('refuses ranges it cannot draw from', () => {
    assert.throws(() => uniformInt(replay(0), 5, 4), RangeError);
    assert.throws(() => uniformInt(replay(0), 0, MAX_SPAN), RangeError);
    assert.throws(() => uniformInt(replay(0), 0.5, 4), RangeError);
  });
});

describe('the default (node:crypto) source', () => {
  // These two tests draw from an unseeded source, so they can fail by pure chance: the
  // threshold is set at p = 1e-6, i.e. about one false alarm in a million runs.
  it('draws secrets uniformly over [1, 100] (chi-square, p = 1e-6, df = 99)', () => {
    const random = chooseRandom(undefined);
    const statistic = chiSquareUniform(histogram(() => random(1, 100), 200_000, 1, 100, 100));
    assert.ok(statistic < CHI_SQUARE_CRITICAL.df99p1e6, `chi-square ${statistic.toFixed(1)} over 100 bins`);
  });

  it('has no modulo bias on a span of 3·2^30 (chi-square, p = 1e-6, df = 2)', () => {
    const random = chooseRandom(undefined);
    const span = 3 * 2 ** 30;
    const statistic = chiSquareUniform(histogram(() => random(0, span - 1), 30_000, 0, span - 1, 3));
    assert.ok(statistic < CHI_SQUARE_CRITICAL.df2p1e6, `chi-square ${statistic.toFixed(1)} over 3 bins`);
  });

  it('follows the seed when one is given', () => {
    const a = chooseRandom(42);
    const b = seededRandom(42);
    for (let i = 0; i < 10; i++) assert.equal(a(1, 100), b(1, 100));
  });
});

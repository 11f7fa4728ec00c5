import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SoloGame, maxBinarySearchGuesses } from '../src/core/game.js';
import { binarySearch } from './helpers/binary-search.js';

describe('binary search against the core', () => {
  it('knows the bound for small ranges', () => {
    assert.equal(maxBinarySearchGuesses({ min: 1, max: 1 }), 1);
    assert.equal(maxBinarySearchGuesses({ min: 1, max: 100 }), 7);
    assert.equal(maxBinarySearchGuesses({ min: 1, max: 1024 }), 11);
    assert.equal(maxBinarySearchGuesses({ min: -5, max: 5 }), 4);
  });

  it('always wins within floor(log2(max - min + 1)) + 1 guesses (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        async (min, width, at) => {
          const range = { min, max: min + width };
          const secret = min + Math.floor(at * (width + 1));
          const game = new SoloGame(range, () => secret);
          const result = await binarySearch(range, (guess) => Promise.resolve(game.guess(guess).kind));
          assert.equal(result.secret, secret);
          assert.ok(result.guesses <= maxBinarySearchGuesses(range), `${result.guesses} guesses in a range of ${width + 1}`);
          assert.equal(game.round.attempts, result.guesses);
        },
      ),
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SENTENCES, SoloGame, compare, sentenceOf } from '../src/core/game.js';
import { seededRandom } from '../src/core/random.js';
import { replay } from './helpers/replay.js';

describe('compare', () => {
  it('answers out-of-range and infinite guesses truthfully', () => {
    assert.equal(compare(42, 10), 'low');
    assert.equal(compare(42, 90), 'high');
    assert.equal(compare(42, 42), 'win');
    assert.equal(compare(1, -5), 'low');
    assert.equal(compare(100, Infinity), 'high');
    assert.equal(compare(1, -Infinity), 'low');
  });
});

describe('SoloGame', () => {
  it('answers with the chapter\u2019s sentences and counts attempts, out-of-range guesses too', () => {
    const game = new SoloGame({ min: 1, max: 100 }, replay(42));
    assert.equal(sentenceOf(game.guess(10)), 'Too small!');
    assert.equal(sentenceOf(game.guess(500)), 'Too big!');
    assert.equal(game.round.attempts, 2);
    const win = game.guess(42);
    assert.deepEqual(win, { kind: 'win', attempts: 3 });
    assert.equal(sentenceOf(win), SENTENCES.win);
    assert.equal(game.round.won, true);
  });

  it('starts a new round with a fresh secret on the guess after a win', () => {
    const game = new SoloGame({ min: 1, max: 100 }, replay(7, 8));
    assert.equal(game.guess(7).kind, 'win');
    assert.equal(game.round.secret, 7);
    assert.equal(game.guess(7).kind, 'low');
    assert.equal(game.round.secret, 8);
    assert.equal(game.round.attempts, 1);
    assert.equal(game.rounds, 2);
  });

  it('is reproducible under a seed', () => {
    const a = new SoloGame({ min: 1, max: 100 }, seededRandom(42));
    const b = new SoloGame({ min: 1, max: 100 }, seededRandom(42));
    assert.equal(a.round.secret, b.round.secret);
  });
});

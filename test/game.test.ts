import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SENTENCES, SoloGame, judge, newRound, sentenceOf } from '../src/core/game.js';
import { seededRandom } from '../src/core/random.js';
import { replay } from './helpers/replay.js';

describe('judge', () => {
  it('answers with the chapter\u2019s sentences and counts attempts', () => {
    let round = newRound({ min: 1, max: 100 }, replay(42));
    const low = judge(round, 10);
    assert.equal(sentenceOf(low.outcome), 'Too small!');
    round = low.round;
    const high = judge(round, 90);
    assert.equal(sentenceOf(high.outcome), 'Too big!');
    const win = judge(high.round, 42);
    assert.deepEqual(win.outcome, { kind: 'win', attempts: 3 });
    assert.equal(sentenceOf(win.outcome), SENTENCES.win);
    assert.equal(win.round.won, true);
  });

  it('answers out-of-range guesses truthfully and counts them', () => {
    const round = newRound({ min: 1, max: 100 }, replay(1));
    assert.equal(judge(round, 500).outcome.kind, 'high');
    assert.equal(judge(round, -5).outcome.kind, 'low');
    assert.equal(judge(round, Infinity).outcome.kind, 'high');
    assert.equal(judge(round, 500).round.attempts, 1);
  });
});

describe('SoloGame', () => {
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

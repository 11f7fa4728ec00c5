import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlayerResult, RoundResult } from '../src/core/results.js';
import { barLabel, shownBars, statistics } from '../src/core/statistics.js';

function round(range: { min: number; max: number }, players: PlayerResult[]): RoundResult {
  return { endedAt: 1, room: null, mode: 'race', dialect: 'json', round: 1, range, secret: 1, reason: 'found', match: null, players };
}

const p = (name: string, attempts: number, found = true, bot: PlayerResult['bot'] = null): PlayerResult => ({ name, bot, attempts, ms: null, found, won: found });
const HUNDRED = { min: 1, max: 100 };

describe('the statistics that teach binary search', () => {
  it('rounds found by attempts, people and bots apart, one histogram per bound, past twice the bound together', () => {
    const stats = statistics([
      round(HUNDRED, [p('Ada', 3), p('Bob', 9, false), p('Bot', 7, true, 'binary')]),
      round({ min: 0, max: 99 }, [p('Ada', 7), p('', 30)]),
      round({ min: 1, max: 1_000_000 }, [p('Ada', 18)]),
    ]);
    assert.deepEqual(
      stats.histograms.map((h) => ({ bound: h.bound, ranges: h.ranges, overflow: h.overflow })),
      [
        { bound: 7, ranges: ['1..100', '0..99'], overflow: 14 },
        { bound: 20, ranges: ['1..1000000'], overflow: 40 },
      ],
    );
    const [seven] = stats.histograms;
    assert.ok(seven !== undefined);
    assert.deepEqual(seven.people, [0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
    assert.deepEqual(seven.bots, [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert.equal(barLabel(seven, 14), '15+');
    assert.equal(barLabel(seven, 2), '3');
    assert.equal(shownBars(seven), 15);
    assert.deepEqual(stats.players, [
      // Ada: 3 and 7 within their bound of 7, 18 within 20: all three; (3 + 7 + 18) / 3 = 9.3.
      { name: 'Ada', bot: false, found: 3, withinBound: 3, meanAttempts: 9.3 },
      { name: 'Bot', bot: true, found: 1, withinBound: 1, meanAttempts: 7 },
    ]);
  });

  it('bars past the last round found are left out, never those up to the bound', () => {
    const [h] = statistics([round(HUNDRED, [p('Ada', 2)])]).histograms;
    assert.ok(h !== undefined);
    assert.equal(shownBars(h), 7);
    const [late] = statistics([round(HUNDRED, [p('Ada', 9)])]).histograms;
    assert.ok(late !== undefined);
    assert.equal(shownBars(late), 9);
  });
});

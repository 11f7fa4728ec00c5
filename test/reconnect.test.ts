import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { seededRandom } from '../src/core/random.js';
import {
  DROP_WINDOW_MS,
  FIRST_PAUSE_MS,
  JITTER,
  MAX_PAUSE_MS,
  MAX_WINDOW_MS,
  nominalPauseMs,
  reconnectPauseMs,
  retryWindowMs,
} from '../src/protocol/reconnect.js';

/**
 * Plays the policy out against a server that never comes back, each failed attempt taking
 * `connectMs`: when each attempt started, and when the client gave up, counted from the drop.
 */
function attempts(windowMs: number, random: () => number, connectMs = 0): { times: number[]; gaveUpAt: number } {
  const times: number[] = [];
  let now = 0;
  for (let attempt = 1; attempt < 10_000; attempt++) {
    const pause = reconnectPauseMs(attempt, now, windowMs, random);
    if (pause === undefined) return { times, gaveUpAt: now };
    now += pause;
    times.push(now);
    now += connectMs;
  }
  throw new Error('the policy never gives up');
}

/** A seeded source of numbers in [0, 1), as Math.random gives them. */
function unitRandom(seed: number): () => number {
  const next = seededRandom(seed);
  return () => next(0, 0xffff_ffff) / 2 ** 32;
}

const randoms = fc.integer().map(unitRandom);

describe('the reconnect policy', () => {
  it('waits 0.25 s, doubling to 5 s, each pause within 20% of that', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 50].map(nominalPauseMs), [250, 500, 1000, 2000, 4000, 5000, 5000]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const pause = reconnectPauseMs(attempt, 0, Number.MAX_SAFE_INTEGER, () => r);
        const nominal = nominalPauseMs(attempt);
        assert.ok(pause !== undefined && pause >= nominal * (1 - JITTER) - 0.5 && pause <= nominal * (1 + JITTER) + 0.5, `${pause} for ${nominal}`);
        assert.ok(nominal >= FIRST_PAUSE_MS && nominal <= MAX_PAUSE_MS);
      }),
      { seed: 3 },
    );
  });

  it('spreads the clients of one server over time instead of sending them back at once', () => {
    const first = Array.from({ length: 100 }, (_, seed) => reconnectPauseMs(1, 0, DROP_WINDOW_MS, unitRandom(seed)));
    assert.ok(new Set(first).size > 20, `only ${new Set(first).size} distinct first pauses`);
  });

  it('tries for the whole window and stops right after it, whatever the random draws and the connect times', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200_000 }), randoms, fc.integer({ min: 0, max: 3000 }), (windowMs, random, connectMs) => {
        const { times, gaveUpAt } = attempts(windowMs, random, connectMs);
        assert.ok(times.length >= 1, 'at least one attempt');
        assert.ok(gaveUpAt >= windowMs, `gave up at ${gaveUpAt} ms, before the window of ${windowMs} ms closed`);
        const last = times[times.length - 1] ?? 0;
        assert.ok(last <= windowMs, `an attempt at ${last} ms, after the window of ${windowMs} ms`);
        // With attempts that fail at once, the last one is made as the window closes.
        if (connectMs === 0) assert.equal(last, windowMs);
        for (let i = 1; i < times.length; i++) assert.ok((times[i] ?? 0) - (times[i - 1] ?? 0) <= MAX_PAUSE_MS * (1 + JITTER) + connectMs + 1);
      }),
      { seed: 4 },
    );
  });

  it('keeps trying for twice what the server announced, or the seat hold after a silent drop', () => {
    assert.equal(retryWindowMs(undefined), DROP_WINDOW_MS);
    assert.equal(retryWindowMs(60_000), 120_000);
    assert.equal(retryWindowMs(3_000), 6_000, "the server's default: a restart takes about a second");
    assert.equal(retryWindowMs(-5), 0);
    assert.equal(retryWindowMs(1e12), MAX_WINDOW_MS, 'a server cannot keep a client trying forever');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_WINDOW_MS / 2 }), (announced) => assert.ok(retryWindowMs(announced) >= announced)),
      { seed: 5 },
    );
  });
});

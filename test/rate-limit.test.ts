import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RateLimiter, type Admission } from '../src/server/rate-limit.js';

/** Sends `count` messages at time `at`; returns what the limiter said to each. */
function burst(limiter: RateLimiter, at: number, count: number): Admission[] {
  return Array.from({ length: count }, () => limiter.admit(at));
}

describe('RateLimiter', () => {
  it('admits up to the limit in a second, then answers excess', () => {
    const limiter = new RateLimiter(3);
    assert.deepEqual(burst(limiter, 0, 5), ['ok', 'ok', 'ok', 'excess', 'excess']);
    assert.deepEqual(burst(limiter, 999, 1), ['excess']);
    assert.deepEqual(burst(limiter, 1000, 3), ['ok', 'ok', 'ok']);
  });

  it('closes a connection over the limit three seconds in a row', () => {
    const limiter = new RateLimiter(2);
    assert.deepEqual(burst(limiter, 0, 3).at(-1), 'excess');
    assert.deepEqual(burst(limiter, 1000, 3).at(-1), 'excess');
    assert.deepEqual(burst(limiter, 2000, 3).at(-1), 'close');
  });

  it('forgives excess once a second stays under the limit or passes in silence', () => {
    const calm = new RateLimiter(2);
    burst(calm, 0, 3);
    burst(calm, 1000, 3);
    burst(calm, 2000, 1);
    assert.equal(burst(calm, 3000, 3).at(-1), 'excess');
    const quiet = new RateLimiter(2);
    burst(quiet, 0, 3);
    burst(quiet, 1000, 3);
    assert.equal(burst(quiet, 3500, 3).at(-1), 'excess');
  });

  it('never refuses with no limit (loopback), at any rate (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: 5000 }), fc.nat({ max: 200 })), { maxLength: 20 }), (bursts) => {
        const limiter = new RateLimiter(Number.POSITIVE_INFINITY);
        let now = 0;
        for (const [gap, count] of bursts) {
          now += gap;
          if (burst(limiter, now, count).some((a) => a !== 'ok')) return false;
        }
        return true;
      }),
    );
  });

  it('never admits more than the limit in any one window (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.array(fc.tuple(fc.nat({ max: 1500 }), fc.nat({ max: 100 })), { maxLength: 20 }), (limit, bursts) => {
        const limiter = new RateLimiter(limit);
        let now = 0;
        let windowStart = Number.NEGATIVE_INFINITY;
        let admitted = 0;
        for (const [gap, count] of bursts) {
          now += gap;
          // The limiter's window opens at a message, not at a burst of none.
          if (count > 0 && now - windowStart >= 1000) {
            windowStart = now;
            admitted = 0;
          }
          admitted += burst(limiter, now, count).filter((a) => a === 'ok').length;
          if (admitted > limit) return false;
        }
        return true;
      }),
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RateLimiter, type Admission } from '../src/server/rate-limit.js';

/** Time between bursts, often right at a window's edge, where an off-by-one would show. */
const GAP = fc.oneof(fc.constantFrom(0, 1, 999, 1000, 1001), fc.nat({ max: 1500 }));

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

  it('answers a timeline of messages as written out here', () => {
    // Limit 3. A window opens at a message and lasts 1,000 ms. Over the limit at 0 and 1000 (two
    // strikes); under it at 2000, which forgives them; two strikes again at 3500 and 4500; two
    // silent seconds forgive those; then over at 6500, 7500 and 8500: the third strike closes.
    const limiter = new RateLimiter(3);
    const timeline: Array<[number, Admission]> = [
      [0, 'ok'], [0, 'ok'], [400, 'ok'], [400, 'excess'], [999, 'excess'],
      [1000, 'ok'], [1500, 'ok'], [1999, 'ok'], [1999, 'excess'],
      [2000, 'ok'], [2999, 'ok'],
      [3500, 'ok'], [3500, 'ok'], [3500, 'ok'], [3500, 'excess'],
      [4500, 'ok'], [4500, 'ok'], [4500, 'ok'], [4500, 'excess'],
      [6500, 'ok'], [6500, 'ok'], [6500, 'ok'], [6500, 'excess'],
      [7500, 'ok'], [7500, 'ok'], [7500, 'ok'], [7500, 'excess'], [8499, 'excess'],
      [8500, 'ok'], [8500, 'ok'], [8500, 'ok'], [8500, 'close'], [8500, 'close'],
    ];
    assert.deepEqual(
      timeline.map(([at]) => limiter.admit(at)),
      timeline.map(([, admission]) => admission),
    );
  });

  it('never refuses a sender that keeps to the limit in every second (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.nat({ max: 400 }), { maxLength: 200 }), (limit, gaps) => {
        // Times at which the sender may send: no 1,000 ms span ever holds more than `limit` of them.
        const times: number[] = [];
        let now = 0;
        for (const gap of gaps) {
          now += gap;
          if (times.filter((t) => t > now - 1000).length < limit) times.push(now);
        }
        const limiter = new RateLimiter(limit);
        return times.every((t) => limiter.admit(t) === 'ok');
      }),
    );
  });

  it('admits fewer than twice the limit in any 1,000 ms span, however the sender floods (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.tuple(GAP, fc.nat({ max: 60 })), { maxLength: 30 }), (limit, bursts) => {
        const limiter = new RateLimiter(limit);
        const admitted: number[] = [];
        let now = 0;
        for (const [gap, count] of bursts) {
          now += gap;
          for (let i = 0; i < count; i++) if (limiter.admit(now) === 'ok') admitted.push(now);
        }
        // A window lasts a second and opens at a message, so a span meets at most two, and a span
        // that reaches into the second misses the message that opened the first.
        return admitted.every((start) => admitted.filter((t) => t >= start && t < start + 1000).length <= 2 * limit - 1);
      }),
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SENTENCES } from '../src/core/game.js';
import type { RoomEvent } from '../src/core/room-events.js';
import { unpackEvents } from '../src/protocol/kept-events.js';
import { encodeNumbered } from '../src/protocol/messages.js';
import { PendingEvents } from '../src/server/pending-events.js';

// A result as the rules make it (its outcome's sentence) or not (another message, a value or an
// attempts count no integer form holds), and events of other kinds.
const result = fc.record({
  type: fc.constant('result' as const),
  value: fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.double({ noNaN: true }), fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 53, -0, 1e21)),
  outcome: fc.constantFrom('low' as const, 'high' as const, 'win' as const),
  message: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.string() }),
  attempts: fc.oneof(fc.nat(), fc.constantFrom(2 ** 48 - 1, 2 ** 48, Number.MAX_SAFE_INTEGER, 0.5)),
}).map(({ message, ...r }): RoomEvent => ({ ...r, message: message ?? SENTENCES[r.outcome] }));
const other = fc.constantFrom<RoomEvent>(
  { type: 'closed', code: 'ABCDE', reason: 'The room was closed' },
  { type: 'presence', event: 'left', player: 'p2', name: 'Bob' } as unknown as RoomEvent,
);
const steps = fc.array(fc.oneof({ weight: 5, arbitrary: fc.record({ event: fc.oneof({ weight: 4, arbitrary: result }, other) }) }, fc.record({ drop: fc.nat(5) })), { maxLength: 60 });

describe('the events waiting for the store', () => {
  it('give back exactly the texts sent after any number, whatever was dropped before it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), steps, fc.nat(80), (first, script, after) => {
        const pending = new PendingEvents(first, undefined);
        const sent: string[] = [];
        let dropped = 0;
        for (const step of script) {
          if ('event' in step) {
            const seq = first + sent.length;
            const text = encodeNumbered(step.event, seq);
            pending.push(step.event, text);
            sent.push(text);
          } else {
            const count = Math.min(step.drop, sent.length - dropped);
            pending.dropOldest(count);
            dropped += count;
          }
        }
        assert.equal(pending.first, first + dropped);
        assert.equal(pending.last, first + sent.length - 1);
        assert.equal(pending.length, sent.length - dropped);
        const seq = first - 1 + after;
        const expected = sent.slice(Math.max(dropped, after));
        assert.deepEqual(pending.keptAfter(seq).map(unpackEvents), expected);
        // A result the rules make waits in its short form (made from numbers); anything else as sent.
        const short = (event: RoomEvent): boolean =>
          event.type === 'result' && event.message === SENTENCES[event.outcome] && Number.isSafeInteger(event.value) && Number.isSafeInteger(event.attempts) && event.attempts < 2 ** 48;
        const events = script.flatMap((step) => ('event' in step ? [step.event] : []));
        pending.keptAfter(seq).forEach((kept, i) => {
          const event = events[events.length - expected.length + i] as RoomEvent;
          assert.equal(kept.startsWith('\x01'), short(event), kept);
        });
      }),
      { seed: 20261130, numRuns: 500 },
    );
  });
});

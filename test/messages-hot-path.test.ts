import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SENTENCES } from '../src/core/game.js';
import type { ResultMessage } from '../src/core/room-events.js';
import { decodeClientMessage, encodeNumbered, encodeServerMessage } from '../src/protocol/messages.js';
import { echoOf, wholeValueOf } from './helpers/integers.js';

const GUESS_PREFIX = '{"type":"guess","value":';

// The JSON dialect's hot path skips the generic code for guesses and results; these properties
// hold it to exactly what the generic code does.
describe('the JSON hot path', () => {
  const result = fc.record({
    type: fc.constant('result' as const),
    value: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(Number.MAX_SAFE_INTEGER, -0, 1e21, -1e300)),
    outcome: fc.constantFrom('low' as const, 'high' as const, 'win' as const),
    message: fc.oneof(fc.constantFrom(...Object.values(SENTENCES)), fc.string()),
    attempts: fc.oneof(fc.nat(), fc.double()),
  });

  it('writes a result exactly as JSON.stringify would', () => {
    fc.assert(
      fc.property(result, (message: ResultMessage) => {
        assert.equal(encodeServerMessage(message), JSON.stringify(message));
      }),
    );
  });

  it('numbers a result exactly as JSON.stringify would write it with seq last', () => {
    fc.assert(
      fc.property(result, fc.nat(), (message: ResultMessage, seq) => {
        assert.equal(encodeNumbered(message, seq), JSON.stringify({ ...message, seq }));
      }),
    );
    const closed = { type: 'closed', code: 'ABCDE', reason: 'The room was closed' } as const;
    assert.equal(encodeNumbered(closed, 7), JSON.stringify({ ...closed, seq: 7 }));
  });

  it('reads a guess as the schema does: an integer value, nothing else kept', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }), (value, extra) => {
        const decoded = decodeClientMessage(JSON.stringify({ ...extra, type: 'guess', value }));
        if (typeof value === 'number' && Number.isInteger(value)) {
          // JSON has no negative zero: -0 is written as 0 and read back as 0. An integer beyond
          // ±(2^53 - 1) is read as ±2^53.
          assert.deepEqual(decoded, { ok: true, message: { type: 'guess', value: echoOf(BigInt(value)) } });
        } else if (typeof value === 'number') {
          assert.equal(decoded.ok ? 'ok' : decoded.error.code, 'E_NOT_INTEGER');
        } else {
          assert.equal(decoded.ok ? 'ok' : decoded.error.code, 'E_BAD_MESSAGE');
        }
      }),
    );
  });

  it('reads a guess in its compact form exactly as the long way does', () => {
    const expected = (text: string): unknown => {
      let raw: { value?: unknown };
      try {
        raw = JSON.parse(text) as { value?: unknown };
      } catch {
        return 'E_BAD_JSON';
      }
      if (typeof raw.value !== 'number') return 'E_BAD_MESSAGE';
      const whole = wholeValueOf(text.slice(GUESS_PREFIX.length).trim().slice(0, -1).trim());
      return whole === undefined ? 'E_NOT_INTEGER' : { type: 'guess', value: echoOf(whole) };
    };
    // What follows the prefix: digits mostly, with whatever could fool a hand-written reader.
    const tail = fc.oneof(
      fc.stringMatching(/^-?[0-9]{0,20}\}$/),
      fc.array(fc.constantFrom(...Array.from('0123456789-+.eE }}"\n')), { maxLength: 24 }).map((chars) => chars.join('')),
    );
    fc.assert(
      fc.property(tail, (rest) => {
        const text = `${GUESS_PREFIX}${rest}`;
        const decoded = decodeClientMessage(text);
        assert.deepEqual(decoded.ok ? decoded.message : decoded.error.code, expected(text), text);
      }),
      { numRuns: 2000 },
    );
  });
});

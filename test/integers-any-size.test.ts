import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compare } from '../src/core/game.js';
import { integerLiteral, parseGuess } from '../src/core/guess.js';
import { integerMessage } from '../src/protocol/integer-message.js';
import { decodeClientMessage } from '../src/protocol/messages.js';
import { echoOf, outcomeOf, typedInteger, wholeValueOf } from './helpers/integers.js';

const SECRET = 7;

describe('integers of any size, read and judged', () => {
  it('parseGuess and compare answer any typed integer as BigInt does', () => {
    fc.assert(
      fc.property(typedInteger, (typed) => {
        const n = BigInt(typed);
        const parsed = parseGuess(typed);
        assert.ok(parsed.ok, typed);
        assert.equal(parsed.value, echoOf(n), typed);
        assert.equal(compare(SECRET, parsed.value), outcomeOf(SECRET, n), typed);
      }),
      { seed: 5, numRuns: 500 },
    );
  });

  it('a client writes the typed integer as its exact JSON literal, and the server reads it back', () => {
    fc.assert(
      fc.property(typedInteger, fc.constantFrom('guess' as const, 'pick' as const), (typed, type) => {
        const n = BigInt(typed);
        assert.equal(integerLiteral(` ${typed}\n`), n.toString());
        const text = integerMessage(type, typed);
        assert.equal(text, `{"type":"${type}","value":${n.toString()}}`);
        assert.deepEqual(decodeClientMessage(text), { ok: true, message: { type, value: echoOf(n) } });
      }),
      { seed: 6, numRuns: 500 },
    );
    assert.equal(integerMessage('guess', '4.2'), undefined);
    assert.equal(integerMessage('guess', '1e3'), undefined);
  });

  it('reads a JSON number literal of any size and form by its exact value', () => {
    // Whole or not, in every form JSON allows, with members around it that could fool a reader.
    const literal = fc
      .tuple(
        fc.constantFrom('', '-'),
        fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9][0-9]{0,400}$/)),
        fc.option(fc.stringMatching(/^\.[0-9]{1,30}$/)),
        fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.integer({ min: 0, max: 450 }))),
      )
      .map(([sign, integer, fraction, exponent]) => `${sign}${integer}${fraction ?? ''}${exponent === null ? '' : exponent.join('')}`);
    const frame = fc.constantFrom(
      (v: string) => `{"type":"guess","value":${v}}`,
      (v: string) => `{ "value" : ${v} , "type" : "guess" }`,
      (v: string) => `{"type":"pick","note":"\\"value\\":1}","value":${v},"x":{"value":[2,"}"]}}`,
      (v: string) => `{"value":1.5,"type":"guess","val\\u0075e":${v}}`,
      (v: string) => `{"name":"values","type":"guess","value":${v}}`,
      (v: string) => `{"type":"guess","value":${v},"x":{"value":1.5}}`,
      (v: string) => `{"type":"guess","x":[{"value":1.5}],"value":${v}}`,
    );
    fc.assert(
      fc.property(literal, frame, (value, write) => {
        const text = write(value);
        const whole = wholeValueOf(value);
        const decoded = decodeClientMessage(text);
        const read = decoded.ok ? (decoded.message as { value?: unknown }).value : decoded.error.code;
        assert.equal(read, whole === undefined ? 'E_NOT_INTEGER' : echoOf(whole), text);
      }),
      { seed: 7, numRuns: 1000 },
    );
  });

  it('judges what rounding would hide: fractions too small for a double, exponents too large', () => {
    const read = (value: string): unknown => {
      const decoded = decodeClientMessage(`{"type":"guess","value":${value}}`);
      return decoded.ok ? decoded.message : decoded.error.code;
    };
    assert.equal(read('100.0000000000000001'), 'E_NOT_INTEGER');
    assert.equal(read('1e-400'), 'E_NOT_INTEGER');
    assert.equal(read('4.9999999999999999'), 'E_NOT_INTEGER');
    assert.deepEqual(read('1e400'), { type: 'guess', value: 2 ** 53 });
    assert.deepEqual(read('-1e99999999999999999999'), { type: 'guess', value: -(2 ** 53) });
    assert.deepEqual(read('0.0e-99999999999999999999'), { type: 'guess', value: 0 });
    assert.deepEqual(read('50.0'), { type: 'guess', value: 50 });
    assert.deepEqual(read('-0'), { type: 'guess', value: 0 });
    assert.deepEqual(read(String(Number.MAX_SAFE_INTEGER)), { type: 'guess', value: Number.MAX_SAFE_INTEGER });
  });
});

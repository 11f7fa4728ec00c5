import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  CLIENT_MESSAGE_TYPES,
  MAX_NAME_LENGTH,
  decodeClientMessage,
  encodeServerMessage,
  errorMessage,
  type ClientMessage,
} from '../src/protocol/messages.js';
import { ERRORS } from '../src/protocol/errors.js';

function code(text: string): string | undefined {
  const decoded = decodeClientMessage(text);
  return decoded.ok ? undefined : decoded.error.code;
}

function ok(text: string): ClientMessage {
  const decoded = decodeClientMessage(text);
  assert.ok(decoded.ok, `refused: ${text}`);
  return decoded.message;
}

describe('decoding client messages', () => {
  it('knows exactly the documented types', () => {
    assert.deepEqual([...CLIENT_MESSAGE_TYPES].sort(), ['create', 'guess', 'hello', 'join', 'leave', 'pick', 'resume', 'start']);
  });

  it('refuses each kind of bad line with its own code', () => {
    assert.equal(code('not json'), 'E_BAD_JSON');
    assert.equal(code('[1,2]'), 'E_BAD_JSON');
    assert.equal(code('null'), 'E_BAD_JSON');
    assert.equal(code('"hello"'), 'E_BAD_JSON');
    assert.equal(code('{}'), 'E_UNKNOWN_TYPE');
    assert.equal(code('{"type":7}'), 'E_UNKNOWN_TYPE');
    assert.equal(code('{"type":"toString"}'), 'E_UNKNOWN_TYPE');
    assert.equal(code('{"type":"__proto__"}'), 'E_UNKNOWN_TYPE');
    assert.equal(code('{"type":"guess"}'), 'E_BAD_MESSAGE');
    assert.equal(code('{"type":"guess","value":"42"}'), 'E_BAD_MESSAGE');
    assert.equal(code('{"type":"guess","value":4.5}'), 'E_NOT_INTEGER');
    assert.equal(code('{"type":"pick","value":1.5}'), 'E_NOT_INTEGER');
    assert.equal(code('{"type":"create","mode":"duel"}'), 'E_BAD_MESSAGE');
    // A room's bot pace is bounded: 100 to 10,000 ms between guesses.
    assert.equal(code('{"type":"create","mode":"race","bot":"weak","botDelayMs":99}'), 'E_BAD_MESSAGE');
    assert.equal(code('{"type":"create","mode":"race","bot":"weak","botDelayMs":10001}'), 'E_BAD_MESSAGE');
    assert.equal(code('{"type":"create","mode":"race","bot":"weak","botDelayMs":1.5}'), 'E_BAD_MESSAGE');
    assert.deepEqual(decodeClientMessage('{"type":"create","mode":"race","bot":"weak","botDelayMs":100}'), {
      ok: true,
      message: { type: 'create', mode: 'race', bot: 'weak', botDelayMs: 100 },
    });
    assert.equal(code('{"type":"create","mode":"race","bot":true}'), 'E_BAD_MESSAGE');
    assert.equal(code('{"type":"join"}'), 'E_BAD_MESSAGE');
    assert.equal(code('{"type":"resume","token":5}'), 'E_BAD_MESSAGE');
  });

  it('names the offending field', () => {
    const decoded = decodeClientMessage('{"type":"guess","value":"42"}');
    assert.ok(!decoded.ok);
    assert.match(decoded.error.message, /guess\.value/);
  });

  it('ignores unknown fields and normalises what it keeps', () => {
    assert.deepEqual(ok('{"type":"guess","value":42,"extra":{"a":1}}'), { type: 'guess', value: 42 });
    assert.deepEqual(ok('{"type":"join","code":" k7pqm "}'), { type: 'join', code: 'K7PQM' });
    assert.deepEqual(ok('{"type":"hello","name":" Ada\\u0007\\u001b[2J "}'), { type: 'hello', name: 'Ada[2J' });
    const long = ok(`{"type":"hello","name":"${'é'.repeat(40)}"}`);
    assert.equal(long.type === 'hello' ? long.name : undefined, 'é'.repeat(MAX_NAME_LENGTH));
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((value) => JSON.stringify(value))), (text) => {
        const decoded = decodeClientMessage(text);
        if (!decoded.ok) assert.ok(Object.hasOwn(ERRORS, decoded.error.code));
      }),
    );
  });

  it('decodes what a client encodes, for every valid guess, pick and create', () => {
    const message = fc.oneof(
      fc.record({ type: fc.constantFrom('guess' as const, 'pick' as const), value: fc.integer() }),
      fc.record(
        {
          type: fc.constant('create' as const),
          mode: fc.constantFrom('race' as const, 'pick' as const, 'solo' as const),
          min: fc.integer(),
          max: fc.integer(),
          bot: fc.constantFrom('binary' as const, 'weak' as const),
        },
        { requiredKeys: ['type', 'mode'] },
      ),
    );
    fc.assert(fc.property(message, (m) => assert.deepEqual(ok(JSON.stringify(m)), { ...m })));
  });
});

describe('encoding server messages', () => {
  it('writes one line of JSON with the error code and message', () => {
    const text = encodeServerMessage(errorMessage('E_ROOM_FULL'));
    assert.ok(!text.includes('\n'));
    assert.deepEqual(JSON.parse(text), { type: 'error', code: 'E_ROOM_FULL', message: ERRORS.E_ROOM_FULL });
  });
});

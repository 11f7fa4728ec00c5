import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseGuess } from '../src/core/guess.js';
import { detectDialect } from '../src/protocol/detect.js';
import { ERRORS } from '../src/protocol/errors.js';
import { LineDecoder } from '../src/protocol/line-decoder.js';
import { CLIENT_MESSAGE_TYPES, decodeClientMessage } from '../src/protocol/messages.js';
import { escapeBytes } from '../src/protocol/trace.js';
import { cut, hostileChunks } from './helpers/fuzz.js';

const RUNS = { numRuns: 500 };

describe('fuzzing detection', () => {
  it('never throws, and once it decides, more bytes never change its mind', () => {
    fc.assert(
      fc.property(hostileChunks, (chunks) => {
        let head = Buffer.alloc(0);
        let decided: ReturnType<typeof detectDialect>;
        for (const chunk of chunks) {
          head = Buffer.concat([head, chunk]);
          const now = detectDialect(head);
          if (decided !== undefined) assert.equal(now, decided);
          decided = now;
        }
      }),
      RUNS,
    );
  });

  it('is always decided once an LF has arrived', () => {
    fc.assert(
      fc.property(hostileChunks, (chunks) => {
        const bytes = Buffer.concat(chunks);
        if (detectDialect(bytes) !== undefined || bytes.length === 0) return;
        assert.ok(!bytes.includes(0x0a), `undecided on ${escapeBytes(bytes)}`);
      }),
      RUNS,
    );
  });
});

describe('fuzzing line framing and guesses', () => {
  it('never throws nor keeps more than one line, whatever the bytes and their chunking', () => {
    fc.assert(
      fc.property(hostileChunks, fc.array(fc.nat({ max: 800 }), { maxLength: 10 }), fc.integer({ min: 16, max: 64 }), (chunks, offsets, max) => {
        const decoder = new LineDecoder(max);
        let failed = false;
        for (const chunk of cut(Buffer.concat(chunks), offsets)) {
          const error = decoder.push(chunk, (line) => {
            // A line of at most `max` bytes decodes to at most `max` UTF-16 units, even as U+FFFD.
            assert.ok(line.length <= max, `a line of ${line.length} characters passed a ${max}-byte limit`);
            const guess = parseGuess(line);
            if (guess.ok) assert.ok(Number.isInteger(guess.value) || !Number.isFinite(guess.value));
          });
          if (error !== undefined) {
            assert.equal(error.code, 'E_LINE_TOO_LONG');
            failed = true;
          }
          assert.ok(decoder.pendingBytes <= max + 1, `holds ${decoder.pendingBytes} bytes`);
        }
        if (failed) assert.equal(decoder.pendingBytes, 0);
      }),
      RUNS,
    );
  });
});

describe('fuzzing JSON messages', () => {
  const adversarial = fc.oneof(
    fc.constantFrom(
      '{"type":"hello","__proto__":{"polluted":true}}',
      '{"type":"constructor"}',
      '{"type":"toString"}',
      '{"type":"__proto__"}',
      '{"type":"guess","value":1e308}',
      '{"type":"guess","value":-0}',
      '{"type":"guess","value":"50"}',
      '{"type":"guess","value":[50]}',
      '{"type":"create","mode":"race","min":-9007199254740993,"max":9007199254740993}',
      `{"type":"hello","name":"${'\u202e'.repeat(100)}"}`,
      `${'['.repeat(5000)}${']'.repeat(5000)}`,
      `{"type":"hello","name":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}}`,
      '{"type":"join","code":null}',
      '{"type":"resume","token":""}',
      '\u0000{"type":"hello"}',
      '{"type":"hello"}{"type":"hello"}',
    ),
    fc.record({ type: fc.constantFrom(...CLIENT_MESSAGE_TYPES, 'x', ''), value: fc.jsonValue(), code: fc.jsonValue(), mode: fc.jsonValue(), name: fc.jsonValue(), token: fc.jsonValue() }, { requiredKeys: ['type'] }).map((o) => JSON.stringify(o)),
    fc.string({ unit: 'binary' }),
  );

  it('never throws, answers every line with a known type or a registered code, and pollutes nothing', () => {
    fc.assert(
      fc.property(adversarial, (text) => {
        const decoded = decodeClientMessage(text);
        if (decoded.ok) assert.ok(CLIENT_MESSAGE_TYPES.includes(decoded.message.type));
        else assert.ok(Object.hasOwn(ERRORS, decoded.error.code), decoded.error.code);
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
      }),
      RUNS,
    );
  });
});

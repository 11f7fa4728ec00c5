import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isProtocolError } from '../src/protocol/errors.js';
import { LineDecoder } from '../src/protocol/line-decoder.js';
import { cut } from './helpers/fuzz.js';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

/** Feeds the chunks in order; returns the lines and whether the limit was broken. */
function decode(chunks: readonly Uint8Array[], maxLineBytes = 1024): { lines: string[]; failed: boolean } {
  const decoder = new LineDecoder(maxLineBytes);
  const lines: string[] = [];
  let failed = false;
  for (const chunk of chunks) {
    if (decoder.push(Buffer.from(chunk), (line) => lines.push(line)) !== undefined) failed = true;
  }
  return { lines, failed };
}


describe('LineDecoder', () => {
  it('splits lines at LF and drops a CR before it', () => {
    // "42\n" "7\r\n" "\n"
    assert.deepEqual(decode([hex('34 32 0a 37 0d 0a 0a')]).lines, ['42', '7', '']);
  });

  it('keeps a CR that is not right before the LF', () => {
    assert.deepEqual(decode([hex('34 0d 32 0a')]).lines, ['4\r2']);
  });

  it('reassembles a line spanning multiple writes', () => {
    assert.deepEqual(decode([hex('34'), hex('32'), hex('0a')]).lines, ['42']);
  });

  it('reassembles a CRLF split between CR and LF', () => {
    assert.deepEqual(decode([hex('34 32 0d'), hex('0a 39 0a')]).lines, ['42', '9']);
  });

  it('decodes a multi-byte UTF-8 character split across chunks', () => {
    // "é" is C3 A9; "😀" is F0 9F 98 80.
    assert.deepEqual(decode([hex('c3'), hex('a9 0a')]).lines, ['é']);
    assert.deepEqual(decode([hex('f0 9f'), hex('98'), hex('80 0a')]).lines, ['😀']);
  });

  it('holds back an unfinished line and counts its bytes', () => {
    const decoder = new LineDecoder(16);
    const lines: string[] = [];
    assert.equal(decoder.push(hex('34 32'), (l) => lines.push(l)), undefined);
    assert.equal(lines.length, 0);
    assert.equal(decoder.pendingBytes, 2);
    decoder.push(hex('0a'), (l) => lines.push(l));
    assert.deepEqual(lines, ['42']);
    assert.equal(decoder.pendingBytes, 0);
  });

  it('accepts a line of exactly the maximum length, with LF or CRLF', () => {
    const line = 'x'.repeat(16);
    assert.deepEqual(decode([Buffer.from(`${line}\n`)], 16), { lines: [line], failed: false });
    assert.deepEqual(decode([Buffer.from(`${line}\r`), Buffer.from('\n')], 16), { lines: [line], failed: false });
  });

  it('fails as soon as a line is known to be too long, and keeps nothing of it', () => {
    const decoder = new LineDecoder(16);
    const lines: string[] = [];
    assert.equal(decoder.push(Buffer.from('x'.repeat(16)), (l) => lines.push(l)), undefined);
    // The 17th byte is not a CR, so no line ending can make this line fit any more.
    const error = decoder.push(Buffer.from('x'), (l) => lines.push(l));
    assert.ok(isProtocolError(error));
    assert.equal(error.code, 'E_LINE_TOO_LONG');
    assert.equal(error.name, 'ProtocolError');
    assert.match(error.message, /16 bytes/);
    assert.equal(decoder.pendingBytes, 0);
  });

  it('waits for the LF after a CR that ends a maximal line, then fails if it does not come', () => {
    const decoder = new LineDecoder(16);
    assert.equal(decoder.push(Buffer.from(`${'x'.repeat(16)}\r`), () => {}), undefined);
    assert.equal(decoder.pendingBytes, 17);
    assert.ok(isProtocolError(decoder.push(Buffer.from('y'), () => {})));
    assert.equal(decoder.pendingBytes, 0);
  });

  it('fails on a long line inside one big chunk, after delivering the lines before it', () => {
    const big = Buffer.from(`ok\n${'x'.repeat(100_000)}\nlater\n`);
    const decoder = new LineDecoder(16);
    const lines: string[] = [];
    assert.ok(isProtocolError(decoder.push(big, (l) => lines.push(l))));
    assert.deepEqual(lines, ['ok']);
    assert.equal(decoder.pendingBytes, 0);
  });

  it('accepts nothing after the limit was broken', () => {
    const decoder = new LineDecoder(16);
    const lines: string[] = [];
    decoder.push(Buffer.from('x'.repeat(40)), (l) => lines.push(l));
    assert.equal(decoder.push(Buffer.from('\n42\n'), (l) => lines.push(l)), undefined);
    assert.equal(lines.length, 0);
    assert.equal(decoder.pendingBytes, 0);
  });

  it('never holds more than one line\u2019s worth of bytes (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 20 }), (chunks) => {
        const decoder = new LineDecoder(16);
        for (const chunk of chunks) {
          decoder.push(Buffer.from(chunk), () => {});
          assert.ok(decoder.pendingBytes <= 17, `holding ${decoder.pendingBytes} bytes`);
        }
      }),
    );
  });

  it('gives the same lines (and the same verdict on length) for any chunking (property)', () => {
    // Bytes biased towards LF, CR and the start of multi-byte characters.
    const byte = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x0a, 0x0d, 0xc3, 0xa9, 0x34));
    fc.assert(
      fc.property(
        fc.array(byte, { maxLength: 120 }).map((b) => Uint8Array.from(b)),
        fc.array(fc.nat({ max: 120 }), { maxLength: 12 }),
        fc.constantFrom(8, 16, 1024),
        (bytes, offsets, max) => {
          assert.deepEqual(decode(cut(bytes, offsets), max), decode([bytes], max));
          assert.deepEqual(decode(cut(bytes, [...bytes.keys()]), max), decode([bytes], max));
        },
      ),
    );
  });

  it('decodes what was encoded, with LF or CRLF endings (property)', () => {
    const text = fc.string({ unit: 'binary', maxLength: 30 }).filter((s) => !s.includes('\n') && !s.endsWith('\r'));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, fc.boolean()), { maxLength: 10 }),
        fc.array(fc.nat({ max: 400 }), { maxLength: 10 }),
        (lines, offsets) => {
          const encoded = Buffer.concat(lines.map(([line, crlf]) => Buffer.from(`${line}${crlf ? '\r\n' : '\n'}`)));
          const decoded = decode(cut(encoded, offsets));
          assert.deepEqual(decoded, { lines: lines.map(([line]) => line), failed: false });
        },
      ),
    );
  });
});

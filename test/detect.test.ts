import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { detectDialect } from '../src/protocol/detect.js';

const bytes = (text: string) => Buffer.from(text, 'latin1');

/** What a server sniffing chunk by chunk decides: the first decision, or undefined. */
function sniff(chunks: readonly string[]): ReturnType<typeof detectDialect> {
  let head = Buffer.alloc(0);
  for (const chunk of chunks) {
    head = Buffer.concat([head, bytes(chunk)]);
    const decided = detectDialect(head);
    if (decided !== undefined) return decided;
  }
  return undefined;
}

describe('detectDialect', () => {
  it('decides from the first bytes', () => {
    assert.equal(detectDialect(bytes('{')), 'json');
    assert.equal(detectDialect(bytes('{"type":"join"}\n')), 'json');
    assert.equal(detectDialect(bytes('GET / HTTP/1.1\r\n')), 'http');
    assert.equal(detectDialect(bytes('POST /x HTTP/1.1\r\n')), 'http');
    assert.equal(detectDialect(bytes('42\n')), 'plain');
    assert.equal(detectDialect(bytes('42\r\n')), 'plain');
    assert.equal(detectDialect(bytes('GEX\n')), 'plain');
    assert.equal(detectDialect(bytes('GET\n')), 'plain');
    assert.equal(detectDialect(bytes(' {\n')), 'plain');
  });

  it('stays undecided while the bytes could still be more than one dialect', () => {
    assert.equal(detectDialect(bytes('')), undefined);
    assert.equal(detectDialect(bytes('42')), undefined);
    assert.equal(detectDialect(bytes('GE')), undefined);
    assert.equal(detectDialect(bytes('GET')), undefined);
    assert.equal(detectDialect(bytes('OPTIONS')), undefined);
  });

  it('recognises an HTTP request line that arrives in pieces', () => {
    assert.equal(sniff(['G']), undefined);
    assert.equal(sniff(['G', 'ET']), undefined);
    assert.equal(sniff(['G', 'ET', ' /']), 'http');
    assert.equal(sniff(['G', 'ET', ' /', ' HTTP/1.1\r\n']), 'http');
  });

  it('reaches the same decision for any chunking, and never changes its mind (property)', () => {
    const piece = fc.oneof(
      fc.constantFrom('{', 'GET / HTTP/1.1\r\n', 'GE', 'T', ' ', 'POST ', 'HEAD', '42', '\n', '\r\n', 'x', '\u00e9'),
      fc.string({ maxLength: 4 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), fc.array(fc.nat({ max: 60 }), { maxLength: 8 }), (pieces, offsets) => {
        const text = pieces.join('');
        const whole = detectDialect(Buffer.from(text));
        const encoded = Buffer.from(text).toString('latin1');
        const points = [...new Set(offsets.map((o) => Math.min(o, encoded.length)))].sort((a, b) => a - b);
        const chunks: string[] = [];
        let start = 0;
        for (const point of points) {
          chunks.push(encoded.slice(start, point));
          start = point;
        }
        chunks.push(encoded.slice(start));
        assert.equal(sniff(chunks), whole);
        assert.equal(sniff(Array.from({ length: encoded.length }, (_, i) => encoded.charAt(i))), whole);
      }),
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseGuess } from '../src/core/guess.js';

const valueOf = (text: string): number | undefined => {
  const parsed = parseGuess(text);
  return parsed.ok ? parsed.value : undefined;
};

describe('parseGuess', () => {
  it('accepts an integer with spaces around, a sign, or leading zeros', () => {
    assert.equal(valueOf(' 42 '), 42);
    assert.equal(valueOf('+7'), 7);
    assert.equal(valueOf('-3'), -3);
    assert.equal(valueOf('007'), 7);
    assert.equal(valueOf('\t 42\r\n'), 42);
    assert.equal(valueOf('0'), 0);
  });

  it('never returns negative zero', () => {
    assert.ok(Object.is(valueOf('-0'), 0));
  });

  it('refuses what is not one integer', () => {
    for (const text of ['4.2', '1e3', "42'", '', '   ', '+', '-', '1_000', '4 2', '--3', '+-3', '0x10', '42abc', 'abc']) {
      assert.deepEqual(parseGuess(text), { ok: false, reason: 'not-integer' }, JSON.stringify(text));
    }
  });

  it('refuses digits of other scripts (documented choice: ASCII digits only)', () => {
    assert.equal(parseGuess('٤٢').ok, false); // Arabic-Indic 42
    assert.equal(parseGuess('４２').ok, false); // full-width 42
    assert.equal(parseGuess('4\u00a02').ok, false);
    assert.equal(parseGuess('\u00a042').ok, false); // no-break space is not trimmed
  });

  it('keeps the sign of integers too large to hold exactly: beyond ±(2^53 - 1) they read as ±2^53', () => {
    assert.equal(valueOf('9'.repeat(400)), 2 ** 53);
    assert.equal(valueOf(`-${'9'.repeat(400)}`), -(2 ** 53));
    assert.equal(valueOf('9007199254740993'), 2 ** 53);
    assert.equal(valueOf('9007199254740992'), 2 ** 53);
    assert.equal(valueOf(String(Number.MAX_SAFE_INTEGER)), Number.MAX_SAFE_INTEGER);
  });

  it('reads back any safe integer, however it is padded', () => {
    const space = fc.constantFrom(' ', '\t', '\r', '\n', '\v', '\f');
    fc.assert(
      fc.property(
        fc.maxSafeInteger(),
        fc.array(space, { maxLength: 3 }),
        fc.array(space, { maxLength: 3 }),
        fc.nat({ max: 3 }),
        (n, before, after, zeros) => {
          assert.equal(valueOf(String(n)), n === 0 ? 0 : n);
          const sign = n < 0 ? '-' : '+';
          const padded = `${before.join('')}${sign}${'0'.repeat(zeros)}${Math.abs(n)}${after.join('')}`;
          assert.equal(valueOf(padded), n);
        },
      ),
    );
  });

  it('refuses any text holding a character outside [0-9+- \\t\\r\\n\\v\\f]', () => {
    const allowed = /^[0-9+\- \t\r\n\v\f]$/;
    const stray = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((ch) => !allowed.test(ch));
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), stray, fc.string({ unit: 'binary' }), (before, ch, after) => {
        assert.equal(parseGuess(before + ch + after).ok, false);
      }),
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError, intFlag, parseAddress, parseCommandArgs } from '../src/cli/args.js';

const FALLBACK = { host: '127.0.0.1', port: 65432 };

describe('parseAddress', () => {
  it('reads HOST, HOST:PORT, :PORT, PORT and bracketed IPv6', () => {
    const cases: Array<[string | undefined, { host: string; port: number }]> = [
      [undefined, FALLBACK],
      ['', FALLBACK],
      ['example.com', { host: 'example.com', port: 65432 }],
      ['example.com:80', { host: 'example.com', port: 80 }],
      [':8080', { host: '127.0.0.1', port: 8080 }],
      ['8080', { host: '127.0.0.1', port: 8080 }],
      ['[::1]:9000', { host: '::1', port: 9000 }],
      ['[::1]', { host: '::1', port: 65432 }],
      ['::1', { host: '::1', port: 65432 }],
    ];
    for (const [text, expected] of cases) assert.deepEqual(parseAddress(text, FALLBACK), expected, String(text));
  });

  it('refuses a port that is not 1..65535', () => {
    for (const text of ['host:', 'host:0', 'host:65536', 'host:12ab', '[::1]:']) {
      assert.throws(() => parseAddress(text, FALLBACK), UsageError, text);
    }
  });
});

describe('intFlag', () => {
  it('reads integers written the way a guess is', () => {
    assert.equal(intFlag({ n: '5' }, 'n'), 5);
    assert.equal(intFlag({ n: '+5' }, 'n'), 5);
    assert.equal(intFlag({ n: ' 5 ' }, 'n'), 5);
    assert.equal(intFlag({ n: '-5' }, 'n'), -5);
    assert.equal(intFlag({}, 'n'), undefined);
  });

  it('refuses anything else, naming the flag', () => {
    for (const text of ['5.0', '1e3', '0x10', '', 'abc', '9007199254740993']) {
      assert.throws(() => intFlag({ n: text }, 'n'), { name: 'UsageError', message: `--n must be an integer, got '${text}'` });
    }
  });
});

describe('parseCommandArgs', () => {
  it('takes a negative number as the value of the flag before it', () => {
    const args = parseCommandArgs('play', ['--min', '-10', '--max', '-1', '--seed', '-3']);
    assert.deepEqual(args.values, { min: '-10', max: '-1', seed: '-3' });
  });

  it('says what is wrong in its first sentence only', () => {
    assert.throws(() => parseCommandArgs('play', ['--bogus']), {
      name: 'UsageError',
      message: "Unknown option '--bogus' (see: guess help play)",
    });
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ERRORS, ProtocolError, isProtocolError } from '../src/protocol/errors.js';
import { ROOT } from './helpers/paths.js';

const protocolDoc = readFileSync(join(ROOT, 'docs', 'PROTOCOL.md'), 'utf8');
const headings = [...protocolDoc.matchAll(/^### (E_[A-Z0-9_]+)\s*$/gm)].map((m) => m[1] ?? '');

describe('the error registry', () => {
  it('has a `### CODE` heading in docs/PROTOCOL.md for every code', () => {
    const missing = Object.keys(ERRORS).filter((code) => !headings.includes(code));
    assert.deepEqual(missing, [], 'codes without a heading in docs/PROTOCOL.md');
  });

  it('has a code for every `### E_...` heading in docs/PROTOCOL.md', () => {
    const stale = headings.filter((heading) => !Object.hasOwn(ERRORS, heading));
    assert.deepEqual(stale, [], 'headings in docs/PROTOCOL.md with no code in src/protocol/errors.ts');
  });

  it('lists each code once in the docs', () => {
    assert.equal(new Set(headings).size, headings.length);
  });

  it('gives each error its class, code and message', () => {
    for (const code of Object.keys(ERRORS) as Array<keyof typeof ERRORS>) {
      const error = new ProtocolError(code);
      assert.ok(isProtocolError(error));
      assert.ok(error instanceof Error);
      assert.equal(error.name, 'ProtocolError');
      assert.equal(error.code, code);
      assert.equal(error.message, ERRORS[code]);
    }
    assert.equal(isProtocolError(new Error('x')), false);
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ROOT } from './helpers/paths.js';
import { TEST_SEED } from './helpers/test-seed.js';

describe('the tests\u2019 own randomness', () => {
  it('is seeded for every test file that npm test runs: the preload is on its command line and sets fast-check\u2019s seed', async () => {
    const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { test: string } }).scripts.test;
    assert.match(script, /node --import \.\/dist\/test\/helpers\/seed-properties\.js --test /);
    await import('./helpers/seed-properties.js');
    assert.equal(fc.readConfigureGlobal().seed, TEST_SEED);
    // The same seed, the same inputs.
    assert.deepEqual(fc.sample(fc.integer(), 5), fc.sample(fc.integer(), 5));
  });
});

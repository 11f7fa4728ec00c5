import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

// The README's "Tested on" line is a promise about CI: every version it names must be one .ci/run runs the
// suite on, and package.json must not claim an older one.
const root = new URL('../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');

describe('the Node versions we claim', () => {
  const readme = read('README.md');
  const ci = read('.ci/run');
  const { engines: { node: engines }, scripts } = JSON.parse(read('package.json')) as { engines: { node: string }; scripts: { test: string } };
  const tested = /Tested on Node\.js ([\d, and]+):/.exec(readme)?.[1]?.match(/\d+/g)?.map(Number) ?? [];

  it('names the tested versions in the README', () => {
    assert.ok(tested.length >= 2, `README's "Tested on Node.js …" line lists ${tested.join(', ') || 'nothing'}`);
  });

  it('runs the whole suite on each tested version beyond the machine’s own', () => {
    const lowest = Math.min(...tested);
    for (const major of tested.filter((version) => version !== lowest)) {
      assert.match(ci, new RegExp(`node@${major}\\b`), `.ci/run installs Node ${major}`);
      assert.match(ci, new RegExp(`PATH="[^"]*node_modules/node/bin:\\$PATH" npm run test:suite`), `.ci/run runs the tests on Node ${major}`);
    }
    // What runs there is every test `npm test` runs, without its build and lint.
    assert.match(scripts.test, / && npm run test:suite$/);
  });

  it('claims no version older than the oldest tested', () => {
    assert.equal(engines, `>=${Math.min(...tested)}`);
  });
});

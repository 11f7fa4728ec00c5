import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { JsonClient } from './helpers/json-client.js';
import { ROOT } from './helpers/paths.js';
import { startServer } from './helpers/server.js';
import { TEST_SEED } from './helpers/test-seed.js';

describe('the tests\u2019 own randomness', () => {
  it('is seeded for every test file that npm test runs: the preload is on its command line and sets fast-check\u2019s seed', async () => {
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { test: string; 'test:suite': string } };
    assert.match(scripts.test, / && npm run test:suite$/);
    assert.match(scripts['test:suite'], /^node --import \.\/dist\/test\/helpers\/seed-properties\.js --test /);
    await import('./helpers/seed-properties.js');
    assert.equal(fc.readConfigureGlobal().seed, TEST_SEED);
    // The same seed, the same inputs.
    assert.deepEqual(fc.sample(fc.integer(), 5), fc.sample(fc.integer(), 5));
  });

  it('is seeded for every server a test starts without a seed of its own: two of them commit to the same first secret', async () => {
    const servers = [await startServer(), await startServer()];
    const players: JsonClient[] = [];
    try {
      const commitments: string[] = [];
      for (const server of servers) {
        const player = await JsonClient.hello(server.port, 'Ada');
        players.push(player);
        player.send({ type: 'create', mode: 'solo', min: 1, max: 1_000_000 });
        // The commitment hashes the secret with a salt drawn from the same source: equal only if both are seeded alike.
        commitments.push((await player.next('round_start')).commitment);
      }
      assert.equal(commitments[0], commitments[1]);
    } finally {
      for (const player of players) player.close();
      await Promise.all(servers.map((server) => server.stop()));
    }
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../src/core/random.js';
import { binarySearch, verdictOf } from './helpers/binary-search.js';
import { runGuess } from './helpers/process.js';
import { startServer } from './helpers/server.js';
import { TcpClient } from './helpers/tcp-client.js';

describe('rounds under --seed', { timeout: 30_000 }, () => {
  it('starts a new round after a win, with the seeded sequence\u2019s next secret', async () => {
    const seed = 12345;
    const range = { min: 1, max: 1000 };
    const expected = seededRandom(seed);
    const server = await startServer(['--seed', String(seed), '--min', '1', '--max', '1000']);
    const client = await TcpClient.connect(server.port);
    try {
      const ask = async (guess: number) => verdictOf(await client.ask(String(guess)));
      const first = await binarySearch(range, ask);
      const second = await binarySearch(range, ask);
      assert.equal(first.secret, expected(1, 1000));
      assert.equal(second.secret, expected(1, 1000));
    } finally {
      client.close();
      await server.stop();
    }
  });

  it('gives the same first secret in `play --seed N` and `serve --seed N`', async () => {
    const seed = 777;
    const secret = seededRandom(seed)(1, 100);
    const server = await startServer(['--seed', String(seed)]);
    const client = await TcpClient.connect(server.port);
    try {
      assert.equal(await client.ask(String(secret)), 'Exactly! You win!');
    } finally {
      client.close();
      await server.stop();
    }
    const played = await runGuess(['play', '--seed', String(seed)], `${secret}\nn\n`);
    assert.equal(played.code, 0);
    assert.match(played.stdout, /Exactly! You win!\nYou found it in 1 guess\./);
  });
});

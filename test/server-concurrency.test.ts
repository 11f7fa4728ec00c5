import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { maxBinarySearchGuesses } from '../src/core/game.js';
import { binarySearch, verdictOf } from './helpers/binary-search.js';
import { classicAsk } from './helpers/classic.js';
import { startServer } from './helpers/server.js';
import { TcpClient } from './helpers/tcp-client.js';

const CLIENTS = 250;

describe('many clients at once', { timeout: 60_000 }, () => {
  it(`serves ${CLIENTS} concurrent clients, each winning by binary search within the bound`, async () => {
    const range = { min: 1, max: 1000 };
    const bound = maxBinarySearchGuesses(range);
    const server = await startServer(['--min', '1', '--max', '1000', '--seed', '99', '--log-level', 'warn']);
    const clients: TcpClient[] = [];
    try {
      // Every client is connected before any plays, so the server holds them all at once.
      for (let i = 0; i < CLIENTS; i++) clients.push(await TcpClient.connect(server.port));
      const results = await Promise.all(
        clients.map((client, i) =>
          // One in five speaks the chapter's bare dialect.
          binarySearch(range, async (guess) =>
            verdictOf(i % 5 === 0 ? await classicAsk(client, String(guess)) : await client.ask(String(guess))),
          ),
        ),
      );
      for (const { guesses } of results) assert.ok(guesses <= bound, `${guesses} guesses, bound ${bound}`);
      // Each connection plays its own round: 250 draws from 1,000 values repeat some, but a server
      // that handed every connection the same secret (one seeded generator per connection) is caught.
      const secrets = new Set(results.map((r) => r.secret));
      assert.ok(secrets.size > CLIENTS / 2, `${secrets.size} different secrets among ${CLIENTS} connections`);
    } finally {
      for (const client of clients) client.close();
      await server.stop();
    }
  });

  it('lets binary search win within floor(log2(max - min + 1)) + 1 guesses on a real server (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: -1_000_000, max: 1_000_000 }),
        fc.integer({ min: 0, max: 2 ** 32 }),
        fc.nat({ max: 1_000_000 }),
        async (min, width, seed) => {
          const range = { min, max: min + width };
          const server = await startServer(['--min', String(range.min), '--max', String(range.max), '--seed', String(seed), '--log-level', 'warn']);
          const client = await TcpClient.connect(server.port);
          try {
            for (let round = 0; round < 3; round++) {
              const { guesses } = await binarySearch(range, async (guess) => verdictOf(await client.ask(String(guess))));
              assert.ok(guesses <= maxBinarySearchGuesses(range), `${guesses} guesses in ${width + 1} values`);
            }
          } finally {
            client.close();
            await server.stop();
          }
        },
      ),
      { numRuns: 5 },
    );
  });
});

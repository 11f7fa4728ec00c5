import assert from 'node:assert/strict';
import type { DialectName } from '../../bench/dialects.js';
import { Load } from '../../bench/load.js';

/**
 * Three of the load generator's bots play the server on `port` in 1..16 until they have won 30
 * rounds between them (`isWin` tells a winning reply), failing on the first error a bot flags.
 */
export async function playsWithoutError(port: number, dialect: DialectName, isWin: (reply: string) => boolean): Promise<void> {
  let enough = (): void => {};
  const played = new Promise<void>((resolve) => (enough = resolve));
  let wins = 0;
  const load = new Load(
    { host: '127.0.0.1', port, dialect, conns: 3, range: { min: 1, max: 16 } },
    {
      reply: (text) => {
        if (isWin(text) && ++wins === 30) enough();
      },
      error: (message) => assert.fail(message),
    },
  );
  try {
    assert.equal((await load.connect()).connected, 3);
    load.start();
    await played;
    assert.equal(load.stats().errors, 0);
    assert.equal(load.stats().served, 3);
  } finally {
    load.close();
  }
}

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { createGameServer, type GameServer } from '../src/server/server.js';
import { hostileChunks } from './helpers/fuzz.js';
import { open, whenClosed } from './helpers/raw-client.js';
import { TcpClient } from './helpers/tcp-client.js';

/**
 * Random and adversarial bytes, in any chunks, against a real server on loopback: whatever one
 * peer sends, the server logs no internal error, closes or answers that peer, and answers the
 * next player at once.
 */
describe('fuzzing the server over TCP', () => {
  const errors: unknown[] = [];
  const log = { info() {}, warn() {}, debug() {}, error: (fields: object) => errors.push(fields) };
  let server: GameServer;
  let port = 0;

  before(async () => {
    // Short deadlines, so a fuzz input that leaves its connection waiting is closed quickly.
    server = createGameServer({ random: (min) => min, log, host: '127.0.0.1', port: 0, firstMessageTimeoutMs: 200, idleTimeoutMs: 400, writeTimeoutMs: 1000, classicQuietMs: 5 });
    port = (await server.listen()).port;
  });
  after(() => server.close());

  const ending = fc.constantFrom('end', 'reset', 'wait');

  it('keeps serving others whatever a peer sends, however it ends', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(hostileChunks, ending, async (chunks, how) => {
        const socket = await open(port, how === 'wait');
        // 'wait': the server's deadlines, or its own decision, end it; its FIN may come mid-way.
        if (how === 'wait') socket.on('end', () => socket.destroy());
        const closed = whenClosed(socket);
        socket.resume();
        for (const chunk of chunks) {
          socket.write(chunk);
          // Let each chunk leave as its own segment where TCP allows.
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
        if (how === 'end') socket.end();
        else if (how === 'reset') socket.resetAndDestroy();
        await closed;
        const player = await TcpClient.connect(port);
        assert.equal(await player.ask('1'), 'Exactly! You win!');
        player.close();
        assert.deepEqual(errors, []);
      }),
      { numRuns: 40 },
    );
  });
});

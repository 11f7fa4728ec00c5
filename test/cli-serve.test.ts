import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { assertNoStackTrace } from './helpers/assertions.js';
import { runGuess } from './helpers/process.js';
import { startServer } from './helpers/server.js';
import { TcpClient } from './helpers/tcp-client.js';

describe('guess serve', { timeout: 30_000 }, () => {
  it('says in one line that the port is taken, and exits 1', async () => {
    const server = await startServer();
    try {
      const { code, stdout, stderr } = await runGuess(['serve', '--port', String(server.port)]);
      assert.equal(code, 1);
      assert.doesNotMatch(stdout, /Listening on/);
      assert.match(stderr, new RegExp(`^guess: port ${server.port} is in use[^\\n]*\\n$`));
      assertNoStackTrace(stderr);
    } finally {
      await server.stop();
    }
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`stops cleanly on ${signal}, closing its connections`, async () => {
      const server = await startServer();
      const client = await TcpClient.connect(server.port);
      assert.equal(await client.ask('x'), 'Guesses must be an integer. Try again...');
      const closed = once(server.child, 'close');
      server.child.kill(signal);
      const [code] = (await closed) as [number | null];
      await client.closed();
      assert.equal(code, 0);
      assertNoStackTrace(server.output());
    });
  }

  it('listens on IPv6 loopback and `join [::1]:PORT` plays there', async (t) => {
    let server;
    try {
      server = await startServer(['--host', '::1', '--min', '50', '--max', '100']);
    } catch {
      t.skip('no IPv6 loopback on this machine');
      return;
    }
    try {
      const { code, stdout } = await runGuess(['join', `[::1]:${server.port}`], '1\n');
      assert.equal(code, 0);
      assert.match(stdout, /Too small!/);
    } finally {
      await server.stop();
    }
  });
});

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { networkInterfaces } from 'node:os';
import { describe, it } from 'node:test';
import { assertNoStackTrace } from './helpers/assertions.js';
import { runGuess } from './helpers/process.js';
import { startServer } from './helpers/server.js';
import { TcpClient } from './helpers/tcp-client.js';
import { tempDir } from './helpers/db-files.js';

describe('guess serve', { timeout: 30_000 }, () => {
  it('says in one line that the port is taken, and exits 1', async () => {
    const server = await startServer();
    // On a fixed port the games' file defaults to one in the user's data directory: not ours to write.
    const data = tempDir();
    try {
      const { code, stdout, stderr } = await runGuess(['serve', '--port', String(server.port)], '', { XDG_DATA_HOME: data.path });
      assert.equal(code, 1);
      assert.doesNotMatch(stdout, /Listening on/);
      assert.match(stderr, new RegExp(`^guess: port ${server.port} is in use[^\\n]*\\n$`));
      assertNoStackTrace(stderr);
    } finally {
      await server.stop();
      data.remove();
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

  for (const [wildcard, loopback] of [['0.0.0.0', '127.0.0.1'], ['::', '::1']] as const) {
    it(`on --host ${wildcard}, suggests addresses one can reach, never ${wildcard} itself`, async (t) => {
      let server;
      try {
        server = await startServer(['--host', wildcard]);
      } catch {
        t.skip(`cannot listen on ${wildcard} on this machine`);
        return;
      }
      try {
        const banner = await server.waitFor(/Warning: listening on every network interface[^\n]*\n/);
        const { port } = server;
        const at = loopback.includes(':') ? `[${loopback}]` : loopback;
        assert.ok(banner.includes(`npx guess join ${at}:${port}   (or: nc ${loopback} ${port})`), banner);
        assert.ok(banner.includes(`http://${at}:${port}/`), banner);
        const lan = Object.values(networkInterfaces()).flat().find((entry) => entry?.family === 'IPv4' && !entry.internal)?.address;
        if (lan !== undefined) assert.ok(banner.includes(`npx guess join ${lan}:${port}   (or: nc ${lan} ${port};`), banner);
        const suggestions = banner.split('\n').filter((line) => !line.startsWith('Listening on') && !line.startsWith('{'));
        for (const line of suggestions) assert.doesNotMatch(line, wildcard === '::' ? /\[::\]|nc :: / : /0\.0\.0\.0/);
        // What it suggests for this machine does reach the server.
        const client = await TcpClient.connect(port, loopback);
        assert.equal(await client.ask('x'), 'Guesses must be an integer. Try again...');
        client.close();
      } finally {
        await server.stop();
      }
    });
  }

  it('takes its message limit from --max-line-bytes', async () => {
    const server = await startServer(['--max-line-bytes', '32', '--min', '50', '--max', '100']);
    try {
      const client = await TcpClient.connect(server.port);
      assert.equal(await client.ask(`${'0'.repeat(31)}1`), 'Too small!');
      client.send(`${'0'.repeat(32)}1\n`);
      assert.equal(await client.nextLine(), 'Error: Message too long: the limit is 32 bytes per line');
      await client.closed();
    } finally {
      await server.stop();
    }
  });

  it('refuses a limit too small to hold a guess, in one line with status 2', async () => {
    const { code, stderr } = await runGuess(['serve', '--port', '0', '--max-line-bytes', '8']);
    assert.equal(code, 2);
    assert.match(stderr, /^guess: [^\n]*at least 16, got 8\n$/);
  });

  it('refuses an --fsync it does not know, in one line with status 2, naming the two it does', async () => {
    const { code, stderr } = await runGuess(['serve', '--port', '0', '--fsync', 'never']);
    assert.equal(code, 2);
    assert.equal(stderr, "guess: --fsync must be second or commit, got 'never'\n");
  });
});

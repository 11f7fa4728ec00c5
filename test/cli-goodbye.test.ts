import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertNoStackTrace } from './helpers/assertions.js';
import { fakeServer, roomLine, welcomeLine } from './helpers/fake-server.js';
import { finished } from './helpers/process.js';
import { spawnRoomCli, type RoomCli } from './helpers/room-cli.js';
import { startServer } from './helpers/server.js';

const GOODBYE = 'The server is restarting or shutting down; try again in a few seconds';

function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

async function exitOf(cli: RoomCli): Promise<number | null> {
  if (cli.child.exitCode !== null) return cli.child.exitCode;
  return (await finished(cli.child)).code;
}

describe('clients when the server says goodbye', { timeout: 60_000 }, () => {
  it('guess host and guess join --room say it once, keep trying, and say so when a server restarted without its games has no seat for them', async () => {
    const server = await startServer();
    const address = `127.0.0.1:${server.port}`;
    const host = spawnRoomCli(['host', address, '--name', 'Ada']);
    let guest: RoomCli | undefined;
    let again: Awaited<ReturnType<typeof startServer>> | undefined;
    try {
      const code = /Room code: (\w+)/.exec(await host.expect(/Room code: \w+/))?.[1] ?? '';
      guest = spawnRoomCli(['join', address, '--room', code, '--name', 'Bob']);
      await host.expect(/Bob joined/);
      await server.stop();
      for (const cli of [host, guest]) await cli.expect(/The server is restarting or shutting down; try again in a few seconds\. Reconnecting by itself for up to 6\.0 s\u2026\n/);
      // Still trying: a server started on the same port gets their resumes, but without the first one's games.
      again = await startServer(['--port', String(server.port), '--db', ':memory:']);
      for (const cli of [host, guest]) {
        await cli.expect(/guess: the server no longer has your seat \(it gave it up while you were away, or it restarted without its games\): host or join a room again\n/);
        assert.equal(await exitOf(cli), 1);
        assert.equal(count(cli.out.text(), GOODBYE), 1, cli.out.text());
        assert.doesNotMatch(cli.out.text(), /unexpected reply|giving up/);
        assertNoStackTrace(cli.out.text());
      }
      await again.waitFor(/"msg":"Disconnected"[^]*"msg":"Disconnected"/);
    } finally {
      host.stop();
      guest?.stop();
      await again?.stop();
    }
  });

  it('keeps trying for the whole window the goodbye announced, then gives up in one line', async () => {
    const retryAfterMs = 1000;
    let saidGoodbyeAt = 0;
    const resumes: number[] = [];
    const tokens = new Set<string | undefined>();
    const fake = await fakeServer((line, socket, connection) => {
      const message = JSON.parse(line) as { type: string; token?: string };
      if (connection === 1 && message.type === 'hello') socket.write(welcomeLine('tok-1'));
      if (connection === 1 && message.type === 'join') {
        socket.end(`${roomLine()}${JSON.stringify({ type: 'shutdown', message: GOODBYE, retryAfterMs, token: 'tok-1' })}\n`);
        saidGoodbyeAt = Date.now();
      }
      if (message.type === 'resume') {
        tokens.add(message.token);
        resumes.push(Date.now());
        // Not ready yet: closed at once, as a server still starting up would.
        socket.destroy();
      }
    });
    const cli = spawnRoomCli(['join', `127.0.0.1:${fake.port}`, '--room', 'ABCDE']);
    try {
      assert.equal(await exitOf(cli), 1);
      const text = cli.out.text();
      assert.equal(count(text, GOODBYE), 1, text);
      assert.match(text, /The server is restarting or shutting down; try again in a few seconds\. Reconnecting by itself for up to 2\.0 s\u2026\n/);
      assert.match(text, /guess: could not get back to the server within 2\.0 s; giving up\n$/);
      assert.ok(resumes.length >= 2, `${resumes.length} attempts`);
      assert.deepEqual([...tokens], ['tok-1'], 'each attempt resumes with the token of the goodbye');
      const last = (resumes[resumes.length - 1] ?? 0) - saidGoodbyeAt;
      assert.ok(last >= retryAfterMs, `the last attempt came ${last} ms after the goodbye, before the ${retryAfterMs} ms it announced`);
      assert.equal(fake.lines.filter((l) => l.includes('"hello"')).length, 1, 'every later connection resumes');
    } finally {
      cli.stop();
      await fake.close();
    }
  });

  it('does not take its seat back from the connection that resumed it elsewhere', async () => {
    const fake = await fakeServer((line, socket) => {
      if (line.includes('"hello"')) socket.write(welcomeLine());
      if (line.includes('"join"')) socket.end(`${roomLine()}{"type":"error","code":"E_RESUMED_ELSEWHERE","message":"Your seat was resumed on another connection; this one is closed"}\n`);
    });
    const cli = spawnRoomCli(['join', `127.0.0.1:${fake.port}`, '--room', 'ABCDE']);
    try {
      assert.equal(await exitOf(cli), 1);
      assert.match(cli.out.text(), /guess: Your seat was resumed on another connection; this one is closed\n$/);
      assert.equal(fake.connections(), 1);
    } finally {
      cli.stop();
      await fake.close();
    }
  });
});

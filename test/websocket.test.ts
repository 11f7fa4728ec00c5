import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { startServer, type RunningServer } from './helpers/server.js';

/** Resolves with the handshake's HTTP status when the server refuses the upgrade, or 101. */
function handshake(url: string, origin: string | undefined): Promise<{ status: number; socket: WebSocket }> {
  const socket = new WebSocket(url, origin === undefined ? {} : { origin });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ status: 101, socket }));
    socket.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, socket });
      res.resume();
    });
    socket.once('error', reject);
  });
}

describe('the WebSocket endpoint', () => {
  let server: RunningServer;
  let open: RunningServer;
  let strict: RunningServer;
  before(async () => {
    [server, open, strict] = await Promise.all([
      startServer(),
      startServer(['--allow-origin', 'http://friend.example, http://other.example:8080']),
      startServer(['--limit-loopback', '--max-messages-per-second', '5']),
    ]);
  });
  after(() => Promise.all([server.stop(), open.stop(), strict.stop()]));

  it('accepts the page this server served and programs without an Origin', async () => {
    const base = `ws://127.0.0.1:${server.port}/ws`;
    const page = await handshake(base, `http://127.0.0.1:${server.port}`);
    assert.equal(page.status, 101);
    page.socket.close();
    const program = await handshake(base, undefined);
    assert.equal(program.status, 101);
    program.socket.close();
  });

  it('refuses a page from any other origin unless it is allowed by --allow-origin', async () => {
    assert.equal((await handshake(`ws://127.0.0.1:${server.port}/ws`, 'http://evil.example')).status, 403);
    assert.equal((await handshake(`ws://127.0.0.1:${server.port}/ws`, `http://localhost:${server.port}`)).status, 403);
    const friend = await handshake(`ws://127.0.0.1:${open.port}/ws`, 'http://friend.example');
    assert.equal(friend.status, 101);
    friend.socket.close();
    assert.equal((await handshake(`ws://127.0.0.1:${open.port}/ws`, 'http://other.example:8080')).status, 101);
    assert.equal((await handshake(`ws://127.0.0.1:${open.port}/ws`, 'http://evil.example')).status, 403);
  });

  it('upgrades only /ws', async () => {
    assert.equal((await handshake(`ws://127.0.0.1:${server.port}/elsewhere`, undefined)).status, 404);
  });

  it('answers frames over the message rate with E_RATE_LIMITED, as TCP does', async () => {
    const { socket } = await handshake(`ws://127.0.0.1:${strict.port}/ws`, undefined);
    const replies: Array<{ type: string; code?: string }> = [];
    const twenty = new Promise<void>((resolve) => {
      socket.on('message', (data: Buffer) => {
        replies.push(JSON.parse(data.toString('utf8')) as { type: string; code?: string });
        if (replies.length === 20) resolve();
      });
    });
    for (let i = 0; i < 20; i++) socket.send('{"type":"nonsense"}');
    await twenty;
    const limited = replies.filter((reply) => reply.code === 'E_RATE_LIMITED').length;
    assert.ok(limited >= 15, `${limited} of 20 frames sent at once were over a limit of 5 per second`);
    assert.equal(replies.filter((reply) => reply.code === 'E_UNKNOWN_TYPE').length, 20 - limited);
    socket.close();
  });

  it('closes with 1009 on a frame longer than the message limit, as TCP closes on a long line', async () => {
    const { socket } = await handshake(`ws://127.0.0.1:${server.port}/ws`, undefined);
    socket.send(`{"type":"hello","name":"${'x'.repeat(2000)}"}`);
    const [code] = (await once(socket, 'close')) as [number];
    assert.equal(code, 1009);
  });
});

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { JsonClient } from './helpers/json-client.js';
import { startServer, type RunningServer } from './helpers/server.js';
import { TcpClient } from './helpers/tcp-client.js';

interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET', agent?: Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent: agent ?? false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTP on the game port', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  it('serves the page with a CSP that forbids inline script, revalidated on every load', async () => {
    const page = await get(server.port, '/');
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(page.headers['cache-control'], 'no-cache');
    const csp = String(page.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    const html = page.body.toString('utf8');
    assert.match(html, /<script type="module" src="\/assets\/app-[A-Z0-9]{8}\.js"><\/script>/);
    assert.doesNotMatch(html, /<script>/, 'no inline script');
  });

  it('serves hashed assets as immutable, with their type, compressed as the client accepts', async () => {
    const html = (await get(server.port, '/')).body.toString('utf8');
    const script = /src="(\/assets\/app-[A-Z0-9]{8}\.js)"/.exec(html)?.[1] ?? '';
    const style = /href="(\/assets\/style-[A-Z0-9]{8}\.css)"/.exec(html)?.[1] ?? '';
    const icon = /href="(\/assets\/favicon-[A-Z0-9]{8}\.svg)"/.exec(html)?.[1] ?? '';
    const plain = await get(server.port, script);
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(plain.headers['content-encoding'], undefined);
    const br = await get(server.port, script, { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.deepEqual(brotliDecompressSync(br.body), plain.body);
    assert.ok(br.body.length < plain.body.length);
    const gzip = await get(server.port, script, { 'accept-encoding': 'gzip' });
    assert.equal(gzip.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(gzip.body), plain.body);
    assert.equal((await get(server.port, style)).headers['content-type'], 'text/css; charset=utf-8');
    assert.equal((await get(server.port, icon)).headers['content-type'], 'image/svg+xml');
    const again = await get(server.port, script, { 'if-none-match': plain.headers.etag ?? '' });
    assert.equal(again.status, 304);
  });

  it('opens a room link on the same page, and answers the operator on /healthz', async () => {
    const page = await get(server.port, '/');
    const room = await get(server.port, '/r/abcd23/');
    assert.equal(room.status, 200);
    assert.deepEqual(room.body, page.body);
    const health = await get(server.port, '/healthz');
    assert.equal(health.status, 200);
    assert.equal(health.headers['cache-control'], 'no-store');
    assert.equal((JSON.parse(health.body.toString('utf8')) as { status: string }).status, 'ok');
  });

  it('counts on /healthz the commits of a JSON game, one per acknowledged guess, and none for a plain one', async () => {
    type Health = { commits: number; commitMs: number; syncs: number; syncMs: number };
    const health = async (): Promise<Health> => JSON.parse((await get(server.port, '/healthz')).body.toString('utf8')) as Health;
    const start = await health();
    const plain = await TcpClient.connect(server.port);
    for (const value of ['10', '20', '30']) assert.match(await plain.ask(value), /^(Too small!|Too big!|Exactly! You win!)$/);
    const before = await health();
    assert.equal(before.commits, start.commits, 'a plain game is not written');
    plain.close();
    const player = await JsonClient.hello(server.port, 'Ada');
    await player.ask({ type: 'create', mode: 'solo', min: 1, max: 100 }, 'round_start');
    // Each guess waits for its answer, so each is a turn of its own, committed before the answer.
    for (const value of [10, 20, 30]) await player.ask({ type: 'guess', value }, 'result');
    const after = await health();
    assert.ok(after.commits >= before.commits + 4, `commits went from ${before.commits} to ${after.commits}`);
    assert.ok(after.commitMs > before.commitMs, `commitMs went from ${before.commitMs} to ${after.commitMs}`);
    // By default the log is flushed a second after a commit, not before its answer.
    assert.ok(after.syncs <= after.commits, `syncs went from ${before.syncs} to ${after.syncs}`);
    player.close();
    await once(player.tcp.socket, 'close');
  });

  it('counts on /healthz a sync before each answer with --fsync commit', async () => {
    type Health = { commits: number; syncs: number };
    const flushing = await startServer(['--fsync', 'commit']);
    try {
      const health = async (): Promise<Health> => JSON.parse((await get(flushing.port, '/healthz')).body.toString('utf8')) as Health;
      const player = await JsonClient.hello(flushing.port, 'Ada');
      await player.ask({ type: 'create', mode: 'solo', min: 1, max: 100 }, 'round_start');
      const before = await health();
      for (const value of [10, 20, 30]) await player.ask({ type: 'guess', value }, 'result');
      const after = await health();
      assert.ok(after.syncs >= before.syncs + 3 && after.syncs <= after.commits, `syncs went from ${before.syncs} to ${after.syncs}`);
      player.close();
      await once(player.tcp.socket, 'close');
    } finally {
      await flushing.stop();
    }
  });

  it('answers unknown paths, other methods and a plain GET of the WebSocket with errors', async () => {
    assert.equal((await get(server.port, '/nope')).status, 404);
    assert.equal((await get(server.port, '/r/not-a-code!')).status, 404);
    // Never a room code: 0, O, 1, I and L are left out of them.
    assert.equal((await get(server.port, '/r/ABCD0')).status, 404);
    const post = await get(server.port, '/', {}, 'POST');
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET, HEAD');
    assert.equal((await get(server.port, '/ws')).status, 426);
    const head = await get(server.port, '/', {}, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
  });

  it('keeps a connection alive across requests, after detection handed it over', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    agent.on('free', (socket) => sockets.add(socket));
    for (const path of ['/', '/healthz', '/r/ABCD23']) assert.equal((await get(server.port, path, {}, 'GET', agent)).status, 200);
    assert.equal(sockets.size, 1, 'all three requests went over one socket');
    agent.destroy();
  });

  it('refuses a request head over 16 KiB with 431', async () => {
    const client = await TcpClient.connect(server.port);
    client.send(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`);
    await client.closed();
    assert.match(client.received.toString('utf8'), /^HTTP\/1\.1 431 /);
  });

  it('still plays plain lines on the same port', async () => {
    const client = await TcpClient.connect(server.port);
    assert.match(await client.ask('50'), /^(Too small!|Too big!|Exactly! You win!)$/);
    client.close();
    await once(client.socket, 'close');
  });
});

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer as createHttpServer, get, type ServerResponse } from 'node:http';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { seededRandom } from '../src/core/random.js';
import { resolveConfig } from '../src/server/config.js';
import { Spectators } from '../src/server/spectators.js';
import { Wire } from '../src/server/wire.js';
import { SILENT_LOG } from './helpers/log.js';

/** A real connection on loopback, its server side wrapped in a Wire as the server does. */
async function wiredPair(): Promise<{ wire: Wire; client: Socket; close: () => void }> {
  const listener = createServer();
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  const client = connect((listener.address() as AddressInfo).port, '127.0.0.1');
  const [socket] = (await once(listener, 'connection')) as [Socket];
  const wire = new Wire(socket, resolveConfig({ random: seededRandom(1), log: SILENT_LOG }), true);
  return { wire, client, close: () => (client.destroy(), socket.destroy(), listener.close()) };
}

/** A teacher's page on a real HTTP server: resolves with its response on the server side and the body as it arrives. */
async function watchPage(spectators: Spectators, wire: Wire): Promise<{ res: ServerResponse; body: () => string; chunk: () => Promise<void>; leave: () => void; close: () => void }> {
  const pages = createHttpServer((_req, res) => {
    res.write('top\n');
    assert.equal(spectators.watch(wire, res), true);
  });
  pages.listen(0, '127.0.0.1');
  await once(pages, 'listening');
  const served = once(pages, 'request') as Promise<[unknown, ServerResponse]>;
  const request = get({ host: '127.0.0.1', port: (pages.address() as AddressInfo).port, path: '/' });
  const [response] = (await once(request, 'response')) as [NodeJS.ReadableStream];
  let text = '';
  response.setEncoding('utf8');
  response.on('data', (part: string) => (text += part));
  const [, res] = await served;
  if (text === '') await once(response, 'data');
  return {
    res,
    body: () => text,
    chunk: async () => {
      await once(response, 'data');
    },
    leave: () => request.destroy(),
    close: () => (pages.closeAllConnections(), pages.close()),
  };
}

describe('spectators', { timeout: 10_000 }, () => {
  it('tap a connection only while a page watches it, and let it go when the page leaves', async () => {
    const pair = await wiredPair();
    const spectators = new Spectators();
    try {
      assert.equal(pair.wire.tap, undefined, 'unwatched, a connection has no tap');
      const page = await watchPage(spectators, pair.wire);
      assert.notEqual(pair.wire.tap, undefined);
      pair.wire.send('Too small!');
      await page.chunk();
      assert.match(page.body(), /<li class="to-client"><code>\d\d:\d\d:\d\d\.\d{3} {2}client 127\.0\.0\.1:\d+ {2}◀──&quot;Too small!&quot;── {2}server<\/code><\/li>/);
      page.leave();
      await once(page.res, 'close');
      assert.equal(pair.wire.tap, undefined, 'the last page gone, the tap is gone');
      assert.equal(spectators.watched, 0);
      page.close();
    } finally {
      pair.close();
    }
  });

  it('finish every page when the connection closes', async () => {
    const pair = await wiredPair();
    const spectators = new Spectators();
    const page = await watchPage(spectators, pair.wire);
    try {
      const ended = once(page.res, 'finish');
      pair.client.destroy();
      await ended;
      assert.equal(pair.wire.tap, undefined);
      assert.equal(spectators.watched, 0);
    } finally {
      pair.close();
      page.close();
    }
  });
});

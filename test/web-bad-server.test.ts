import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { WebSocketServer, type WebSocket } from 'ws';
import { launchBrowser, noBrowser, openPlayer, waitForText } from './helpers/browser.js';
import { roomLine, welcomeLine } from './helpers/fake-server.js';
import { ROOT } from './helpers/paths.js';

/**
 * The real page (dist/web, as the build makes it) served by a fake server whose WebSocket is
 * scripted by the test: `onSocket` gets each connection and its number (1 for the first); with
 * `down`, all but the first are refused, as by a server that is not back yet.
 */
async function fakePageServer(onSocket: (socket: WebSocket, connection: number) => void, down = false): Promise<{ base: string; connections(): number; server: Server }> {
  const web = join(ROOT, 'dist/web');
  const server = createServer((request, response) => {
    const path = request.url === '/' ? '/index.html' : (request.url ?? '');
    readFile(join(web, path.replace(/\.\./g, ''))).then(
      (body) => {
        const type = path.endsWith('.js') ? 'text/javascript' : path.endsWith('.css') ? 'text/css' : path.endsWith('.svg') ? 'image/svg+xml' : 'text/html';
        response.writeHead(200, { 'Content-Type': type }).end(body);
      },
      () => response.writeHead(404).end(),
    );
  });
  let count = 0;
  const sockets = new WebSocketServer({ server, path: '/ws', verifyClient: () => ++count === 1 || !down });
  sockets.on('connection', (socket) => onSocket(socket, count));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => count, server };
}

describe('the page facing a server that speaks garbage or goes away', { skip: noBrowser, timeout: 60_000 }, () => {
  let browser: Browser;
  const servers: Server[] = [];
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
    for (const server of servers) server.close();
  });

  it('shows the one line and stays disconnected when a message is not a server message', async () => {
    const fake = await fakePageServer((socket) => socket.on('message', () => socket.send('null')));
    servers.push(fake.server);
    const { page } = await openPlayer(browser, `${fake.base}/`);
    await page.getByRole('button', { name: 'Play solo' }).click();
    const problem = await waitForText(page, '#problem', /unexpected reply/);
    assert.equal(problem, 'The game stopped: unexpected reply from the server: "null" (not a JSON object). Reload the page to start again.');
    assert.equal(await page.locator('#status').textContent(), 'Disconnected', 'no reconnect is scheduled');
    assert.equal(fake.connections(), 1);
    await page.context().close();
  });

  it('after a goodbye, keeps trying for twice the announced wait, then says the server did not come back', async () => {
    const fake = await fakePageServer((socket) => {
      socket.on('message', () => {
        socket.send(JSON.stringify({ type: 'shutdown', message: 'The server is restarting or shutting down; try again in a few seconds', retryAfterMs: 1000 }));
        socket.close();
      });
    }, true);
    servers.push(fake.server);
    const { page } = await openPlayer(browser, `${fake.base}/`);
    await page.getByRole('button', { name: 'Play solo' }).click();
    await waitForText(page, '#status', /^The server is restarting\. Reconnecting in \d\.\d s…$/);
    await waitForText(page, '#status', /^Disconnected: the server did not come back within 2 s\. Reload the page to try again\.$/);
    assert.ok(fake.connections() >= 3, `${fake.connections()} connections: the page gave up without trying`);
    await page.context().close();
  });

  it('says so when the server it comes back to no longer has its seat', async () => {
    const fake = await fakePageServer((socket, connection) => {
      socket.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString()) as { type: string };
        if (connection === 1 && message.type === 'hello') socket.send(welcomeLine('tok-1'));
        if (connection === 1 && message.type === 'create') {
          socket.send(roomLine());
          socket.send(JSON.stringify({ type: 'shutdown', message: 'The server is restarting or shutting down; try again in a few seconds', retryAfterMs: 60_000, token: 'tok-1' }));
          socket.close();
        }
        if (message.type === 'resume') socket.send(JSON.stringify({ type: 'error', code: 'E_UNKNOWN_TOKEN', message: 'No seat is waiting for that token' }));
      });
    });
    servers.push(fake.server);
    const { page } = await openPlayer(browser, `${fake.base}/`);
    await page.getByRole('button', { name: 'Create race room' }).click();
    await waitForText(page, '#problem', /^The server no longer has your previous game \(it was given up, or the server restarted without its games\): start a new one\.$/);
    assert.equal(fake.connections(), 2);
    await page.context().close();
  });
});

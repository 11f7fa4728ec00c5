import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { answeredThenDeaf } from './helpers/drain-peers.js';
import { exchange, nextLog, open, untilClosed } from './helpers/raw-client.js';
import { startServer, type RunningServer } from './helpers/server.js';

/** Every test here talks to a real process or socket: none may hang the suite. */
const BOUNDED = { timeout: 15_000 };
const NO_MESSAGE = 'Closed after 150 ms with no whole message (type a number, then Enter); connect again to play';
const IDLE = 'Closed after 400 ms of silence; connect again to play';
const REPLY = '(Too small!|Too big!|Exactly! You win!)';

describe('a peer dropped for silence is told why, in its dialect, then closed', () => {
  let server: RunningServer;
  // Loopback is exempt from the first-message deadline by default; --limit-loopback applies it here.
  before(async () => (server = await startServer(['--first-message-timeout-ms', '150', '--idle-timeout-ms', '400', '--limit-loopback'])));
  after(() => server.stop());

  it('one that never sent a byte (nc left alone) gets the plain line, then the end of the stream', BOUNDED, async () => {
    assert.equal((await untilClosed(server.port)).toString(), `Error: ${NO_MESSAGE}\n`);
  });

  it('one that never finished its first line gets the plain line too', BOUNDED, async () => {
    // A digit every 10 ms never falls silent long enough to be a classic message, nor ends a line.
    const trickler = await open(server.port);
    const drip = setInterval(() => trickler.write('1'), 10);
    const bytes = await exchange(trickler);
    clearInterval(drip);
    assert.equal(bytes.toString(), `Error: ${NO_MESSAGE}\n`);
  });

  it('an HTTP request head that never ends gets 408 Request Timeout', BOUNDED, async () => {
    const http = (await untilClosed(server.port, 'GET / HTTP/1.1\r\nHost: x\r\n')).toString();
    assert.match(http, /^HTTP\/1\.1 408 Request Timeout\r\n/);
    assert.ok(http.endsWith(`\r\n\r\n${NO_MESSAGE}\n`), http);
  });

  it('idle: plain gets an Error line, classic the bare sentence, JSON an E_IDLE_TIMEOUT error', BOUNDED, async () => {
    const [plain, classic, json] = await Promise.all([
      untilClosed(server.port, '5\n'),
      untilClosed(server.port, '5'),
      untilClosed(server.port, '{"type":"hello","name":"Quiet"}\n'),
    ]);
    assert.match(plain.toString(), new RegExp(`^${REPLY}\\nError: ${IDLE}\\n$`));
    assert.match(classic.toString(), new RegExp(`^${REPLY}${IDLE}$`));
    const lines = json.toString().trim().split('\n');
    assert.equal((JSON.parse(lines[0] ?? '') as { type: string }).type, 'welcome');
    assert.deepEqual(JSON.parse(lines.at(-1) ?? ''), { type: 'error', code: 'E_IDLE_TIMEOUT', message: IDLE });
  });

  it('a WebSocket is not closed for silence (a room on a projector may be watched for an hour)', BOUNDED, async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`);
    ws.on('error', () => {});
    await once(ws, 'open');
    const welcomed = once(ws, 'message');
    ws.send('{"type":"hello","name":"Projector"}');
    await welcomed;
    // Opened after the page, so its idle deadline passes after the page's would.
    const tcp = await untilClosed(server.port, '5\n');
    assert.match(tcp.toString(), new RegExp(`Error: ${IDLE}\\n$`));
    assert.equal(ws.readyState, WebSocket.OPEN);
    const answered = once(ws, 'message');
    ws.send('{"type":"create","mode":"solo"}');
    const [frame] = (await answered) as [Buffer];
    assert.notEqual((JSON.parse(frame.toString()) as { type: string }).type, 'error');
    ws.close();
  });
});

/** What a paused socket holds and still receives, once the server's end of the stream arrives. */
async function readToEnd(socket: Socket): Promise<string> {
  socket.setEncoding('utf8');
  let text = '';
  socket.on('data', (chunk: string) => (text += chunk));
  const ended = once(socket, 'end');
  socket.resume();
  await ended;
  return text;
}

describe('closing after the goodbye does not wait for the peer', () => {
  let server: RunningServer;
  // A write timeout of 10 minutes: only a close that waits for nobody ends these connections in time.
  before(async () => (server = await startServer(['--first-message-timeout-ms', '150', '--idle-timeout-ms', '300', '--write-timeout-ms', '600000', '--limit-loopback'])));
  after(() => server.stop());

  it('a silent peer that never reads nor closes is let go at once, and finds the line and the end when it reads', BOUNDED, async () => {
    const silent = await open(server.port, true);
    silent.pause();
    const silentLeft = nextLog(server, (entry) => entry.msg === 'Disconnected' && entry.peer === `127.0.0.1:${silent.localPort}`);
    assert.equal((await silentLeft).reason, 'first-message-timeout');
    const idleLeft = nextLog(server, (entry) => entry.msg === 'Disconnected' && entry.reason === 'idle-timeout');
    const { socket: deaf } = await answeredThenDeaf(server.port, '5\n');
    assert.equal((await idleLeft).peer, `127.0.0.1:${deaf.localPort}`);
    const [first, later] = await Promise.all([readToEnd(silent), readToEnd(deaf)]);
    silent.destroy();
    deaf.destroy();
    assert.equal(first, `Error: Closed after 150 ms with no whole message (type a number, then Enter); connect again to play\n`);
    assert.equal(later, 'Error: Closed after 300 ms of silence; connect again to play\n');
  });
});

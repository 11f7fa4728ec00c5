import assert from 'node:assert/strict';
import { once } from 'node:events';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { JsonClient } from './helpers/json-client.js';
import { ROOT } from './helpers/paths.js';
import { untilClosed } from './helpers/raw-client.js';
import { startServer, type RunningServer } from './helpers/server.js';
import { TcpClient } from './helpers/tcp-client.js';
import { ERRORS } from '../src/protocol/errors.js';
import { createGameServer } from '../src/server/server.js';

/** Every test here talks to a real process or socket: none may hang the suite. */
const BOUNDED = { timeout: 15_000 };

describe('a bug met while serving one connection', () => {
  it('closes that connection, is logged with its error, and the others play on', BOUNDED, async () => {
    // The source of secrets breaks on its second use: the second connection's session cannot start.
    let calls = 0;
    const random = (min: number): number => {
      calls++;
      if (calls === 2) throw new Error('secret source broke');
      return min;
    };
    const errors: Array<{ fields: object; message: string }> = [];
    const log = { info() {}, warn() {}, debug() {}, error: (fields: object, message: string) => errors.push({ fields, message }) };
    const server = createGameServer({ random, log, host: '127.0.0.1', port: 0 });
    const { port } = await server.listen();
    try {
      const first = await TcpClient.connect(port);
      assert.equal(await first.ask('5'), 'Too big!');
      assert.equal((await untilClosed(port, '5\n')).toString(), `Error: ${ERRORS.E_INTERNAL}\n`);
      assert.equal(errors.length, 1);
      const [logged] = errors;
      assert.ok(logged !== undefined);
      assert.equal(logged.message, 'Internal error while serving a connection; closing it');
      assert.match(String((logged.fields as { err?: Error }).err?.message), /secret source broke/);
      assert.equal(await first.ask('1'), 'Exactly! You win!');
      const third = await TcpClient.connect(port);
      assert.equal(await third.ask('1'), 'Exactly! You win!');
      first.close();
      third.close();
    } finally {
      await server.close();
    }
  });
});

/** The error a peer gets when a bug ends its connection, in each dialect. */
const INTERNAL = ERRORS.E_INTERNAL;
const PEER_FAULT = 'Internal error while serving a connection; closing it';
const ROOM_FAULT = 'Internal error in a room\u2019s timer; closing the room';

interface LogEntry {
  level: number;
  msg: string;
  peer?: string;
  room?: string;
  err?: { message: string; stack: string };
}

/** The server's log entries at error level and above, printed from output offset `from` on. */
function faults(server: RunningServer, from = 0): LogEntry[] {
  return server
    .output()
    .slice(from)
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogEntry)
    .filter((entry) => entry.level >= 50);
}

/**
 * Waits for the log entry of one planted fault, printed from output offset `from` on; asserts it
 * is the only error since, with its stack, and nothing fatal.
 */
async function loggedOnce(server: RunningServer, message: string, planted: string, from = 0): Promise<LogEntry> {
  await server.waitFor(new RegExp(planted), from);
  const logged = faults(server, from);
  assert.equal(logged.length, 1, `one error logged, got ${JSON.stringify(logged)}`);
  const [entry] = logged;
  assert.ok(entry !== undefined);
  assert.equal(entry.level, 50);
  assert.equal(entry.msg, message);
  assert.equal(entry.err?.message, planted);
  assert.match(entry.err.stack, /plant-faults\.js/, 'the stack is in the log');
  return entry;
}

async function wsOpen(port: number): Promise<{ ws: WebSocket; frames: string[] }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  const frames: string[] = [];
  ws.on('message', (data: Buffer) => frames.push(data.toString()));
  await once(ws, 'open');
  return { ws, frames };
}

/** Sends one frame and resolves with the first frame of type `type` received after it. */
function wsAsk(ws: WebSocket, message: object, type: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer): void => {
      const reply = JSON.parse(data.toString()) as Record<string, unknown>;
      if (reply.type !== type) return;
      ws.off('message', onMessage);
      resolve(reply);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify(message));
  });
}

/**
 * For the tests of the enclosing `describe`: a real server process with bugs planted at its entry
 * points by a `node --import` fixture (no hook in the product). Each describe has its own, so
 * each counts only the faults it caused.
 */
function plantedServer(): () => RunningServer {
  const fixture = join(ROOT, 'test', 'fixtures', 'plant-faults.js');
  let server: RunningServer | undefined;
  before(async () => {
    server = await startServer(['--seed', '7', '--bot-delay-ms', '20'], { nodeArgs: ['--import', fixture] });
  });
  after(() => server?.stop());
  return () => {
    assert.ok(server !== undefined);
    return server;
  };
}

/** Still serving: a new plain peer is answered, and the process has not exited. */
async function stillServing(server: RunningServer): Promise<void> {
  const late = await TcpClient.connect(server.port);
  assert.match(await late.ask('50'), /^Too (big|small)!$|^Exactly/);
  late.close();
  assert.equal(server.child.exitCode, null, 'the server is still running');
}

describe('a bug met at any entry point of a real server', () => {
  const planted = plantedServer();

  it('on a TCP peer: that peer gets an error line in its dialect and is closed; the others play on', BOUNDED, async () => {
    const server = planted();
    const before = faults(server).length;
    assert.equal(before, 0);
    const other = await TcpClient.connect(server.port);
    assert.match(await other.ask('50'), /^Too|^Exactly/);
    const json = await JsonClient.hello(server.port, 'Ada');

    // The line before the bug, read with it, is answered first; the line after it is not read.
    const plain = await TcpClient.connect(server.port);
    plain.send('50\n424242\n60\n');
    await plain.closed();
    const [answer, error, ...rest] = plain.received.toString().split('\n');
    assert.match(answer ?? '', /^Too (big|small)!$/);
    assert.deepEqual([error, ...rest], [`Error: ${INTERNAL}`, '']);
    await loggedOnce(server, PEER_FAULT, 'planted fault in a guess');

    assert.match(await other.ask('60'), /^Too|^Exactly/);
    assert.equal((await json.ask({ type: 'create', mode: 'solo' }, 'room')).mode, 'solo');
    await stillServing(server);
    other.close();
    json.close();
    assert.equal(faults(server).length, 1);
  });

  it('on a classic peer, in the timer that ends its message: the bare sentence, then the close', BOUNDED, async () => {
    const server = planted();
    const from = server.output().length;
    const classic = await TcpClient.connect(server.port);
    classic.send('50');
    const first = (await classic.receivedBytes(1)).toString();
    assert.match(first, /^Too (big|small)!$|^Exactly/);
    classic.send('424242');
    await classic.closed();
    assert.equal(classic.received.toString().slice(first.length), INTERNAL);
    await loggedOnce(server, PEER_FAULT, 'planted fault in a guess', from);
    await stillServing(server);
  });

  it('on a JSON peer over TCP: an `error` with code E_INTERNAL, then the close', BOUNDED, async () => {
    const server = planted();
    const from = server.output().length;
    const victim = await JsonClient.connect(server.port);
    victim.send({ type: 'hello', name: 'planted fault' });
    assert.deepEqual(await victim.nextAny(), { type: 'error', code: 'E_INTERNAL', message: INTERNAL });
    await victim.tcp.closed();
    await loggedOnce(server, PEER_FAULT, 'planted fault in a hello', from);
    await stillServing(server);
  });

  it('on an HTTP request: a 500 with a fixed sentence, then the close; other requests are served', BOUNDED, async () => {
    const server = planted();
    const from = server.output().length;
    const response = (await untilClosed(server.port, 'GET /planted-fault HTTP/1.1\r\nHost: x\r\n\r\n')).toString();
    assert.match(response, /^HTTP\/1\.1 500 Internal Server Error\r\n/);
    assert.match(response, /\r\nX-Content-Type-Options: nosniff\r\n/);
    assert.match(response, /\r\nConnection: close\r\n/);
    assert.equal(response.slice(response.indexOf('\r\n\r\n') + 4), `${INTERNAL}\n`);
    await loggedOnce(server, PEER_FAULT, 'planted fault in a request', from);
    const health = (await untilClosed(server.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toString();
    assert.match(health, /^HTTP\/1\.1 200 OK\r\n/);
    await stillServing(server);
  });

  it('when a connection closes, TCP or WebSocket: logged once, and the server plays on', BOUNDED, async () => {
    const server = planted();
    let from = server.output().length;
    const tcp = await JsonClient.hello(server.port, 'planted fault at close');
    tcp.close();
    await loggedOnce(server, PEER_FAULT, 'planted fault at a close', from);
    await stillServing(server);

    from = server.output().length;
    const page = await wsOpen(server.port);
    assert.equal((await wsAsk(page.ws, { type: 'hello', name: 'planted fault at close' }, 'welcome')).name, 'planted fault at close');
    page.ws.close();
    await loggedOnce(server, PEER_FAULT, 'planted fault at a close', from);
    await stillServing(server);
  });
});

describe('a bug met while serving a WebSocket', () => {
  const planted = plantedServer();

  it('closes that WebSocket with an `error` and status 1011; other pages and TCP peers play on', BOUNDED, async () => {
    const server = planted();
    const other = await wsOpen(server.port);
    assert.equal((await wsAsk(other.ws, { type: 'hello', name: 'Bea' }, 'welcome')).name, 'Bea');
    const tcp = await TcpClient.connect(server.port);

    // Two frames that meet the bug, sent together: the second arrives after the first closed the WebSocket.
    const victim = await wsOpen(server.port);
    const closed = once(victim.ws, 'close');
    victim.ws.send(JSON.stringify({ type: 'hello', name: 'planted fault' }));
    victim.ws.send(JSON.stringify({ type: 'hello', name: 'planted fault' }));
    const [code] = (await closed) as [number, Buffer];
    assert.equal(code, 1011);
    assert.deepEqual(
      victim.frames.map((frame) => JSON.parse(frame) as unknown),
      [{ type: 'error', code: 'E_INTERNAL', message: INTERNAL }],
    );
    const entry = await loggedOnce(server, PEER_FAULT, 'planted fault in a hello');
    assert.match(entry.peer ?? '', /^127\.0\.0\.1:\d+$/);

    assert.equal((await wsAsk(other.ws, { type: 'create', mode: 'solo' }, 'round_start')).mode, 'solo');
    assert.equal((await wsAsk(other.ws, { type: 'guess', value: 50 }, 'result')).value, 50);
    assert.match(await tcp.ask('50'), /^Too|^Exactly/);
    const late = await wsOpen(server.port);
    assert.equal((await wsAsk(late.ws, { type: 'hello', name: 'Cy' }, 'welcome')).name, 'Cy');
    assert.equal(server.child.exitCode, null, 'the server is still running');
    assert.equal(faults(server).length, 1);
    for (const ws of [other.ws, late.ws]) ws.close();
    tcp.close();
  });
});

describe('a bug met in a room\u2019s timer', () => {
  const planted = plantedServer();

  it('closes that room with an `error` to its members; they stay connected, other rooms play on', BOUNDED, async () => {
    const server = planted();
    // Another room with a bot, started after the fault: its timer rings as before.
    const bea = await JsonClient.hello(server.port, 'Bea');
    await bea.ask({ type: 'create', mode: 'race', min: 1, max: 2 ** 40, bot: 'binary' }, 'room');

    const ada = await JsonClient.hello(server.port, 'Ada');
    const { code } = await ada.ask({ type: 'create', mode: 'race', min: 4242, max: 4300, bot: 'binary' }, 'room');
    const cy = await JsonClient.hello(server.port, 'Cy');
    await cy.ask({ type: 'join', code, as: 'spectator' }, 'room');
    // A member whose connection dropped: its seat waits for `resume` until the room breaks.
    const dan = await JsonClient.hello(server.port, 'Dan');
    await dan.ask({ type: 'join', code }, 'room');
    dan.close();
    while ((await ada.next('presence')).event !== 'dropped');
    // Starting arms the bot's timer; its first move meets the bug.
    ada.send({ type: 'start' });
    await ada.next('round_start');
    const message = `The server met an internal error and closed room ${code}; create or join another`;
    for (const member of [ada, cy]) {
      assert.deepEqual(await member.next('error'), { type: 'error', code: 'E_INTERNAL', message });
      assert.equal((await member.next('closed')).code, code);
    }
    const entry = await loggedOnce(server, ROOM_FAULT, 'planted fault in a room timer');
    assert.equal(entry.room, code);

    // The room is gone, its members are not: they are in no room, and may make another.
    assert.equal(await ada.refused({ type: 'guess', value: 4250 }), 'E_NOT_IN_ROOM');
    assert.equal(await cy.refused({ type: 'join', code }), 'E_UNKNOWN_ROOM');
    const back = await JsonClient.connect(server.port);
    assert.equal(await back.refused({ type: 'resume', token: dan.token }), 'E_UNKNOWN_TOKEN', 'the held seat is given up');
    back.close();
    assert.equal((await ada.ask({ type: 'create', mode: 'solo' }, 'room')).mode, 'solo');
    // The other room: its player is answered, and its bot (40 guesses from the end) moves.
    bea.send({ type: 'start' });
    await bea.next('round_start');
    assert.equal((await bea.ask({ type: 'guess', value: 1 }, 'result')).outcome, 'low');
    assert.equal((await bea.next('progress')).name, 'Bot');
    assert.equal(server.child.exitCode, null, 'the server is still running');
    assert.equal(faults(server).length, 1);
    for (const client of [ada, bea, cy]) client.close();
  });
});

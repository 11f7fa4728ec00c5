import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { seededRandom } from '../src/core/random.js';
import { createGameServer } from '../src/server/server.js';
import { JsonClient } from './helpers/json-client.js';
import { nextLog } from './helpers/raw-client.js';
import { startServer, type RunningServer } from './helpers/server.js';
import { SILENT_LOG } from './helpers/log.js';

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
  let exempt: RunningServer;
  before(async () => {
    [server, open, strict, exempt] = await Promise.all([
      startServer(),
      startServer(['--allow-origin', 'http://friend.example, http://other.example:8080']),
      startServer(['--limit-loopback', '--max-messages-per-second', '5']),
      startServer(['--max-messages-per-second', '5']),
    ]);
  });
  after(() => Promise.all([server.stop(), open.stop(), strict.stop(), exempt.stop()]));

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

  /** The replies to twenty frames sent at once. */
  async function twentyAtOnce(port: number): Promise<{ socket: WebSocket; replies: Array<{ type: string; code?: string }> }> {
    const { socket } = await handshake(`ws://127.0.0.1:${port}/ws`, undefined);
    const replies: Array<{ type: string; code?: string }> = [];
    const twenty = new Promise<void>((resolve) => {
      socket.on('message', (data: Buffer) => {
        replies.push(JSON.parse(data.toString('utf8')) as { type: string; code?: string });
        if (replies.length === 20) resolve();
      });
    });
    for (let i = 0; i < 20; i++) socket.send('{"type":"nonsense"}');
    await twenty;
    return { socket, replies };
  }

  it('answers frames over the message rate with E_RATE_LIMITED, as TCP does', async () => {
    const { socket, replies } = await twentyAtOnce(strict.port);
    const limited = replies.filter((reply) => reply.code === 'E_RATE_LIMITED').length;
    assert.ok(limited >= 15, `${limited} of 20 frames sent at once were over a limit of 5 per second`);
    assert.equal(replies.filter((reply) => reply.code === 'E_UNKNOWN_TYPE').length, 20 - limited);
    socket.close();
  });

  it('exempts loopback from the message rate by default, as TCP does', async () => {
    const { socket, replies } = await twentyAtOnce(exempt.port);
    assert.deepEqual(
      replies.map((reply) => reply.code),
      Array.from({ length: 20 }, () => 'E_UNKNOWN_TYPE'),
    );
    socket.close();
  });

  it('closes with 1008 (policy violation) a WebSocket that stays over the message rate', async () => {
    const { socket } = await handshake(`ws://127.0.0.1:${strict.port}/ws`, undefined);
    const closed = once(socket, 'close') as Promise<[number, Buffer]>;
    // Ten frames out, ten answers back, again: a flood as fast as it is answered, until the
    // server gives up on it (a cap and the test's timeout bound it if it never does).
    let answered = 0;
    let limited = 0;
    socket.on('message', (data: Buffer) => {
      if ((JSON.parse(data.toString('utf8')) as { code?: string }).code === 'E_RATE_LIMITED') limited++;
      if (++answered % 10 === 0 && socket.readyState === socket.OPEN && answered < 500_000) send10();
    });
    const send10 = (): void => {
      for (let i = 0; i < 10; i++) socket.send('{"type":"nonsense"}');
    };
    send10();
    const [code, reason] = await closed;
    assert.equal(code, 1008);
    assert.equal(reason.toString(), 'rate limit');
    assert.ok(limited > 0 && limited < answered, `${limited} of ${answered} answers were E_RATE_LIMITED`);
  });

  it('reads a binary frame as UTF-8 text, as a TCP line, even in fragments, and answers in text frames', async () => {
    const { socket } = await handshake(`ws://127.0.0.1:${server.port}/ws`, undefined);
    const bytes = Buffer.from('{"type":"hello","name":"Zo\u00eb"}');
    const cut = bytes.indexOf(0xc3) + 1;
    const answer = once(socket, 'message') as Promise<[Buffer, boolean]>;
    // One message in two binary fragments, cut inside the two bytes of the ë.
    socket.send(bytes.subarray(0, cut), { binary: true, fin: false });
    socket.send(bytes.subarray(cut), { binary: true, fin: true });
    const [data, binary] = await answer;
    assert.equal(binary, false, 'the answer is a text frame');
    const welcome = JSON.parse(data.toString('utf8')) as { type: string; name: string };
    assert.deepEqual([welcome.type, welcome.name], ['welcome', 'Zo\u00eb']);
    socket.close();
  });

  it('closes with 1009 on a frame longer than the message limit, as TCP closes on a long line', async () => {
    const { socket } = await handshake(`ws://127.0.0.1:${server.port}/ws`, undefined);
    socket.send(`{"type":"hello","name":"${'x'.repeat(2000)}"}`);
    const [code] = (await once(socket, 'close')) as [number];
    assert.equal(code, 1009);
  });
});

/**
 * A page in a race room that stops reading while the other player floods guesses: every guess
 * sends it a `progress` it never asked for, so pausing its reads holds nothing back. Resolves
 * the reason the server logged for dropping it, once the flooder has had the answer to one more
 * guess after the drop. Fails if the flood reaches `MAX_GUESSES` first (far more than the
 * socket buffers on both sides and the limits hold): the server would be buffering without bound.
 */
async function stallInRace(server: RunningServer): Promise<unknown> {
  const page = new WebSocket(`ws://127.0.0.1:${server.port}/ws`);
  const reply = async (message: object): Promise<{ type: string; code?: string }> => {
    const answered = once(page, 'message');
    page.send(JSON.stringify(message));
    const [data] = (await answered) as [Buffer];
    return JSON.parse(data.toString('utf8')) as { type: string; code?: string };
  };
  await once(page, 'open');
  assert.equal((await reply({ type: 'hello', name: 'Stalled' })).type, 'welcome');
  const room = await reply({ type: 'create', mode: 'race', min: 1, max: 1_000_000_000 });
  assert.equal(room.type, 'room');
  const code = room.code ?? '';
  const flooder = await JsonClient.hello(server.port, 'Flooder');
  await flooder.ask({ type: 'join', code }, 'room');
  // From here on the page reads nothing: its socket is paused, the kernel's buffers fill up.
  page.pause();
  flooder.send({ type: 'start' });
  await flooder.next('round_start');

  const state: { dropped: Record<string, unknown> | undefined } = { dropped: undefined };
  const dropped = nextLog(server, (entry) => entry.msg === 'Disconnected' && entry.dialect === 'http').then((entry) => (state.dropped = entry));
  // 1 is the room's lowest number: an answer is `low` unless the seeded secret is 1, which it is not.
  const batch = `${JSON.stringify({ type: 'guess', value: 1 })}\n`.repeat(BATCH);
  let guesses = 0;
  while (state.dropped === undefined) {
    if (guesses >= MAX_GUESSES) assert.fail(`still serving a page that reads nothing after ${guesses} broadcasts to it`);
    flooder.tcp.send(batch);
    for (let i = 0; i < BATCH; i++) assert.equal((await flooder.next('result')).outcome, 'low');
    guesses += BATCH;
  }
  const { reason } = await dropped;
  // The page's socket is closed: once it reads again, it gets what was in flight, then the end.
  const closed = once(page, 'close');
  page.resume();
  await closed;
  // The other player is still answered.
  assert.equal((await flooder.ask({ type: 'guess', value: 2 }, 'result')).outcome, 'low');
  flooder.close();
  return reason;
}

const BATCH = 500;
const MAX_GUESSES = 200_000;

describe('a WebSocket page that does not read', () => {
  it('is dropped once what waits for it passes --max-output-bytes', { timeout: 30_000 }, async () => {
    const server = await startServer(['--seed', '5', '--max-output-bytes', '65536', '--write-timeout-ms', '600000']);
    try {
      assert.equal(await stallInRace(server), 'output-limit');
    } finally {
      await server.stop();
    }
  });

  it('is dropped once its socket has not drained for --write-timeout-ms', { timeout: 30_000 }, async () => {
    const server = await startServer(['--seed', '5', '--write-timeout-ms', '200', '--max-output-bytes', '1000000000']);
    try {
      assert.equal(await stallInRace(server), 'write-timeout');
    } finally {
      await server.stop();
    }
  });
});

/** A JSON-over-WebSocket player for the liveness test: sends objects, waits for a message of a type. */
async function wsPlayer(url: string, options: { autoPong?: boolean } = {}): Promise<{ ws: WebSocket; next(type: string): Promise<Record<string, unknown>>; send(message: object): void }> {
  const ws = new WebSocket(url, options);
  const inbox: Array<Record<string, unknown>> = [];
  let wake: (() => void) | undefined;
  ws.on('message', (data: Buffer) => {
    inbox.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>);
    wake?.();
  });
  await once(ws, 'open');
  return {
    ws,
    send: (message) => ws.send(JSON.stringify(message)),
    async next(type) {
      for (;;) {
        const at = inbox.findIndex((m) => m.type === type);
        if (at >= 0) return inbox.splice(0, at + 1).at(-1) ?? {};
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}

describe('WebSocket liveness (wsPingMs 40)', () => {
  it('pings every WebSocket: one that answers stays, one that does not is closed and its seat held', { timeout: 15_000 }, async () => {
    const server = createGameServer({ random: seededRandom(4), log: SILENT_LOG, host: '127.0.0.1', port: 0, wsPingMs: 40 });
    const { port } = await server.listen();
    try {
      const url = `ws://127.0.0.1:${port}/ws`;
      const ada = await wsPlayer(url);
      // A page whose machine went to sleep: its socket stays open, but nothing answers a ping.
      const lid = await wsPlayer(url, { autoPong: false });
      let adaPings = 0;
      let lidPings = 0;
      ada.ws.on('ping', () => adaPings++);
      lid.ws.on('ping', () => lidPings++);
      ada.send({ type: 'hello', name: 'Ada' });
      await ada.next('welcome');
      lid.send({ type: 'hello', name: 'Lid' });
      const { token, player: lidId } = await lid.next('welcome');
      ada.send({ type: 'create', mode: 'race' });
      const { code } = await ada.next('room');
      lid.send({ type: 'join', code });
      await lid.next('room');
      await ada.next('presence');

      const lidClosed = once(lid.ws, 'close').then(() => 'closed');
      const fivePings = new Promise<string>((resolve) => ada.ws.on('ping', () => adaPings === 5 && resolve('five pings')));
      assert.equal(await Promise.race([lidClosed, fivePings]), 'closed', 'a WebSocket that answers no ping is closed at the next one');
      assert.ok(lidPings >= 1);
      const dropped = await ada.next('presence');
      assert.deepEqual([dropped.event, dropped.player], ['dropped', lidId]);
      // The one that answers is pinged on and still plays; the seat waits for a resume.
      await fivePings;
      ada.send({ type: 'start' });
      assert.equal((await ada.next('round_start')).type, 'round_start');
      const back = await wsPlayer(url);
      back.send({ type: 'resume', token });
      assert.equal((await back.next('welcome')).resumed, true);
      ada.ws.close();
      back.ws.close();
    } finally {
      await server.close();
    }
  });
});

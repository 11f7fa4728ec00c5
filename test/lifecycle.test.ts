import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { GOODBYE, REPORT_STALLS, STUCK_FLAGS, stuckPeer } from './helpers/drain-peers.js';
import { exchange, open } from './helpers/raw-client.js';
import { ROOT } from './helpers/paths.js';
import { finished, runGuess, waitForLine } from './helpers/process.js';
import { startServer } from './helpers/server.js';
import { TcpClient } from './helpers/tcp-client.js';
import { tempDir } from './helpers/db-files.js';

/** Every test here talks to a real process or socket: none may hang the suite. */
const BOUNDED = { timeout: 15_000 };

describe('graceful drain', () => {
  it('answers what arrived, says goodbye in every dialect, and exits 0', BOUNDED, async () => {
    const server = await startServer(['--seed', '3', '--trace']);
    const plain = await open(server.port);
    const classic = await open(server.port);
    const json = await open(server.port);
    const http = await open(server.port);
    const silent = await open(server.port);
    const received = [plain, classic, json, http, silent].map((socket) => exchange(socket));
    // Each dialect decided and answered once before the signal (the classic one by its silence).
    const seen = Promise.all([plain, classic, json].map((socket) => once(socket, 'data')));
    plain.write('50\n');
    classic.write('50');
    json.write('{"type":"hello"}\n');
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`);
    const frames: string[] = [];
    ws.on('message', (data: Buffer) => frames.push(data.toString()));
    const wsClosed = once(ws, 'close');
    await once(ws, 'open');
    const wsAnswered = once(ws, 'message');
    ws.send('{"type":"hello"}');
    const httpAnswered = once(http, 'data');
    http.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await Promise.all([seen, wsAnswered, httpAnswered]);
    const exited = finished(server.child);
    server.child.kill('SIGTERM');
    const [p, c, j, h, s] = await Promise.all(received);
    const exit = await exited;
    assert.equal(exit.code, 0);
    assert.match(p?.toString() ?? '', new RegExp(`^(Too small!|Too big!|Exactly! You win!)\\nError: ${GOODBYE}\\n$`));
    assert.match(c?.toString() ?? '', new RegExp(`^(Too small!|Too big!|Exactly! You win!)${GOODBYE}$`));
    // A JSON player gets its token back with the goodbye, to resume with.
    const lines = (j?.toString().trim().split('\n') ?? []).map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(lines.at(0)?.type, 'welcome');
    assert.deepEqual(lines.at(-1), { type: 'shutdown', message: GOODBYE, retryAfterMs: 3_000, token: lines.at(0)?.token });
    // A keep-alive connection with its request answered is simply closed.
    assert.match(h?.toString() ?? '', /^HTTP\/1\.1 200 OK\r\n/);
    const [code] = (await wsClosed) as [number];
    assert.equal(code, 1000);
    const welcome = JSON.parse(frames[0] ?? '') as Record<string, unknown>;
    assert.equal(typeof welcome.token, 'string');
    assert.deepEqual(JSON.parse(frames.at(-1) ?? ''), { type: 'shutdown', message: GOODBYE, retryAfterMs: 3_000, token: welcome.token });
    assert.equal(s?.length, 0);
    assert.match(server.output(), /"msg":"Shutting down"/);
  });

  it('exits 0 once drained even if something still holds its event loop', BOUNDED, async () => {
    // Nothing of ours ends this timer, as nothing ended a Redis client that reconnected after it was destroyed.
    const server = await startServer(['--seed', '3'], { nodeArgs: ['--import', 'data:text/javascript,setInterval(() => undefined, 1000)'] });
    const exited = finished(server.child);
    server.child.kill('SIGTERM');
    const exit = await exited;
    assert.equal(exit.code, 0);
    assert.match(server.output(), /"msg":"Stopped"/);
  });

  it('answers a classic guess still waiting for silence before the goodbye', BOUNDED, async () => {
    const server = await startServer(['--seed', '3', '--trace']);
    const classic = await open(server.port);
    const first = once(classic, 'data');
    classic.write('50');
    await first;
    const received = exchange(classic);
    const arrived = waitForLine(server.child.stderr, (line) => line.includes('──"25"──▶'));
    classic.write('25');
    await arrived;
    server.child.kill('SIGTERM');
    assert.match((await received).toString(), new RegExp(`^(Too small!|Too big!|Exactly! You win!)${GOODBYE}$`));
  });

  it('closes each connection once its goodbye is flushed, and cuts off at --shutdown-timeout-ms only a peer whose buffers are full', BOUNDED, async () => {
    const server = await startServer(['--shutdown-timeout-ms', '300', ...STUCK_FLAGS], { nodeArgs: REPORT_STALLS });
    // It reads, but never closes its side: its FIN is not waited for.
    const reader = await open(server.port, true);
    let received = '';
    reader.setEncoding('utf8').on('data', (text: string) => (received += text));
    const ended = once(reader, 'end');
    const answered = once(reader, 'data');
    reader.write('50\n');
    await answered;
    const stuck = await stuckPeer(server);
    const started = performance.now();
    const exited = once(server.child, 'exit');
    server.child.kill('SIGINT');
    const [code] = (await exited) as [number | null];
    const took = performance.now() - started;
    assert.equal(code, 0);
    assert.ok(took >= 250, `exited after ${took.toFixed(0)} ms, before the deadline`);
    assert.ok(took < 4_000, `exited after ${took.toFixed(0)} ms, long past the 300 ms deadline`);
    await ended;
    assert.match(received, new RegExp(`Error: ${GOODBYE}\\n$`));
    // The server's own log, in its order: the reader was let go before the deadline, the stuck
    // peer (and only it) at the deadline.
    const log = server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg: string; peer?: string; reason?: string; left?: number });
    const at = (match: (entry: (typeof log)[number]) => boolean): number => log.findIndex(match);
    const deadline = at((entry) => entry.msg === 'Shutdown deadline passed; closing the remaining connections');
    assert.notEqual(deadline, -1);
    assert.equal(log[deadline]?.left, 1);
    const gone = (socket: Socket): number => at((entry) => entry.msg === 'Disconnected' && entry.peer === `127.0.0.1:${socket.localPort}`);
    assert.ok(gone(reader) !== -1 && gone(reader) < deadline, 'the reader was held until the deadline');
    assert.ok(gone(stuck) > deadline, 'the stuck peer was let go before the deadline');
    reader.destroy();
    stuck.destroy();
  });

  it('exits at once on a second signal', BOUNDED, async () => {
    const server = await startServer(['--shutdown-timeout-ms', '600000', ...STUCK_FLAGS], { nodeArgs: REPORT_STALLS });
    const reader = await TcpClient.connect(server.port);
    reader.socket.allowHalfOpen = true;
    assert.match(await reader.ask('50'), /^Too|^Exactly/);
    // Its goodbye cannot be flushed: the drain waits for it until the (distant) deadline.
    const stuck = await stuckPeer(server);
    const exited = finished(server.child);
    server.child.kill('SIGTERM');
    assert.equal(await reader.nextLine(), `Error: ${GOODBYE}`);
    server.child.kill('SIGTERM');
    const exit = await exited;
    assert.equal(exit.code, 143);
    reader.close();
    stuck.destroy();
  });
});

describe('an error nothing else caught', () => {
  const fixture = join(ROOT, 'test', 'fixtures', 'crash-on-signal.js');
  for (const crash of ['throw', 'reject'] as const) {
    it(`(${crash === 'throw' ? 'an exception' : 'a rejected promise'}) is logged once, drains with a goodbye, and exits 1`, BOUNDED, async () => {
      // The fixture fails inside the server process on SIGUSR2: no hook in the product.
      const server = await startServer([], { nodeArgs: ['--import', fixture], env: { CRASH: crash } });
      let stderr = '';
      server.child.stderr.on('data', (text: string) => (stderr += text));
      const client = await TcpClient.connect(server.port);
      assert.match(await client.ask('50'), /^Too|^Exactly/);
      const exited = finished(server.child);
      server.child.kill('SIGUSR2');
      assert.equal(await client.nextLine(), `Error: ${GOODBYE}`);
      const exit = await exited;
      assert.equal(exit.code, 1);
      const lines = server.output().split('\n').filter((line) => line !== '');
      const fatal = lines.filter((line) => line.includes('"level":60'));
      assert.equal(fatal.length, 1, `one fatal log line, got ${fatal.length}`);
      const entry = JSON.parse(fatal[0] ?? '') as { msg: string; err: { message: string } };
      assert.equal(entry.msg, 'Unexpected internal error; shutting down');
      assert.equal(entry.err.message, 'planted failure');
      // The stack stays inside the log entry: no line of the output is a bare stack frame or
      // Node's own report of an uncaught error.
      assert.equal(stderr, '');
      for (const line of lines) assert.ok(line.startsWith('{') || /^(Games are kept|Listening on|Open in a browser|Play from another|Teacher's view|Warning: --seed)/.test(line), line);
      assert.match(server.output(), /"msg":"Stopped"/);
      client.close();
    });
  }
});

describe('errors people see', () => {
  it('port in use: one line that says what to do, exit 1', BOUNDED, async () => {
    const server = await startServer();
    // On a fixed port the games' file defaults to one in the user's data directory: not ours to write.
    const data = tempDir();
    try {
      const result = await runGuess(['serve', '--port', String(server.port)], '', { XDG_DATA_HOME: data.path });
      assert.equal(result.code, 1);
      assert.equal(result.stderr, `guess: port ${server.port} is in use — is another server running? Try --port\n`);
    } finally {
      await server.stop();
      data.remove();
    }
  });

  it('an address this machine does not have: one line, exit 1', BOUNDED, async () => {
    const result = await runGuess(['serve', '--port', '0', '--host', '192.0.2.1']);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, 'guess: cannot listen on 192.0.2.1: this machine has no such address — try --host 127.0.0.1 or --host 0.0.0.0\n');
  });

  it('a bad limit: one line naming the flag, exit 2', BOUNDED, async () => {
    const zero = await runGuess(['serve', '--max-connections', '0']);
    assert.equal(zero.code, 2);
    assert.equal(zero.stderr, 'guess: --max-connections must be a positive integer, got 0\n');
    const word = await runGuess(['serve', '--idle-timeout-ms', 'soon']);
    assert.equal(word.code, 2);
    assert.equal(word.stderr, "guess: --idle-timeout-ms must be an integer, got 'soon'\n");
  });
});

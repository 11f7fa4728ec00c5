import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { ANSWER_TIMEOUT_MS, CONNECT_TIMEOUT_MS, retryWindowMs } from '../src/protocol/reconnect.js';
import { seconds } from '../src/client/room-link.js';
import { assertNoStackTrace } from './helpers/assertions.js';
import { fakeServer, roomLine, welcomeLine } from './helpers/fake-server.js';
import { finished, spawnGuess, waitForLine } from './helpers/process.js';
import { PYTHON3 } from './helpers/pty.js';

const GOODBYE = 'The server is shutting down; come back in a minute';

/** The server's goodbye, announcing it is back in `retryAfterMs`: the client then tries for twice that. */
function shutdownLine(retryAfterMs: number): string {
  return `${JSON.stringify({ type: 'shutdown', message: GOODBYE, retryAfterMs })}\n`;
}

/**
 * Runs `guess join --room` against the server on `port` with stdin left open (a player who has not
 * typed), killed if it outlives `limitMs`; resolves its output, its status and how long it ran.
 */
async function joinRoom(port: number, limitMs: number): Promise<{ code: number | null; output: string; ms: number }> {
  const started = Date.now();
  const child = spawnGuess(['join', `127.0.0.1:${port}`, '--room', 'ABCDE', '--name', 'Ada']);
  // A client that never gives up fails the test instead of hanging it.
  const watchdog = setTimeout(() => child.kill('SIGKILL'), limitMs);
  const result = await finished(child);
  clearTimeout(watchdog);
  return { code: result.code, output: result.stdout + result.stderr, ms: Date.now() - started };
}

/** The lines of `output` that start with `guess:` (a room prompt may come first on the line: stdout is a pipe). */
function errorLines(output: string): string[] {
  return output
    .split('\n')
    .map((line) => line.replace(/^(> )+/, ''))
    .filter((line) => line.startsWith('guess:'));
}

const NO_PYTHON = PYTHON3 ? false : 'python3 is missing: no listener that never accepts';

/**
 * A loopback listener whose accept queue holds one connection and is full, so that the kernel
 * drops every further SYN and a connect() to it hangs. Given `welcome` and `goodbye`, it first
 * plays a room server to one client: `welcome` to its hello, `goodbye` to its join, then it closes
 * that connection and fills its queue, so the client's reconnections hang.
 */
async function fullListener(welcome?: string, goodbye?: string): Promise<{ port: number; stop(): Promise<unknown> }> {
  const script = [
    'import json, socket, sys',
    'server = socket.socket()',
    "server.bind(('127.0.0.1', 0))",
    'server.listen(0)',
    'def fill():',
    '    return socket.create_connection(server.getsockname())',
    'if len(sys.argv) == 1:',
    '    filler = fill()',
    'print(server.getsockname()[1], flush=True)',
    'if len(sys.argv) > 1:',
    '    conn, _ = server.accept()',
    "    for line in conn.makefile('r', encoding='utf-8'):",
    "        kind = json.loads(line)['type']",
    "        if kind == 'hello':",
    '            conn.sendall(sys.argv[1].encode())',
    "        elif kind == 'join':",
    '            break',
    '    filler = fill()',
    '    conn.sendall(sys.argv[2].encode())',
    '    conn.shutdown(socket.SHUT_RDWR)',
    'sys.stdin.read()',
  ].join('\n');
  const python = spawn('python3', ['-c', script, ...(welcome === undefined || goodbye === undefined ? [] : [welcome, goodbye])]);
  const done = finished(python);
  const port = Number(await waitForLine(python.stdout, (line) => /^\d+$/.test(line)));
  return {
    port,
    stop: () => {
      python.kill('SIGKILL');
      return done;
    },
  };
}

describe('the room client gives up on a server that takes connections and says nothing', { timeout: 60_000, concurrency: true }, () => {
  it('a reconnect whose resume gets no answer is given up and tried again, then the client stops with one line', async () => {
    // Twice the announced 3 s: room for a second attempt after a first that waits out ANSWER_TIMEOUT_MS.
    const windowMs = retryWindowMs(3_000);
    assert.ok(windowMs >= 2 * ANSWER_TIMEOUT_MS);
    const fake = await fakeServer((line, socket) => {
      if (line.includes('"hello"')) socket.write(welcomeLine());
      if (line.includes('"join"')) socket.end(`${roomLine()}${shutdownLine(3_000)}`);
      // `resume` is never answered.
    });
    try {
      // The last attempt starts by the window's end and waits no longer than ANSWER_TIMEOUT_MS; the rest is slack for a busy machine.
      const { code, output } = await joinRoom(fake.port, windowMs + 4 * ANSWER_TIMEOUT_MS);
      assert.match(output, new RegExp(`${GOODBYE}\\. Reconnecting by itself for up to ${seconds(windowMs)}`));
      assert.deepEqual(errorLines(output), [
        `guess: could not get back to the server within ${seconds(windowMs)}; giving up (last try: the server took the connection but did not answer within ${seconds(ANSWER_TIMEOUT_MS)})`,
      ]);
      assertNoStackTrace(output);
      assert.equal(code, 1);
      const resumes = fake.lines.filter((line) => line.includes('"resume"'));
      assert.ok(resumes.length >= 2, `tried again after a silent attempt: ${resumes.length} resume(s)`);
      assert.ok(resumes.every((line) => line.includes('"token":"tok-1"')));
      assert.equal(fake.connections(), 1 + resumes.length, 'every reconnection sent resume');
    } finally {
      await fake.close();
    }
  });

  it('a first connection whose hello gets no answer ends the client with one line', async () => {
    const silent = await fakeServer(() => undefined);
    try {
      const { code, output } = await joinRoom(silent.port, 4 * ANSWER_TIMEOUT_MS);
      assert.deepEqual(errorLines(output), [
        `guess: the server at 127.0.0.1:${silent.port} took the connection but did not answer within ${seconds(ANSWER_TIMEOUT_MS)}`,
      ]);
      assert.equal(code, 1);
      assert.equal(silent.connections(), 1);
    } finally {
      await silent.close();
    }
  });

  // A listener that never accepts, with its one queue place taken, drops every SYN: connect() hangs.
  it('a reconnect whose connection is never made is given up after CONNECT_TIMEOUT_MS', { skip: NO_PYTHON }, async () => {
    const windowMs = retryWindowMs(1_000);
    const listener = await fullListener(welcomeLine(), `${roomLine()}${shutdownLine(1_000)}`);
    try {
      const { code, output, ms } = await joinRoom(listener.port, windowMs + 4 * CONNECT_TIMEOUT_MS);
      assert.match(output, new RegExp(`Reconnecting by itself for up to ${seconds(windowMs)}`));
      assert.deepEqual(errorLines(output), [
        `guess: could not get back to the server within ${seconds(windowMs)}; giving up (last try: no connection within ${seconds(CONNECT_TIMEOUT_MS)})`,
      ]);
      assert.equal(code, 1);
      assert.ok(ms >= CONNECT_TIMEOUT_MS, `waited ${ms} ms for the connection`);
    } finally {
      await listener.stop();
    }
  });

  it('a first connection that is never made ends the client with one line after CONNECT_TIMEOUT_MS', { skip: NO_PYTHON }, async () => {
    const listener = await fullListener();
    try {
      const { code, output, ms } = await joinRoom(listener.port, 4 * CONNECT_TIMEOUT_MS);
      assert.deepEqual(errorLines(output), [`guess: cannot connect to 127.0.0.1:${listener.port}: no connection within ${seconds(CONNECT_TIMEOUT_MS)}`]);
      assert.equal(code, 1);
      assert.ok(ms >= CONNECT_TIMEOUT_MS, `waited ${ms} ms for the connection`);
    } finally {
      await listener.stop();
    }
  });
});

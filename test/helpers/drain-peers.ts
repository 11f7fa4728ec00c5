import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { ROOT } from './paths.js';
import { open } from './raw-client.js';
import type { RunningServer } from './server.js';

export const GOODBYE = 'The server is restarting or shutting down; try again in a few seconds';
const ANSWER = '(Too small!|Too big!|Exactly! You win!)';

/**
 * A peer of a draining server, connected and in its resting state (silent, not reading, idle):
 * `check` resolves once the server has let it go, and asserts what it saw: its goodbye, if its
 * dialect has one, then the close. None of them ever closes its own side first.
 */
export interface DrainPeer {
  readonly kind: string;
  check(): Promise<void>;
}

/** Everything a half-open socket receives until the server's FIN (an 'end', not a reset). */
function collect(socket: Socket): { text(): string; ended: Promise<void> } {
  let text = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  const ended = new Promise<void>((resolve, reject) => {
    socket.once('end', () => resolve());
    socket.once('close', () => reject(new Error(`closed without an end of stream after ${JSON.stringify(text)}`)));
  });
  return { text: () => text, ended };
}

/** A peer the server only closes: nothing more arrives before the end of the stream. */
function closedWithoutAWord(kind: string, socket: Socket): DrainPeer {
  const seen = collect(socket);
  return {
    kind,
    async check() {
      await seen.ended;
      assert.equal(seen.text(), '');
      socket.destroy();
    },
  };
}

/** Connected, sends nothing (`nc` left alone). */
export async function silentPeer(port: number): Promise<DrainPeer> {
  return closedWithoutAWord('silent TCP', await open(port, true));
}

/**
 * Connects half-open (it never closes its side), sends a plain `guess`, reads the answer, and
 * from then on reads nothing: a client blocked in `input()`.
 */
export async function answeredThenDeaf(port: number, guess: string): Promise<{ socket: Socket; answer: string }> {
  const socket = await open(port, true);
  socket.setEncoding('utf8');
  const answered = once(socket, 'data');
  socket.write(guess);
  const [answer] = (await answered) as [string];
  socket.pause();
  return { socket, answer };
}

/** A plain client blocked in `input()`: only after the drain does it look at what arrived. */
export async function plainNonReader(port: number): Promise<DrainPeer> {
  const { socket, answer } = await answeredThenDeaf(port, '50\n');
  const seen = collect(socket);
  return {
    kind: 'plain, not reading',
    async check() {
      socket.resume();
      await seen.ended;
      assert.match(answer + seen.text(), new RegExp(`^${ANSWER}\\nError: ${GOODBYE}\\n$`));
      socket.destroy();
    },
  };
}

/** A browser tab's idle keep-alive connection: one request answered, then nothing. */
export async function idleHttpPeer(port: number): Promise<DrainPeer> {
  const socket = await open(port, true);
  let text = '';
  socket.setEncoding('utf8');
  const answered = new Promise<void>((resolve) => {
    const onData = (chunk: string): void => {
      text += chunk;
      if (!text.endsWith('}')) return;
      socket.off('data', onData);
      resolve();
    };
    socket.on('data', onData);
  });
  socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
  await answered;
  assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
  assert.doesNotMatch(text, /\r\nConnection: close\r\n/i);
  return closedWithoutAWord('idle keep-alive HTTP', socket);
}

/**
 * A page's WebSocket, welcomed: the goodbye frame, then a close frame. One that is not `reading`
 * stops reading its socket once welcomed, so it never answers the close frame while the server
 * drains; only afterwards does it look at what arrived.
 */
export async function webSocketPeer(port: number, reading = true): Promise<DrainPeer> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  ws.on('error', () => {});
  const frames: Array<Record<string, unknown>> = [];
  ws.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString()) as Record<string, unknown>));
  const closed = once(ws, 'close');
  await once(ws, 'open');
  const welcomed = once(ws, 'message');
  ws.send('{"type":"hello","name":"Tab"}');
  await welcomed;
  const token = frames[0]?.token;
  assert.equal(typeof token, 'string');
  if (!reading) ws.pause();
  return {
    kind: reading ? 'WebSocket' : 'WebSocket, not reading',
    async check() {
      ws.resume();
      const [code] = (await closed) as [number];
      assert.equal(code, 1000);
      assert.deepEqual(frames.at(-1), { type: 'shutdown', message: GOODBYE, retryAfterMs: 3_000, token });
    },
  };
}

/** A JSON-lines player over TCP, welcomed and reading. */
export async function jsonPeer(port: number): Promise<DrainPeer> {
  const socket = await open(port, true);
  const seen = collect(socket);
  const welcomed = once(socket, 'data');
  socket.write('{"type":"hello","name":"Ada"}\n');
  await welcomed;
  return {
    kind: 'JSON over TCP',
    async check() {
      await seen.ended;
      const lines = seen
        .text()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      const [welcome, goodbye] = lines;
      assert.equal(lines.length, 2);
      assert.equal(welcome?.type, 'welcome');
      assert.deepEqual(goodbye, { type: 'shutdown', message: GOODBYE, retryAfterMs: 3_000, token: welcome.token });
      socket.destroy();
    },
  };
}

/** Connects `count` peers of one kind, one after the other (the server sees them in order). */
export async function connectMany(count: number, connect: (port: number) => Promise<DrainPeer>, port: number): Promise<DrainPeer[]> {
  const peers: DrainPeer[] = [];
  for (let i = 0; i < count; i++) peers.push(await connect(port));
  return peers;
}

/** For `startServer`'s nodeArgs: the fixture that reports a peer whose buffers are full. */
export const REPORT_STALLS = ['--import', join(ROOT, 'test', 'fixtures', 'report-stalls.js')];
/** Neither limit on unread replies cuts a stuck peer off before the drain does. */
export const STUCK_FLAGS = ['--max-output-bytes', '1000000000', '--write-timeout-ms', '600000'];

/**
 * A peer that never reads while it sends a flood of empty lines (41 bytes of reply for each
 * byte): resolves once the server, run with REPORT_STALLS and STUCK_FLAGS, reports that the
 * kernel's buffers toward it are full, so that a goodbye can no longer be flushed to it.
 */
export async function stuckPeer(server: RunningServer): Promise<Socket> {
  const socket = await open(server.port, true);
  socket.pause();
  const from = server.output().length;
  socket.write(Buffer.alloc(1024 * 1024, '\n'));
  await server.waitFor(new RegExp(`stalled ${socket.localPort}\\n`), from);
  return socket;
}

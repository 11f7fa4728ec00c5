import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { open, whenClosed } from './raw-client.js';

/**
 * Every kind of bad input the server must shrug off, as a script of its own: the abuse test
 * runs it in a separate process, so the abusers' work does not delay the healthy player's
 * measurements. `node abusers.js PORT` prints one JSON line of figures and exits.
 */

let failures = 0;

/** Runs `count` copies of `task`, at most `parallel` at a time. */
async function many(count: number, parallel: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      // An abuser that cannot even connect (a loaded machine's full backlog) is counted, not fatal:
      // what is measured is how the healthy player is served.
      await task(next++).catch(() => failures++);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
}

/** Connects, sends, half-closes (or resets), and resolves once the server has closed the socket. */
async function hit(port: number, bytes: Buffer | string, how: 'end' | 'reset' = 'end'): Promise<void> {
  const socket = await open(port, true);
  socket.resume();
  const closed = whenClosed(socket);
  socket.on('end', () => socket.destroy());
  socket.write(bytes);
  if (how === 'reset') socket.resetAndDestroy();
  else socket.end();
  await closed;
}

/** 50 MB with no line ending, written as fast as the server reads it, until the server hangs up. */
async function flood(port: number): Promise<number> {
  const socket = await open(port);
  socket.resume();
  const chunk = Buffer.alloc(1 << 20, '7');
  let sent = 0;
  const state = { closed: false };
  const closed = whenClosed(socket).then(() => (state.closed = true));
  while (!state.closed && sent < 50 * (1 << 20)) {
    sent += chunk.length;
    if (!socket.write(chunk)) await Promise.race([new Promise((resolve) => socket.once('drain', resolve)), closed]);
  }
  socket.destroy();
  return sent;
}

/**
 * Slowloris: HTTP requests whose head never ends, one header line every 10 ms, 300 at most. The
 * server closes them at its first-message deadline.
 */
async function slowloris(port: number, count: number): Promise<number> {
  const sockets = await Promise.all(Array.from({ length: count }, () => open(port)));
  const closed = Promise.all(sockets.map((socket) => whenClosed(socket)));
  for (const socket of sockets) socket.write('GET / HTTP/1.1\r\nHost: x\r\n');
  let drips = 0;
  const drip = setInterval(() => {
    if (++drips > 300) for (const socket of sockets) socket.destroy();
    else for (const socket of sockets) if (!socket.destroyed) socket.write(`X-${drips}: y\r\n`);
  }, 10);
  await closed;
  clearInterval(drip);
  return drips;
}

/** Connections opened and dropped at once, the way a port scanner or a crashed client does. */
async function storm(port: number, count: number): Promise<void> {
  await many(count, 100, async () => {
    const socket = await open(port);
    socket.destroy();
  });
}

const HTTP_GARBAGE = [
  'GET / HTTP/1.1\r\nHost: \0\r\n\r\n',
  `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
  'GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: nope\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\nabc',
  'GET / HTTP/9.9\r\n\r\n',
  'GET  \r\n\r\n',
];


/** Runs every abuser at once; resolves with what the flood managed to send. */
export async function abuse(port: number): Promise<{ flooded: number; failures: number }> {
  const [flooded] = await Promise.all([
    flood(port).catch(() => (failures++, 0)),
    many(100, 20, () => hit(port, randomBytes(4096))),
    // 100 lines each: every line is answered with an error line, and 1,000 each (50,000 replies)
    // was most of the server's work in the abuse, a cost that tested nothing more.
    many(50, 10, () => hit(port, Buffer.from('\xff\xfe\0\xc3\n'.repeat(100), 'latin1'))),
    many(50, 10, () => hit(port, `{"type":${'['.repeat(500)}\n{"type":"guess","value":"x"}\n{}\n`.repeat(20))),
    many(60, 10, (i) => hit(port, HTTP_GARBAGE[i % HTTP_GARBAGE.length] ?? '')),
    many(100, 20, () => hit(port, '50')),
    many(100, 20, () => hit(port, '12', 'reset')),
    slowloris(port, 200).catch(() => failures++),
    storm(port, 2000),
  ]);
  return { flooded, failures };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`${JSON.stringify(await abuse(Number(process.argv[2])))}\n`);
}

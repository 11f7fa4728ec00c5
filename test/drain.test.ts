import assert from 'node:assert/strict';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import {
  answeredThenDeaf,
  connectMany,
  idleHttpPeer,
  jsonPeer,
  plainNonReader,
  silentPeer,
  webSocketPeer,
  type DrainPeer,
} from './helpers/drain-peers.js';
import { launchBrowser, noBrowser, openPlayer } from './helpers/browser.js';
import { spawnGuess } from './helpers/process.js';
import { nextLog, untilClosed } from './helpers/raw-client.js';
import { startServer, type RunningServer } from './helpers/server.js';

/** Every test here talks to a real process: none may hang the suite. */
const BOUNDED = { timeout: 20_000 };

/** What the README promises for a drain, whoever is connected. */
const WITHIN_MS = 1_000;

type Peers = (port: number) => Promise<DrainPeer[]>;

/** The connections so far are all accepted: the server counts them (the asking one too). */
async function allAccepted(port: number, count: number): Promise<void> {
  const reply = (await untilClosed(port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n')).toString();
  const health = JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4)) as { connections: number };
  assert.ok(health.connections >= count + 1, `the server counts ${health.connections} connections, not ${count + 1}`);
}

/** Signals the server, and resolves with how long it took to exit and how. */
async function drain(server: RunningServer, signal: NodeJS.Signals): Promise<{ ms: number; code: number | null }> {
  const exited = once(server.child, 'exit');
  const sent = performance.now();
  server.child.kill(signal);
  const [code] = (await exited) as [number | null];
  return { ms: performance.now() - sent, code };
}

async function drainsInTime(signal: NodeJS.Signals, peers: Peers): Promise<number> {
  const server = await startServer(['--log-level', 'info']);
  const connected = await peers(server.port);
  await allAccepted(server.port, connected.length);
  const { ms, code } = await drain(server, signal);
  assert.equal(code, 0);
  assert.ok(ms < WITHIN_MS, `exited ${ms.toFixed(0)} ms after ${signal}`);
  assert.doesNotMatch(server.output(), /deadline passed/);
  await Promise.all(connected.map((peer) => peer.check()));
  return ms;
}

const MIX: Peers = async (port) => [
  ...(await connectMany(50, silentPeer, port)),
  ...(await connectMany(50, plainNonReader, port)),
  ...(await connectMany(5, idleHttpPeer, port)),
  ...(await connectMany(5, webSocketPeer, port)),
  ...(await connectMany(5, (at) => webSocketPeer(at, false), port)),
  ...(await connectMany(5, jsonPeer, port)),
];

describe('a drain in under a second, whoever is connected', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} with 50 silent TCP peers, 50 plain peers that never read, 5 idle keep-alive HTTP connections, 10 WebSockets and 5 JSON players`, BOUNDED, async (t) => {
      t.diagnostic(`drained in ${(await drainsInTime(signal, MIX)).toFixed(0)} ms`);
    });
  }

  const kinds: ReadonlyArray<[string, Peers]> = [
    ['silent TCP peers', (port) => connectMany(20, silentPeer, port)],
    ['plain peers that never read', (port) => connectMany(20, plainNonReader, port)],
    ['idle keep-alive HTTP connections', (port) => connectMany(5, idleHttpPeer, port)],
    ['WebSockets', (port) => connectMany(5, webSocketPeer, port)],
    ['WebSockets that do not read', (port) => connectMany(5, (at) => webSocketPeer(at, false), port)],
    ['JSON players over TCP', (port) => connectMany(20, jsonPeer, port)],
  ];
  for (const [name, peers] of kinds) {
    it(`SIGTERM with ${name} only`, BOUNDED, async (t) => {
      t.diagnostic(`drained in ${(await drainsInTime('SIGTERM', peers)).toFixed(0)} ms`);
    });
  }
});

describe('a drain with a browser tab open', { skip: noBrowser }, () => {
  it('lets its keep-alive connections and its WebSocket go at once: goodbye, then a clean close', BOUNDED, async () => {
    const server = await startServer();
    const browser = await launchBrowser();
    try {
      const { page } = await openPlayer(browser, `http://127.0.0.1:${server.port}/`);
      // A WebSocket of the page's own (run in the page, as text: the tests are typed without the DOM).
      await page.evaluate(`new Promise((resolve) => {
        globalThis.seen = [];
        const ws = new WebSocket('ws://127.0.0.1:${server.port}/ws');
        ws.onopen = () => ws.send('{"type":"hello","name":"Tab"}');
        ws.onmessage = (event) => { globalThis.seen.push(event.data); resolve(); };
        ws.onclose = (event) => globalThis.seen.push('close ' + event.code + ' ' + (event.wasClean ? 'clean' : 'unclean'));
      })`);
      const { ms, code } = await drain(server, 'SIGTERM');
      assert.equal(code, 0);
      assert.ok(ms < WITHIN_MS, `exited ${ms.toFixed(0)} ms after SIGTERM`);
      assert.doesNotMatch(server.output(), /deadline passed/);
      await page.waitForFunction("globalThis.seen.some((line) => line.startsWith('close'))");
      const seen = await page.evaluate<string[]>('globalThis.seen');
      assert.equal(seen.length, 3);
      assert.equal((JSON.parse(seen[1] ?? '') as { type: string }).type, 'shutdown');
      assert.equal(seen[2], 'close 1000 clean');
    } finally {
      await browser.close();
      await server.stop();
    }
  });
});

describe('a signal the moment the server says it is listening', () => {
  /** One run: the signal is sent from the very chunk of output that carries the line. */
  async function signalOnListening(signal: NodeJS.Signals): Promise<void> {
    const child = spawnGuess(['serve', '--port', '0', '--log-format', 'json']);
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      if (!output.includes('Listening on') && (output + text).includes('Listening on')) child.kill(signal);
      output += text;
    });
    const [code, killedBy] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
    assert.equal(killedBy, null, `died of ${killedBy ?? ''}`);
    assert.equal(code, 0);
    assert.match(output, /"msg":"Stopped"/);
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    // The gap it falls in is short: a few runs in a row make a server that has one die in one.
    it(`(${signal}) still drains and exits 0`, BOUNDED, async () => {
      for (let run = 0; run < 5; run++) await signalOnListening(signal);
    });
  }
});

describe('a goodbye the peer never reads', () => {
  it('does not hold the socket past --write-timeout-ms, though the peer never closes', BOUNDED, async () => {
    const server = await startServer(['--idle-timeout-ms', '300', '--write-timeout-ms', '300']);
    try {
      const disconnected = nextLog(server, (entry) => entry.msg === 'Disconnected');
      // It reads its answer, then neither reads nor closes: the idle goodbye and our FIN wait in its buffer.
      const { socket, answer } = await answeredThenDeaf(server.port, '5\n');
      let text = answer;
      const left = await disconnected;
      assert.equal(left.reason, 'idle-timeout');
      assert.equal(left.peer, `127.0.0.1:${socket.localPort}`);
      socket.on('data', (chunk: string) => (text += chunk));
      const ended = once(socket, 'end');
      socket.resume();
      await ended;
      assert.match(text, /^(Too small!|Too big!|Exactly! You win!)\nError: Closed after 300 ms of silence; connect again to play\n$/);
      socket.destroy();
    } finally {
      await server.stop();
    }
  });
});

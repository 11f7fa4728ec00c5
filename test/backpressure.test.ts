import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { seededRandom } from '../src/core/random.js';
import { MemoryStore } from '../src/server/memory-store.js';
import type { ServerOptions } from '../src/server/config.js';
import { createGameServer } from '../src/server/server.js';
import { SILENT_LOG } from './helpers/log.js';

/** Guesses per write: 64 KiB of `0\n`, each answered with `Too small!\n`. */
const BATCH = 32 * 1024;
/** Far more than the kernel's buffers hold both ways: a server that never pauses is caught here. */
const MAX_GUESSES = 256 * BATCH;
const REPLY = Buffer.from('Too small!\n');

/** A game server behind our own listener, which hands it each socket: the test watches the server's side of the first. */
async function watchedServer(options: Partial<ServerOptions> = {}) {
  const game = createGameServer({ random: seededRandom(2), log: SILENT_LOG, host: '127.0.0.1', port: 0, ...options });
  const listener = createServer({ noDelay: true, allowHalfOpen: true }, (socket) => game.handleSocket(socket));
  const accepted = once(listener, 'connection') as Promise<[Socket]>;
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  return { game, listener, accepted, port: (listener.address() as AddressInfo).port };
}

/**
 * Resolves once the server stops reading `socket` until its replies drain: it pauses the socket
 * and waits for 'drain'. It pauses a socket for a moment for other reasons too (a read's share
 * of a turn; ws, when its frame parser falls behind), and resumes it by itself, and a pause for
 * the replies may come while the socket is paused already: the wait for 'drain' is what tells.
 */
function pausedToDrain(socket: Socket): Promise<true> {
  return new Promise((resolve) => {
    const seen = (event: string | symbol): void => {
      if (event !== 'drain' || !socket.isPaused()) return;
      socket.off('newListener', seen);
      resolve(true);
    };
    socket.on('newListener', seen);
  });
}

describe('a peer that stops reading its replies, then reads again', () => {
  it('is slowed down, not cut off: the server stops reading it, reads on once it drains, and every guess is answered', { timeout: 30_000 }, async () => {
    const { game, listener, accepted, port } = await watchedServer();
    const client = connect({ port, host: '127.0.0.1', noDelay: true });
    client.on('error', () => {});
    try {
      await once(client, 'connect');
      const [serverSide] = await accepted;
      // The client reads nothing: the server's replies fill the kernel's buffers, then its own.
      client.pause();
      const stalled = pausedToDrain(serverSide);
      let sent = 0;
      // Each write is awaited until the kernel takes it, or until the server stops reading.
      for (let paused = false; !paused; ) {
        if (sent >= MAX_GUESSES || client.destroyed) assert.fail(`the server still read on after ${sent} unread guesses`);
        const written = new Promise<boolean>((resolve) => client.write('0\n'.repeat(BATCH), () => resolve(false)));
        sent += BATCH;
        paused = await Promise.race([written, stalled]);
      }
      assert.equal(game.connections, 1, 'the slow reader is still connected');

      // Every byte checked against the one reply repeated: nothing lost, doubled or cut.
      let received = 0;
      let mismatch = -1;
      const all = new Promise<void>((resolve) => {
        client.on('data', (chunk: Buffer) => {
          for (let i = 0; i < chunk.length && mismatch < 0; i++) if (chunk[i] !== REPLY[(received + i) % REPLY.length]) mismatch = received + i;
          received += chunk.length;
          if (received >= sent * REPLY.length) resolve();
        });
      });
      // The first drain of the server's replies (its own listener runs before this one) resumes its reading.
      const drained = once(serverSide, 'drain');
      client.resume();
      await drained;
      await all;
      assert.equal(serverSide.isPaused(), false, 'the server reads again once its replies have drained');
      assert.equal(received, sent * REPLY.length, 'every guess answered, once');
      assert.equal(mismatch, -1, `the replies go wrong at byte ${mismatch}`);
      assert.equal(client.destroyed, false);
      assert.equal(game.connections, 1, 'and the slow reader is still connected');
    } finally {
      client.destroy();
      listener.close();
      await game.close();
    }
  });
});

/** Guess frames per batch, and the bound past which a server that never pauses is caught. */
const WS_BATCH = 5_000;
const WS_MAX_GUESSES = 400 * WS_BATCH;

describe('a WebSocket page that stops reading its replies, then reads again', () => {
  it('is slowed down, not cut off: the server stops reading its frames, reads on once it drains, and every guess is answered', { timeout: 60_000 }, async () => {
    const { game, listener, accepted, port } = await watchedServer();
    const page = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    page.on('error', () => {});
    try {
      await once(page, 'open');
      const [serverSide] = await accepted;
      const inbox: Array<{ type: string; outcome?: string; attempts?: number }> = [];
      let wake: (() => void) | undefined;
      page.on('message', (data: Buffer) => {
        inbox.push(JSON.parse(data.toString('utf8')) as (typeof inbox)[number]);
        wake?.();
      });
      const next = async (type: string): Promise<(typeof inbox)[number]> => {
        for (;;) {
          const at = inbox.findIndex((m) => m.type === type);
          if (at >= 0) return inbox.splice(0, at + 1).at(-1) as (typeof inbox)[number];
          await new Promise<void>((resolve) => (wake = resolve));
        }
      };
      page.send(JSON.stringify({ type: 'hello', name: 'Slow' }));
      page.send(JSON.stringify({ type: 'create', mode: 'solo', min: 1, max: 1_000_000_000 }));
      await next('round_start');

      // The page reads nothing: the server's replies fill the kernel's buffers, then its own.
      page.pause();
      const stalled = pausedToDrain(serverSide);
      const guess = JSON.stringify({ type: 'guess', value: 1 });
      let sent = 0;
      for (let paused = false; !paused; ) {
        if (sent >= WS_MAX_GUESSES || page.readyState !== WebSocket.OPEN) assert.fail(`the server still read on after ${sent} unread guesses`);
        for (let i = 1; i < WS_BATCH; i++) page.send(guess);
        const written = new Promise<boolean>((resolve) => page.send(guess, () => resolve(false)));
        sent += WS_BATCH;
        paused = await Promise.race([written, stalled]);
      }
      assert.equal(game.connections, 1, 'the slow reader is still connected');

      // 1 is the lowest number: each guess is answered “low” (the seeded secret is not 1), its attempts one more each time.
      // Its replies may drain into the kernel's buffers before the page reads again: the server
      // reading on is seen in every guess answered, which it had not read when it paused.
      page.resume();
      for (let attempts = 1; attempts <= sent; attempts++) {
        const result = await next('result');
        assert.deepEqual([result.outcome, result.attempts], ['low', attempts]);
      }
      assert.equal(serverSide.isPaused(), false, 'the server reads again once its replies have drained');
      assert.equal(page.readyState, WebSocket.OPEN);
      assert.equal(game.connections, 1, 'and the slow reader is still connected');
    } finally {
      page.terminate();
      listener.close();
      await game.close();
    }
  });
});

/** Node reads a socket 64 KiB at a time, up to 32 times in one turn of the event loop. */
const READ = 64 * 1024;
const READS_PER_TURN = 32;
const GUESS = '{"type":"guess","value":1}';

/** A masked client text frame (mask 0: the payload reads as it is), as a page sends a guess. */
function clientFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length, 0, 0, 0, 0]), payload]);
}

/** The server's messages to one client, counted by type as they arrive; waits on arrivals, never on a clock. */
class Arrivals {
  readonly #counts = new Map<string, number>();
  #gone = false;
  #wake: (() => void) | undefined;

  seen(message: string): void {
    const type = /^\{"type":"([a-z_]+)"/.exec(message)?.[1] ?? '?';
    this.#counts.set(type, this.count(type) + 1);
    this.#wake?.();
  }

  closed(): void {
    this.#gone = true;
    this.#wake?.();
  }

  count(type: string): number {
    return this.#counts.get(type) ?? 0;
  }

  /** Until `type` has come `n` times, or the connection has closed. */
  async until(type: string, n: number): Promise<void> {
    while (this.count(type) < n && !this.#gone) await new Promise<void>((resolve) => (this.#wake = resolve));
  }
}

const START = [JSON.stringify({ type: 'hello', name: 'Fast' }), JSON.stringify({ type: 'create', mode: 'solo', min: 1, max: 1_000_000_000 })];

/** A JSON client over TCP sets up a solo round, then READS_PER_TURN reads of guesses arrive in one turn: all answered, the client still there. */
async function floodOverTcp(options: Partial<ServerOptions> = {}): Promise<void> {
  const { game, listener, accepted, port } = await watchedServer(options);
  const client = connect({ port, host: '127.0.0.1', noDelay: true });
  client.on('error', () => {});
  try {
    await once(client, 'connect');
    const [serverSide] = await accepted;
    const arrivals = new Arrivals();
    let partial = '';
    client.setEncoding('utf8');
    client.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) arrivals.seen(line);
    });
    client.on('close', () => arrivals.closed());
    client.write(START.map((line) => `${line}\n`).join(''));
    await arrivals.until('round_start', 1);
    const perRead = Math.floor(READ / (GUESS.length + 1));
    const read = Buffer.from(`${GUESS}\n`.repeat(perRead));
    for (let i = 0; i < READS_PER_TURN; i++) serverSide.push(read);
    await arrivals.until('result', READS_PER_TURN * perRead);
    assert.equal(arrivals.count('result'), READS_PER_TURN * perRead, 'every guess answered');
    assert.equal(game.connections, 1, 'the client is still connected');
  } finally {
    client.destroy();
    listener.close();
    await game.close();
  }
}

/** The same over the game's WebSocket, in masked frames. */
async function floodOverWebSocket(options: Partial<ServerOptions> = {}): Promise<void> {
  const { game, listener, accepted, port } = await watchedServer(options);
  const page = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  page.on('error', () => {});
  try {
    await once(page, 'open');
    const [serverSide] = await accepted;
    const arrivals = new Arrivals();
    page.on('message', (data: Buffer) => arrivals.seen(data.toString('utf8')));
    page.on('close', () => arrivals.closed());
    for (const message of START) page.send(message);
    await arrivals.until('round_start', 1);
    const frame = clientFrame(GUESS);
    const perRead = Math.floor(READ / frame.length);
    const read = Buffer.concat(Array.from({ length: perRead }, () => frame));
    for (let i = 0; i < READS_PER_TURN; i++) serverSide.push(read);
    await arrivals.until('result', READS_PER_TURN * perRead);
    assert.equal(arrivals.count('result'), READS_PER_TURN * perRead, 'every guess answered');
    assert.equal(game.connections, 1, 'the page is still connected');
  } finally {
    page.terminate();
    listener.close();
    await game.close();
  }
}

/**
 * Two megabytes of guesses arrive at once, as when the server's process waited for a core while
 * a fast client sent on: Node hands them over in one turn, 32 reads in a row, which the test plays
 * by pushing them into the server's side of the socket as Node's reader does. The replies of a
 * turn wait for its commit: read all at once, they would leave together, past the output limit.
 */
describe('a client that sends faster than the server turns', () => {
  it('over TCP has every guess answered, however many arrive in one turn, and is not cut off', { timeout: 60_000 }, () => floodOverTcp());
  it('over WebSocket has every guess answered, however many arrive in one turn, and is not cut off', { timeout: 60_000 }, () => floodOverWebSocket());
});

/**
 * A disk slower than the server's turns: each sync reports done only after SYNC_TURNS turns of
 * the event loop (counted, not timed), while the server serves on. The store is otherwise the
 * one in memory; only the disk's pace is played.
 */
class SlowDisk extends MemoryStore {
  override sync(done: (error: Error | undefined) => void): void {
    let turns = 0;
    const later = (): void => {
      if (++turns < SYNC_TURNS) setImmediate(later);
      else done(undefined);
    };
    setImmediate(later);
  }
}
const SYNC_TURNS = 64;

/**
 * With `--fsync commit` every reply waits for a sync, which runs while the server goes on
 * reading. Two megabytes of guesses arrive at once and the disk takes many turns per sync: read
 * on meanwhile, the server would owe the client every reply at the sync's end, megabytes at once,
 * past the output limit. Each read share waits for its replies to leave.
 */
describe('a client that sends faster than the disk syncs (--fsync commit)', () => {
  /** Output limit: well above one share's replies (about 130 KB), well below the whole push's (about 5 MB). */
  const slowDisk = () => ({ store: new SlowDisk(), fsync: 'commit', maxOutputBytes: 1024 * 1024 }) as const;
  it('over TCP has every guess answered and is not cut off', { timeout: 60_000 }, () => floodOverTcp(slowDisk()));
  it('over WebSocket has every guess answered and is not cut off', { timeout: 60_000 }, () => floodOverWebSocket(slowDisk()));
});

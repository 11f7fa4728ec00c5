import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { JsonClient, sha256 } from './helpers/json-client.js';
import { PYTHON3, PtyGuess, renderLines } from './helpers/pty.js';
import { spawnRoomCli, type RoomCli } from './helpers/room-cli.js';
import { startServer, type RunningServer } from './helpers/server.js';

/** A terminal control sequence (cursor moves, line clears), as readline writes them. */
const CSI = `${String.fromCharCode(0x1b)}\\[[0-9;]*[A-Za-z]`;

/** A loopback TCP relay to the real server whose connections a test can cut. */
async function relay(target: number): Promise<{ port: number; cut(): void; server: Server }> {
  const pairs = new Set<[Socket, Socket]>();
  const server = createServer((inbound) => {
    const outbound = connect({ port: target, host: '127.0.0.1' });
    const pair: [Socket, Socket] = [inbound, outbound];
    pairs.add(pair);
    inbound.pipe(outbound).pipe(inbound);
    const drop = (): void => {
      pairs.delete(pair);
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on('error', drop).on('close', drop);
    outbound.on('error', drop).on('close', drop);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    server,
    cut() {
      for (const [inbound, outbound] of pairs) {
        inbound.resetAndDestroy();
        outbound.resetAndDestroy();
      }
    },
  };
}

/** A server that plays one round by the book except for its reveal, which may lie. */
async function fakeServer(secret: number, revealed: number): Promise<Server> {
  const salt = '0123456789abcdef0123456789abcdef';
  const commitment = sha256(`${secret}${salt}`);
  const server = createServer((socket) => {
    const say = (message: object): boolean => socket.write(`${JSON.stringify(message)}\n`);
    let buffer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const message = JSON.parse(buffer.slice(0, newline)) as { type: string; value?: number };
        buffer = buffer.slice(newline + 1);
        if (message.type === 'hello') say({ type: 'welcome', v: 1, player: 'p1', name: 'T', token: 't', resumed: false });
        if (message.type === 'join') {
          const seat = { id: 'p1', name: 'T', seat: 1, bot: false, connected: true, attempts: 0, found: false };
          say({ type: 'room', code: 'ABCDE', mode: 'pick', min: 1, max: 100, maxPlayers: 8, you: 'p1', role: 'player', state: 'playing', round: 1, picker: 'p9', commitment, players: [seat], spectators: 0, history: [], standings: [] });
          say({ type: 'round_start', round: 1, mode: 'pick', min: 1, max: 100, picker: 'p9', commitment, guessers: ['p1'] });
        }
        if (message.type === 'guess') {
          say({ type: 'result', value: message.value, outcome: 'win', message: 'Exactly! You win!', attempts: 1 });
          say({ type: 'round_end', round: 1, reason: 'all_found', winner: { id: 'p1', name: 'T' }, secret: revealed, salt, commitment, standings: [] });
        }
      }
    });
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

describe('the terminal client on an unreliable or dishonest network', { timeout: 60_000 }, () => {
  let server: RunningServer;
  const cleanups: Array<() => void> = [];
  before(async () => {
    server = await startServer(['--seed', '23']);
  });
  after(async () => {
    for (const cleanup of cleanups) cleanup();
    await server.stop();
  });
  const cli = (args: readonly string[]): RoomCli => {
    const spawned = spawnRoomCli(args);
    cleanups.push(() => spawned.stop());
    return spawned;
  };

  it('detects a reveal that does not open the commitment, and accepts one that does', async () => {
    const [liar, honest] = await Promise.all([fakeServer(42, 43), fakeServer(42, 42)]);
    cleanups.push(() => liar.close(), () => honest.close());
    const [fooled, fine] = [liar, honest].map((s) => cli(['join', `127.0.0.1:${(s.address() as AddressInfo).port}`, '--room', 'ABCDE', '--name', 'T']));
    for (const c of [fooled, fine]) {
      await c?.expect(/Round 1: guess the number/);
      c?.type('42');
    }
    await fooled?.expect(/WARNING: the revealed secret 43 does NOT match: the secret was changed/);
    await fine?.expect(/Fair: sha256\(42 \u2016 salt\) matches the commitment/);
    assert.doesNotMatch(fooled?.out.text() ?? '', /Fair:/);
  });

  it('reconnects by itself after the connection drops, and gets its seat and attempts back', async () => {
    const hop = await relay(server.port);
    cleanups.push(() => hop.server.close());
    const bob = await JsonClient.hello(server.port, 'Bob');
    cleanups.push(() => bob.close());
    const { code } = await bob.ask({ type: 'create', mode: 'race', min: 1, max: 100 }, 'room');
    const ada = cli(['join', `127.0.0.1:${hop.port}`, '--room', code, '--name', 'Ada']);
    await bob.next('presence');
    bob.send({ type: 'start' });
    await ada.expect(/Round 1: guess the number/);
    ada.type('50');
    await ada.expect(/\(50, guess 1\)/);
    const from = ada.out.text().length;
    hop.cut();
    await ada.expect(/Connection lost\. Reconnecting by itself for up to 60 s\u2026/, from);
    await ada.expect(/Back in the game/, from);
    assert.equal((await bob.next('presence')).event, 'dropped');
    assert.equal((await bob.next('presence')).event, 'returned');
    ada.type('25');
    await ada.expect(/\(25, guess 2\)/, from);
  });

  it('prints others\u2019 moves above the line being typed without losing what was typed', { skip: PYTHON3 ? false : 'python3 is needed for a pseudo-terminal' }, async () => {
    const bob = await JsonClient.hello(server.port, 'Bob');
    cleanups.push(() => bob.close());
    const { code } = await bob.ask({ type: 'create', mode: 'race', min: 1, max: 100 }, 'room');
    const ada = new PtyGuess(['join', `127.0.0.1:${server.port}`, '--room', code, '--name', 'Ada']);
    cleanups.push(() => ada.kill());
    await bob.next('presence');
    bob.send({ type: 'start' });
    await ada.waitFor(/Round 1: guess the number/);
    await ada.waitFor(new RegExp(`> (${CSI})*$`));
    const from = ada.screen().length;
    ada.type('4');
    await ada.waitFor(new RegExp(`4(${CSI})*$`), from);
    await bob.ask({ type: 'guess', value: 50 }, 'result');
    // The news, then the prompt redrawn with the half-typed guess after it.
    await ada.waitFor(new RegExp(`Bob: 50 is too (small|big) \\(1 guess\\)\r?\n(${CSI})*> 4`), from);
    // As the terminal shows it: the news on a line of its own, the prompt and the 4 below it.
    const lines = renderLines(ada.screen());
    const news = lines.findIndex((line) => line.includes('Bob: 50'));
    assert.match(lines[news] ?? '', /^ *Bob: 50 is too (small|big) \(1 guess\)$/);
    assert.equal(lines[news + 1], '> 4');
    ada.type('2\r');
    await ada.waitFor(/\(42, guess 1\)/, from);
  });
});

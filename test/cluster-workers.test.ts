import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createClient } from '@redis/client';
import { clusterFixture } from './helpers/cluster.js';
import { JsonClient } from './helpers/json-client.js';
import { runGuess } from './helpers/process.js';
import { startServer, type RunningServer } from './helpers/server.js';

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The processes a process started (here: the workers of `guess serve --workers`). */
function childrenOf(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
}

/** In a cluster, a player id ends with the id of the server (here: the worker) that gave it. */
const serverOf = (player: string): string => player.slice(player.indexOf('.') + 1);

/**
 * Both workers have Redis answering and room codes to give: each worker's own line, since one
 * worker may say it twice (after a reconnection) before the other has said it once.
 */
async function bothOpen(server: RunningServer): Promise<void> {
  for (const worker of [1, 2]) await server.waitFor(new RegExp(`"worker":${worker},[^\\n]*answers: new rooms are open`));
}

describe('guess serve --workers N', { timeout: 120_000 }, () => {
  const cluster = clusterFixture();
  const { servers, players } = cluster;

  it('runs N servers of the cluster on one port: players on either play one room, and SIGTERM drains them all', async () => {
    const server = await startServer(['--workers', '2', '--redis', cluster.redis.url, '--db', ':memory:', '--min', '1', '--max', '1000']);
    servers.push(server);
    assert.match(server.output(), /^2 worker processes share this port, each a server of the cluster$/m);
    assert.equal(server.output().match(/^Listening on /gm)?.length, 1, 'the address is printed once, not once per worker');
    // Each worker joins the cluster as a server of its own.
    await bothOpen(server);
    const redis = createClient({ url: cluster.redis.url });
    await redis.connect();
    const leases = await redis.keys('guess:server:*');
    await redis.quit();
    assert.equal(leases.length, 2);

    const ada = await JsonClient.hello(server.port, 'Ada');
    players.push(ada);
    const { code } = await ada.ask({ type: 'create', mode: 'race' }, 'room');
    // New connections go to the workers in turn: of these, some are served by the other one.
    const others: JsonClient[] = [];
    for (const name of ['Bob', 'Cy', 'Di']) {
      const player = await JsonClient.hello(server.port, name);
      players.push(player);
      others.push(player);
      assert.equal((await player.ask({ type: 'join', code }, 'room')).code, code);
    }
    assert.equal(new Set([ada, ...others].map((p) => serverOf(p.player))).size, 2, 'the players were served by both workers');

    ada.send({ type: 'start' });
    const start = await ada.next('round_start');
    const ends = await Promise.all([ada, ...others].map((player) => player.binarySearch(1, 1000)));
    for (const end of ends) assert.equal(end.commitment, start.commitment);

    const exited = once(server.child, 'exit');
    server.child.kill('SIGTERM');
    const goodbyes = await Promise.all([ada, ...others].map((player) => player.next('shutdown')));
    for (const goodbye of goodbyes) assert.equal(typeof goodbye.token, 'string');
    const [exitCode] = (await exited) as [number | null];
    assert.equal(exitCode, 0);
  });

  it('starts a worker again when one dies, goes on serving, and the room of a worker that died comes back', async () => {
    const server = await startServer(['--workers', '2', '--redis', cluster.redis.url, '--db', ':memory:']);
    servers.push(server);
    await bothOpen(server);
    const children = childrenOf(server.child.pid as number);
    assert.equal(children.length, 2);
    const ada = await JsonClient.hello(server.port, 'Ada');
    players.push(ada);
    const { code } = await ada.ask({ type: 'create', mode: 'race' }, 'room');
    // Both die, one after the other, so the one that held Ada's room is among them.
    for (const child of children) {
      const from = server.output().length;
      process.kill(child, 'SIGKILL');
      await server.waitFor(/Worker \d stopped \(SIGKILL\); starting it again[\s\S]*Worker \d serves again/, from);
    }
    const after = childrenOf(server.child.pid as number);
    assert.equal(after.length, 2);
    assert.ok(!after.some((pid) => children.includes(pid)));
    // Both workers serve: of two new connections, one goes to each.
    for (const name of ['Eve', 'Fay']) {
      const player = await JsonClient.hello(server.port, name);
      players.push(player);
      await player.ask({ type: 'create', mode: 'solo' }, 'round_start');
    }
    // A new worker takes the dead one's room over once its lease lapses, and Ada resumes it.
    const back = await JsonClient.connect(server.port);
    players.push(back);
    assert.equal((await back.ask({ type: 'resume', token: ada.token }, 'room')).code, code);
  });

  it('keeps the workers\u2019 games in Redis, drains them all on Ctrl-C, which reaches every process of the terminal, and the next start takes them over', async () => {
    const server = await startServer(['--workers', '2', '--redis', cluster.redis.url, '--db', ':memory:']);
    servers.push(server);
    assert.match(server.output(), new RegExp(`^Games are kept in Redis at ${escape(cluster.redis.url)}, where another server of the cluster takes them over if this one dies$`, 'm'));
    await bothOpen(server);
    const ada = await JsonClient.hello(server.port, 'Ada');
    players.push(ada);
    const { code } = await ada.ask({ type: 'create', mode: 'race' }, 'room');
    // A terminal's Ctrl-C signals the whole process group: the workers as well as the process that started them.
    const pid = server.child.pid as number;
    const children = childrenOf(pid);
    const exited = once(server.child, 'exit');
    for (const each of [pid, ...children]) process.kill(each, 'SIGINT');
    const { token } = await ada.next('shutdown');
    assert.equal(typeof token, 'string');
    const [exitCode] = (await exited) as [number | null];
    assert.equal(exitCode, 0, server.output());

    const again = await startServer(['--workers', '2', '--redis', cluster.redis.url, '--db', ':memory:']);
    servers.push(again);
    const back = await JsonClient.connect(again.port);
    players.push(back);
    assert.equal((await back.ask({ type: 'resume', token }, 'room')).code, code);
  });


  it('needs --redis, and says so in one line', async () => {
    const run = await runGuess(['serve', '--port', '0', '--workers', '2']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^guess: --workers needs --redis URL: the workers share their rooms through Redis\n$/);
  });
});

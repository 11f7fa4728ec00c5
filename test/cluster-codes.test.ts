import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createClient } from '@redis/client';
import { tempDir } from './helpers/db-files.js';
import { JsonClient } from './helpers/json-client.js';
import { clusterFixture } from './helpers/cluster.js';
import { runGuess } from './helpers/process.js';
import { startServer, type RunningServer } from './helpers/server.js';
import { TcpClient } from './helpers/tcp-client.js';

const ROOMS_EACH = 12;

/** Creates rooms on `server`, one player each, and returns their codes (the players stay, holding them). */
async function createRooms(server: RunningServer, count: number, players: JsonClient[]): Promise<string[]> {
  const codes: string[] = [];
  for (let i = 0; i < count; i++) {
    const player = await JsonClient.hello(server.port, `P${i}`);
    players.push(player);
    codes.push((await player.ask({ type: 'create', mode: 'race' }, 'room')).code);
  }
  return codes;
}

describe('servers sharing one Redis (--redis)', { timeout: 120_000 }, () => {
  const cluster = clusterFixture();
  const { servers, players } = cluster;

  /** A server seeded like every other here: alone, it would draw the same room codes as they do. */
  async function serve(...args: string[]): Promise<RunningServer> {
    const server = await startServer(['--seed', '7', '--db', ':memory:', ...args]);
    servers.push(server);
    return server;
  }

  it('never give one room code to two of them, though they draw the same codes', async () => {
    // Without Redis, two servers seeded alike give their rooms the very same codes: the check below
    // would see a registry that does nothing.
    const alone = [await serve(), await serve()];
    const [a, b] = await Promise.all(alone.map((server) => createRooms(server, 3, players)));
    assert.deepEqual(a, b);

    const shared = [await serve('--redis', cluster.redis.url), await serve('--redis', cluster.redis.url)];
    await Promise.all(shared.map((server) => server.waitFor(/answers: new rooms are open/)));
    assert.match(shared[0]?.output() ?? '', new RegExp(`^Room codes are shared through Redis at redis://127\\.0\\.0\\.1:${cluster.redis.port}$`, 'm'));
    const codes = (await Promise.all(shared.map((server) => createRooms(server, ROOMS_EACH, players)))).flat();
    assert.equal(new Set(codes).size, 2 * ROOMS_EACH, `codes given twice: ${codes.join(' ')}`);
  });

  it('open their port once Redis has first answered: a player who comes at once can create a room', async () => {
    const server = await serve('--redis', cluster.redis.url);
    const output = server.output();
    const answered = output.search(/answers: new rooms are open/);
    assert.ok(answered >= 0 && answered < output.search(/^Listening on /m), output);
    const ada = await JsonClient.hello(server.port, 'Ada');
    players.push(ada);
    await ada.ask({ type: 'create', mode: 'solo' }, 'room');
  });

  it('open their port all the same when Redis does not answer at start, and open new rooms once it does', async () => {
    cluster.redis.pause();
    try {
      const server = await serve('--redis', cluster.redis.url);
      const output = server.output();
      const silent = output.search(/does not answer \(/);
      assert.ok(silent >= 0 && silent < output.search(/^Listening on /m), output);
      const ada = await JsonClient.hello(server.port, 'Ada');
      players.push(ada);
      assert.equal(await ada.refused({ type: 'create', mode: 'solo' }), 'E_CLUSTER_UNAVAILABLE');
      const from = server.output().length;
      cluster.redis.resume();
      await server.waitFor(/answers: new rooms are open/, from);
      await ada.ask({ type: 'create', mode: 'solo' }, 'room');
    } finally {
      cluster.redis.resume();
    }
  });

  it('refuse new rooms while Redis is down, go on with the games under way, and open again when it is back', async () => {
    const server = await serve('--redis', cluster.redis.url);
    await server.waitFor(/answers: new rooms are open/);
    const host = await JsonClient.hello(server.port, 'Ada');
    players.push(host);
    const room = await host.ask({ type: 'create', mode: 'solo' }, 'room');
    await host.next('round_start');

    const from = server.output().length;
    await cluster.redis.stop();
    await server.waitFor(/does not answer/, from);
    const health = JSON.parse(await (await fetch(`http://127.0.0.1:${server.port}/healthz`)).text()) as { redis?: string };
    assert.equal(health.redis, 'unreachable');
    assert.match(await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text(), /^guess_redis_up 0$/m);
    const other = await JsonClient.hello(server.port, 'Bob');
    players.push(other);
    assert.equal(await other.refused({ type: 'create', mode: 'solo' }), 'E_CLUSTER_UNAVAILABLE');
    // A code not held here may be another server's, and a token not known here another's player:
    // only Redis can tell, so they are refused as unavailable, not as unknown.
    assert.equal(await other.refused({ type: 'join', code: 'QQQQQ' }), 'E_CLUSTER_UNAVAILABLE');
    const stranger = await JsonClient.connect(server.port);
    players.push(stranger);
    assert.equal(await stranger.refused({ type: 'resume', token: 'a-token-of-another-server' }), 'E_CLUSTER_UNAVAILABLE');
    // A room of this server is joined as ever.
    const watcher = await JsonClient.hello(server.port, 'Cy');
    players.push(watcher);
    assert.equal((await watcher.ask({ type: 'join', code: room.code, as: 'spectator' }, 'room')).code, room.code);
    // The room already open plays on, and so does a plain game.
    const result = await host.ask({ type: 'guess', value: 1 }, 'result');
    assert.equal(result.attempts, 1);
    const plain = await TcpClient.connect(server.port);
    assert.match(await plain.ask('50'), /^(Too small!|Too big!|Exactly! You win!)$/);
    plain.close();

    const back = server.output().length;
    await cluster.redis.start();
    await server.waitFor(/answers: new rooms are open/, back);
    assert.equal((JSON.parse(await (await fetch(`http://127.0.0.1:${server.port}/healthz`)).text()) as { redis?: string }).redis, 'ok');
    assert.match(await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text(), /^guess_redis_up 1$/m);
    const again = await other.ask({ type: 'create', mode: 'solo' }, 'room');
    assert.notEqual(again.code, room.code);
  });

  it('print and log the address of Redis without a password in it, and refuse an address that is not redis://', async () => {
    const server = await serve('--redis', `redis://:hunter2@127.0.0.1:${cluster.redis.port}`);
    // A line about Redis is logged either way (this one has no password to check).
    await server.waitFor(/answers: new rooms are open|does not answer/);
    assert.match(server.output(), new RegExp(`Room codes are shared through Redis at redis://127\\.0\\.0\\.1:${cluster.redis.port}\n`));
    assert.doesNotMatch(server.output(), /hunter2/);
    for (const url of ['http://127.0.0.1:6379', 'nonsense']) {
      const run = await runGuess(['serve', '--port', '0', '--redis', url]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /^guess: --redis needs a (redis:\/\/ or rediss:\/\/ URL|URL such as redis:\/\/127\.0\.0\.1:6379), not "[^"]+"\n$/);
    }
  });

  it('keep the games in Redis, not in a file: --db FILE with --redis is a usage error that touches no file', async () => {
    const dir = tempDir();
    try {
      const run = await runGuess(['serve', '--port', '0', '--redis', cluster.redis.url, '--db', dir.file('a.db')]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /^guess: --db FILE has no use with --redis: the games are kept in Redis \(leave --db out, or give --db :memory:\)\n$/);
      assert.ok(!existsSync(dir.file('a.db')));
    } finally {
      dir.remove();
    }
  });

  it('count a Redis that stops answering as down, and give back the codes of rooms closed meanwhile once it answers', async () => {
    const server = await serve('--redis', cluster.redis.url);
    await server.waitFor(/answers: new rooms are open/);
    const redisClient = createClient({ url: cluster.redis.url });
    await redisClient.connect();
    try {
      const ada = await JsonClient.hello(server.port, 'Ada');
      players.push(ada);
      const code = (await ada.ask({ type: 'create', mode: 'solo' }, 'room')).code;
      // This server's id, as Redis names the holder of its codes.
      const mine = await redisClient.hGet('guess:rooms', code);
      assert.notEqual(mine, null);

      const from = server.output().length;
      cluster.redis.pause();
      await server.waitFor(/does not answer \(no answer in/, from);
      // Ada's room closes (the only player left) while Redis cannot be told.
      await ada.ask({ type: 'leave' }, 'left');
      assert.equal(await ada.refused({ type: 'create', mode: 'solo' }), 'E_CLUSTER_UNAVAILABLE');

      const back = server.output().length;
      cluster.redis.resume();
      await server.waitFor(/answers: new rooms are open/, back);
      // Given back: this server no longer holds it. Every server here draws the same codes (--seed 7),
      // and all of them came back from the same pause: another one may take the free code at once.
      const holder = await redisClient.hGet('guess:rooms', code);
      assert.notEqual(holder, mine, `${code} is still held by this server (${String(mine)})`);
    } finally {
      cluster.redis.resume();
      await redisClient.close();
    }
  });
});

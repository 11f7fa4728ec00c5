import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createClient } from '@redis/client';
import { parseCsv } from './helpers/csv.js';
import { JsonClient } from './helpers/json-client.js';
import { runGuess } from './helpers/process.js';
import { clusterFixture } from './helpers/cluster.js';
import { startServer, type RunningServer } from './helpers/server.js';
import { TcpClient } from './helpers/tcp-client.js';

interface Board {
  readonly players: { readonly raceWins: readonly { readonly name: string }[] };
}

async function get(server: RunningServer, path: string): Promise<{ status: number; type: string; body: string }> {
  const response = await fetch(`http://127.0.0.1:${server.port}${path}`);
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
}

describe('one leaderboard for every server sharing a Redis (--redis)', { timeout: 120_000 }, () => {
  const cluster = clusterFixture();
  const { servers, players } = cluster;

  async function serve(...args: string[]): Promise<RunningServer> {
    const server = await startServer(['--db', ':memory:', '--min', '1', '--max', '100', ...args]);
    servers.push(server);
    return server;
  }

  /** A race round played alone and won on `server`: a round the leaderboard names `name` for. */
  async function winRace(server: RunningServer, name: string): Promise<void> {
    const player = await JsonClient.hello(server.port, name);
    players.push(player);
    await player.ask({ type: 'create', mode: 'race' }, 'room');
    player.send({ type: 'start' });
    await player.next('round_start');
    const end = await player.binarySearch(1, 100);
    assert.equal(end.winner?.name, name);
  }

  /** A plain game (the chapter's client) found by binary search: an anonymous solo round. */
  async function playPlain(server: RunningServer): Promise<void> {
    const plain = await TcpClient.connect(server.port);
    let [low, high] = [1, 100];
    for (;;) {
      const guess = low + Math.floor((high - low) / 2);
      const reply = await plain.ask(String(guess));
      if (reply.startsWith('Exactly')) break;
      if (reply === 'Too small!') low = guess + 1;
      else high = guess - 1;
    }
    plain.close();
  }


  it('shows the same leaderboard, page and CSV on every server, naming the winners of each', async () => {
    // Without Redis each server knows its own rounds only: the check below would fail on them.
    const alone = [await serve(), await serve()];
    await winRace(alone[0] as RunningServer, 'Ada');
    const lonely = JSON.parse((await get(alone[1] as RunningServer, '/api/leaderboard?mode=race')).body) as Board;
    assert.deepEqual(lonely.players.raceWins, []);

    const a = await serve('--redis', cluster.redis.url);
    const b = await serve('--redis', cluster.redis.url);
    await Promise.all([a, b].map((server) => server.waitFor(/answers: new rooms are open/)));
    await winRace(a, 'Ada');
    await winRace(b, 'Bob');
    await playPlain(a);
    await playPlain(b);
    // The rounds reach Redis in the background; the stops send what is left (see RedisResults.close).
    await Promise.all([a, b].map((server) => server.stop()));
    const c = await serve('--redis', cluster.redis.url);
    const d = await serve('--redis', cluster.redis.url);

    const boards = await Promise.all([c, d].map((server) => get(server, '/api/leaderboard?mode=race')));
    for (const board of boards) {
      assert.equal(board.status, 200);
      assert.match(board.type, /^application\/json/);
    }
    assert.equal(boards[0]?.body, boards[1]?.body);
    const board = JSON.parse(boards[0]?.body ?? '') as Board;
    assert.deepEqual(board.players.raceWins.map((line) => line.name).sort(), ['Ada', 'Bob']);

    const csvs = await Promise.all([c, d].map((server) => get(server, '/api/results.csv')));
    assert.equal(csvs[0]?.body, csvs[1]?.body);
    const rows = parseCsv(csvs[0]?.body ?? '');
    const dialect = rows[0]?.indexOf('dialect') ?? -1;
    assert.equal(rows.slice(1).filter((row) => row[dialect] === 'plain').length, 2, 'both servers\u2019 plain games, in one CSV');

    const page = await get(d, '/leaderboard?mode=race');
    assert.match(page.body, /Ada/);
    assert.match(page.body, /Bob/);
  });

  it('guess stats --redis prints the cluster\u2019s board while its servers run, and --forget takes a player out of each round', async () => {
    const url = cluster.redis.url;
    // The rounds of this test alone.
    const redis = createClient({ url });
    await redis.connect();
    await redis.flushAll();
    await redis.close();
    const a = await serve('--redis', url);
    await a.waitFor(/answers: new rooms are open/);
    await winRace(a, 'Bob');
    // A race of two that Ada wins, Cy in it too: forgetting Ada keeps Cy's part of the round.
    const ada = await JsonClient.hello(a.port, 'Ada');
    const cy = await JsonClient.hello(a.port, 'Cy');
    players.push(ada, cy);
    const { code } = await ada.ask({ type: 'create', mode: 'race' }, 'room');
    await cy.ask({ type: 'join', code }, 'room');
    ada.send({ type: 'start' });
    await Promise.all([ada.next('round_start'), cy.next('round_start')]);
    assert.equal((await ada.binarySearch(1, 100)).winner?.name, 'Ada');
    // Its stop sends Redis what is left (see RedisResults.close); another server of the cluster runs on.
    await a.stop();
    const b = await serve('--redis', url);
    await b.waitFor(/answers: new rooms are open/);

    const board = async (): Promise<string[]> => {
      const run = await runGuess(['stats', '--redis', url, '--mode', 'race', '--json']);
      assert.equal(run.code, 0, run.stderr);
      return (JSON.parse(run.stdout) as Board).players.raceWins.map((line) => line.name).sort();
    };
    assert.deepEqual(await board(), ['Ada', 'Bob']);
    const tables = await runGuess(['stats', '--redis', url]);
    assert.equal(tables.code, 0, tables.stderr);
    assert.match(tables.stdout, /Race rounds won[\s\S]*Ada/);
    assert.match(tables.stdout, /Attempts per round/);

    const forgot = await runGuess(['stats', '--redis', url, '--forget', 'ADA']);
    assert.deepEqual([forgot.code, forgot.stdout], [0, 'Forgot ADA: removed from 1 round of the cluster\n']);
    assert.deepEqual(await board(), ['Bob']);
    const rows = parseCsv((await get(b, '/api/results.csv')).body);
    const name = rows[0]?.indexOf('name') ?? -1;
    assert.deepEqual(rows.slice(1).map((row) => row[name]).sort(), ['Bob', 'Cy'], 'the running server\u2019s CSV agrees: Cy\u2019s part of the round is kept');
  });

  it('says in one line that Redis does not answer, and that --redis goes without --db', async () => {
    const down = await runGuess(['stats', '--redis', 'redis://127.0.0.1:1']);
    assert.equal(down.code, 1);
    assert.match(down.stderr, /^guess: cannot reach Redis at redis:\/\/127\.0\.0\.1:1: .*\n$/);
    const both = await runGuess(['stats', '--redis', cluster.redis.url, '--db', 'x.db']);
    assert.deepEqual([both.code, both.stderr], [2, 'guess: give --redis, or --db or --port, not both\n']);
  });

  it('answers 503 rather than one server\u2019s part of the board while Redis does not answer, and sends it the rounds that waited once it does', async () => {
    const server = await serve('--redis', cluster.redis.url);
    await server.waitFor(/answers: new rooms are open/);
    assert.equal((await get(server, '/api/leaderboard')).status, 200);
    const from = server.output().length;
    await cluster.redis.stop();
    await server.waitFor(/does not answer/, from);
    const down = await get(server, '/api/leaderboard');
    assert.equal(down.status, 503);
    assert.match(down.body, /Redis/);

    // A plain game needs no Redis: its round waits, and goes once Redis is back.
    const played = server.output().length;
    await playPlain(server);
    await server.waitFor(/A finished round waits for Redis/, played);
    const back = server.output().length;
    await cluster.redis.start();
    await server.waitFor(/Sent Redis the 1 finished round that waited/, back);
    // This Redis keeps nothing across a restart: the round sent again is all it has.
    const rows = parseCsv((await get(server, '/api/results.csv')).body);
    assert.equal(rows.length, 2);
    assert.equal(rows[1]?.[rows[0]?.indexOf('dialect') ?? -1], 'plain');
  });
});

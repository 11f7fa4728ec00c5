import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Leaderboard } from '../src/core/leaderboard.js';
import { seededRandom } from '../src/core/random.js';
import type { RoundResult } from '../src/core/results.js';
import { readStats } from '../src/store/stats.js';
import { binarySearch, verdictOf } from './helpers/binary-search.js';
import { tempDir } from './helpers/db-files.js';
import { JsonClient } from './helpers/json-client.js';
import { finished, runGuess } from './helpers/process.js';
import { ROOT } from './helpers/paths.js';
import { PYTHON3 } from './helpers/pty.js';
import { startServer, type RunningServer } from './helpers/server.js';
import { TcpClient } from './helpers/tcp-client.js';

const SEED = 2718;

function rounds(path: string): RoundResult[] {
  return readStats(path, { mode: 'all', period: 'all', minRounds: 1 }, Date.now()).results;
}

function ofDialect(path: string, dialect: RoundResult['dialect']): RoundResult[] {
  return rounds(path).filter((r) => r.dialect === dialect);
}

/**
 * One server on a file, played over every dialect; the file is read as `guess stats` reads it,
 * while the server still runs. A finished round is written with the next transaction (a second
 * later at most), so the file is read after one (`aCommit`); a plain or classic reply is not
 * held, so those games are looked for once the server has logged the connection's end.
 */
const TEACHER_KEY = 'results-teacher-key';

describe('every finished round is kept in the server\u2019s file', { timeout: 60_000 }, () => {
  const dir = tempDir();
  const path = dir.file('games.db');
  let server: RunningServer;
  const clients: JsonClient[] = [];
  before(async () => {
    // A bot that never moves in time: the person wins the race, so who won is known.
    server = await startServer(['--db', path, '--seed', String(SEED), '--bot-delay-ms', '600000', '--teacher-key', TEACHER_KEY]);
  });
  after(async () => {
    for (const client of clients) client.close();
    await server.stop();
    dir.remove();
  });
  /** A room created and its reply read: a JSON reply waits until its turn's commit is on disk. */
  const aCommit = async (): Promise<void> => {
    const someone = await hello('Someone');
    await someone.ask({ type: 'create', mode: 'solo' }, 'room');
    await someone.ask({ type: 'leave' }, 'left');
  };
  const hello = async (name: string): Promise<JsonClient> => {
    const client = await JsonClient.hello(server.port, name);
    clients.push(client);
    return client;
  };

  // First, so that its secret is the seed's first draw.
  it('a game of the chapter\u2019s own client (classic dialect): anonymous, solo, its attempts', { skip: PYTHON3 ? false : 'python3 is missing' }, async () => {
    const secret = seededRandom(SEED)(1, 100);
    const from = server.output().length;
    const chapter = join(ROOT, 'test', 'fixtures', 'chapter');
    const client = spawn('python3', [join(chapter, 'guess-client.py')], {
      cwd: chapter,
      env: { ...process.env, GUESS_PORT: String(server.port), PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' },
    });
    client.stdin.end(`${secret === 1 ? 2 : secret - 1}\n${secret}\n`);
    const { code, stdout } = await finished(client);
    assert.equal(code, 0);
    assert.match(stdout, /Exactly! You win!/);
    await server.waitFor(/"dialect":"classic"[^\n]*"msg":"Disconnected"/, from);
    await aCommit();
    const [kept, ...more] = ofDialect(path, 'classic');
    assert.deepEqual(more, []);
    assert.ok(kept !== undefined);
    assert.deepEqual({ ...kept, endedAt: 0, players: [] }, {
      endedAt: 0,
      room: null,
      mode: 'solo',
      dialect: 'classic',
      round: 1,
      range: { min: 1, max: 100 },
      secret,
      reason: 'found',
      match: null,
      players: [],
    });
    assert.equal(kept.players.length, 1);
    assert.deepEqual({ ...kept.players[0], ms: 0 }, { name: '', bot: null, attempts: 2, ms: 0, found: true, won: true });
    assert.ok((kept.players[0]?.ms ?? -1) >= 0);
  });

  it('each game a plain (nc) connection finishes, two in a row, written with the next commit, and nothing for a guess that finds nothing', async () => {
    const from = server.output().length;
    const client = await TcpClient.connect(server.port);
    const ask = async (guess: number) => {
      client.send(`${guess}\n`);
      return verdictOf(await client.nextLine());
    };
    // Neither guesses nor a game found cost a commit of their own: a game found waits for the
    // next commit (a room's, or a timer's a second later).
    const commits = async (): Promise<number> => ((await (await fetch(`http://127.0.0.1:${server.port}/healthz`)).json()) as { commits: number }).commits;
    const before = await commits();
    for (let i = 0; i < 20; i++) assert.equal(await ask(0), 'low');
    const first = await binarySearch({ min: 1, max: 100 }, ask);
    const second = await binarySearch({ min: 1, max: 100 }, ask);
    // One commit each would be two; the timer may have committed both at once by now.
    assert.ok((await commits()) - before <= 1, 'no commit per game found');
    await ask(first.secret === 1 ? 2 : 1);
    client.close();
    await server.waitFor(/"dialect":"plain"[^\n]*"msg":"Disconnected"/, from);
    await aCommit();
    const kept = ofDialect(path, 'plain');
    assert.deepEqual(
      kept.map((r) => ({ round: r.round, secret: r.secret, mode: r.mode, room: r.room, players: r.players.map((p) => ({ ...p, ms: null })) })),
      [first, second].map((game, i) => ({
        round: i + 1,
        secret: game.secret,
        mode: 'solo',
        room: null,
        players: [{ name: '', bot: null, attempts: game.guesses + (i === 0 ? 20 : 0), ms: null, found: true, won: true }],
      })),
    );
  });

  it('a solo room over JSON, under the player\u2019s name', async () => {
    const ada = await hello('Ada');
    const { code } = await ada.ask({ type: 'create', mode: 'solo' }, 'room');
    const end = await ada.binarySearch(1, 100);
    await aCommit();
    const [kept, ...more] = ofDialect(path, 'json').filter((r) => r.room === code);
    assert.deepEqual(more, []);
    assert.ok(kept !== undefined);
    assert.equal(kept.secret, end.secret);
    assert.deepEqual(
      kept.players.map((p) => [p.name, p.found, p.won]),
      [['Ada', true, true]],
    );
  });

  it('a race round: the winner, and the bot that did not find it, as a bot', async () => {
    const bob = await hello('Bob');
    const { code } = await bob.ask({ type: 'create', mode: 'race', bot: 'weak' }, 'room');
    await bob.ask({ type: 'start' }, 'round_start');
    const end = await bob.binarySearch(1, 100);
    assert.equal(end.winner?.name, 'Bob');
    await aCommit();
    const [kept, ...more] = ofDialect(path, 'json').filter((r) => r.room === code);
    assert.deepEqual(more, []);
    assert.ok(kept !== undefined);
    assert.equal(kept.mode, 'race');
    assert.deepEqual(
      kept.players.map((p) => [p.name, p.bot, p.found, p.won, p.ms === null]),
      [
        ['Bob', null, true, true, false],
        ['Weak bot', 'weak', false, false, true],
      ],
    );
  });

  it('a pick match of one round: its winner with the round', async () => {
    const cy = await hello('Cy');
    const dee = await hello('Dee');
    const { code } = await cy.ask({ type: 'create', mode: 'pick', rounds: 1 }, 'room');
    await dee.ask({ type: 'join', code, as: 'player' }, 'room');
    await cy.ask({ type: 'start' }, 'picking');
    cy.send({ type: 'pick', value: 37 });
    await dee.next('round_start');
    const end = await dee.binarySearch(1, 100);
    assert.equal(end.secret, 37);
    await dee.next('match_end');
    await aCommit();
    const [kept, ...more] = ofDialect(path, 'json').filter((r) => r.room === code);
    assert.deepEqual(more, []);
    assert.ok(kept !== undefined);
    assert.equal(kept.mode, 'pick');
    assert.deepEqual(kept.match, { winner: { name: 'Dee', bot: false } });
    assert.deepEqual(
      kept.players.map((p) => p.name),
      ['Dee'],
    );
  });

  it('the class view shows today\u2019s leaderboard: the race round Bob won', async () => {
    const page = await (await fetch(`http://127.0.0.1:${server.port}/class?key=${TEACHER_KEY}`)).text();
    const today = /<section class="class-today"[^>]*>([\s\S]*?)<\/section>\n<\/main>/.exec(page)?.[1] ?? '';
    assert.match(today, /<h2>Today's leaderboard<\/h2>/);
    const race = /<caption>Race rounds won<\/caption>[\s\S]*?<\/table>/.exec(today)?.[0] ?? '';
    assert.match(race, /<tr><td>1<\/td><th scope="row" class="name">Bob<\/th><td>1<\/td><td>1<\/td><\/tr>/, today);
  });

  it('`guess stats --json` reads the file while the server runs: every race winner, match winner, and efficiency', async () => {
    const result = await runGuess(['stats', '--db', path, '--json', '--min-rounds', '1']);
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    const board = JSON.parse(result.stdout) as Leaderboard;
    assert.deepEqual(board.players.raceWins.map((l) => [l.rank, l.name, l.wins, l.rounds]), [[1, 'Bob', 1, 1]]);
    assert.deepEqual(board.players.matchWins.map((l) => [l.rank, l.name, l.wins]), [[1, 'Dee', 1]]);
    assert.deepEqual(board.players.efficiency.map((l) => l.name).sort(), ['Ada', 'Bob', 'Dee']);
    assert.deepEqual(board.bots.raceWins, []);
    assert.deepEqual(board.bots.efficiency, []);
  });

  it('`guess stats` prints the same as tables', async () => {
    const result = await runGuess(['stats', '--db', path, '--mode', 'race']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^Leaderboard: race, all time\n/);
    assert.match(result.stdout, /compared regardless of case \(an honour system\)/);
    assert.match(result.stdout, /Race rounds won\n +# +Name +Wins +Rounds\n +1 +Bob +1 +1\n/);
    assert.match(result.stdout, /Pick matches won\n +\(nobody yet\)\n/);
    // One round found is fewer than the 5 efficiency needs by default.
    assert.match(result.stdout, /Efficiency: .*\(5\+ rounds found\)\n +\(nobody yet\)\n/);
    // Then the histogram: the race round Bob found, binary search's bound marked on its bar.
    assert.match(result.stdout, /\nAttempts per round found, 1\.\.100: people #, bots \*\n/);
    assert.match(result.stdout, /\n +7 \| .*\u2190 binary search needs at most this\n/);
    const bars = [...result.stdout.matchAll(/^ +(\d+\+?) \| (#*)/gm)];
    assert.equal(bars.filter(([, , marks]) => marks !== '').length, 1, 'one round found in race mode');
    assert.match(result.stdout, /Per player: .*\n.*\n +Bob +1 +1 /);
  });
});

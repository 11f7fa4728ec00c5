import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Leaderboard } from '../src/core/leaderboard.js';
import type { PlayerResult, RoundResult } from '../src/core/results.js';
import { seededRandom } from '../src/core/random.js';
import { MemoryStore } from '../src/server/memory-store.js';
import { createGameServer } from '../src/server/server.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { readStats } from '../src/store/stats.js';
import { parseCsv } from './helpers/csv.js';
import { tempDir } from './helpers/db-files.js';
import { runGuess } from './helpers/process.js';
import { startServer } from './helpers/server.js';
import { SILENT_LOG } from './helpers/log.js';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

const p = (name: string, won: boolean): PlayerResult => ({ name, bot: null, attempts: 5, ms: 1000, found: won, won });

function round(endedAt: number, mode: RoundResult['mode'], players: PlayerResult[], match: RoundResult['match'] = null): RoundResult {
  return { endedAt, room: 'ABCDE', mode, dialect: 'json', round: 1, range: { min: 1, max: 100 }, secret: 50, reason: 'found', match, players };
}

function writeFile(path: string, results: RoundResult[]): void {
  const store = openSqliteStore(path);
  store.begin();
  for (const result of results) store.appendResult(result);
  store.commitNow();
  store.close();
}

function names(path: string): string[] {
  const { results } = readStats(path, { mode: 'all', period: 'all', minRounds: 1 }, Date.now());
  return [...new Set(results.flatMap((r) => r.players.map((pl) => pl.name)))].sort();
}

describe('results hygiene: retention and forgetting a player', { timeout: 30_000 }, () => {
  const dir = tempDir();
  after(() => dir.remove());

  it('guess stats --forget NAME deletes the player\u2019s rows whatever the case, and their name on a match won', async () => {
    const path = dir.file('forget.db');
    const now = Date.now();
    writeFile(path, [
      round(now - 2, 'race', [p('Ada', true), p('Bob', false)]),
      round(now - 1, 'pick', [p('Bob', true)], { winner: { name: 'ada', bot: false } }),
      round(now, 'race', [p('Cy', true)]),
    ]);
    const forgot = await runGuess(['stats', '--db', path, '--forget', 'ADA']);
    assert.equal(forgot.stderr, '');
    assert.equal(forgot.code, 0);
    assert.equal(forgot.stdout, 'Forgot ADA: removed from 1 round\n');
    assert.deepEqual(names(path), ['Bob', 'Cy']);
    const board = JSON.parse((await runGuess(['stats', '--db', path, '--json'])).stdout) as Leaderboard;
    assert.deepEqual(board.players.matchWins, []);
    assert.deepEqual(board.players.raceWins.map((l) => l.name), ['Cy']);
  });

  it('--forget writes, so it is refused, in one line, while a server has the file', async () => {
    const path = dir.file('busy.db');
    writeFile(path, [round(Date.now(), 'race', [p('Ada', true)])]);
    const server = await startServer(['--db', path]);
    try {
      const refused = await runGuess(['stats', '--db', path, '--forget', 'Ada']);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /^guess: .*is in use by another running guess server[^\n]*\n$/);
      assert.deepEqual(names(path), ['Ada']);
    } finally {
      await server.stop();
    }
  });

  it('--keep-results-days N: a server deletes older rounds at start, and the deletion is kept', async () => {
    const path = dir.file('retention.db');
    const now = Date.now();
    writeFile(path, [round(now - 8 * DAY, 'race', [p('Old', true)]), round(now - 6 * DAY, 'race', [p('Recent', true)])]);
    const server = await startServer(['--db', path, '--keep-results-days', '7']);
    try {
      const csv = parseCsv(await (await fetch(`http://127.0.0.1:${server.port}/api/results.csv`)).text());
      assert.deepEqual(csv.slice(1).map((row) => row[9]), ['Recent']);
    } finally {
      await server.stop();
    }
    assert.deepEqual(names(path), ['Recent']);
  });

  it('without --keep-results-days, nothing is ever deleted; 0 days is a usage error', async () => {
    const path = dir.file('forever.db');
    writeFile(path, [round(Date.now() - 3650 * DAY, 'solo', [p('Ancient', true)])]);
    const server = await startServer(['--db', path]);
    await server.stop();
    assert.deepEqual(names(path), ['Ancient']);
    const bad = await runGuess(['serve', '--db', path, '--keep-results-days', '0']);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, 'guess: --keep-results-days must be a positive integer, got 0\n');
  });
});

describe('--keep-results-days, while the server runs', () => {
  it('deletes each hour what has grown older than N days', async (t) => {
    t.mock.timers.enable({ apis: ['setInterval', 'Date'], now: Date.UTC(2026, 5, 1) });
    const store = new MemoryStore();
    const start = Date.now();
    store.appendResult(round(start - 6 * DAY - 12 * HOUR, 'solo', [p('Ada', true)]));
    store.appendResult(round(start - 1 * DAY, 'solo', [p('Bob', true)]));
    const server = createGameServer({ random: seededRandom(1), log: SILENT_LOG, host: '127.0.0.1', port: 0, store, keepResultsDays: 7 });
    try {
      const kept = (): string[] => store.results({ mode: 'all', since: undefined }).map((r) => r.players[0]?.name ?? '');
      assert.deepEqual(kept(), ['Ada', 'Bob']);
      t.mock.timers.tick(11 * HOUR);
      assert.deepEqual(kept(), ['Ada', 'Bob'], 'six days and 23 hours old');
      t.mock.timers.tick(2 * HOUR);
      assert.deepEqual(kept(), ['Bob']);
    } finally {
      await server.close();
    }
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { periodStart, type LeaderboardQuery } from '../src/core/leaderboard.js';
import type { PlayerResult, RoundResult } from '../src/core/results.js';
import { MEMORY_RESULTS, MemoryStore } from '../src/server/memory-store.js';
import type { Store } from '../src/server/store.js';
import { openSqliteStore } from '../src/store/sqlite.js';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 5, 15, 12);

function person(name: string, attempts: number, won = false, found = true): PlayerResult {
  return { name, bot: null, attempts, ms: found ? 1000 : null, found, won };
}

function round(mode: RoundResult['mode'], players: PlayerResult[], extra: Partial<RoundResult> = {}): RoundResult {
  return { endedAt: NOW, room: 'ABCDE', mode, dialect: 'json', round: 1, range: { min: 1, max: 100 }, secret: 42, reason: 'found', match: null, players, ...extra };
}

function stores(): Store[] {
  return [new MemoryStore(), openSqliteStore(':memory:')];
}

function keep(store: Store, results: readonly RoundResult[]): Store {
  store.begin();
  for (const result of results) store.appendResult(result);
  store.commit((error) => assert.ifError(error));
  return store;
}

const ALL: LeaderboardQuery = { mode: 'all', period: 'all', minRounds: 1 };

describe('the leaderboard', () => {
  it('race wins: most first; a tie on wins goes to fewer rounds; a full tie shares the rank and the next skips', () => {
    const results = [
      round('race', [person('Ada', 5, true), person('Bob', 3), person('Cy', 2)]),
      round('race', [person('Bob', 4, true), person('Ada', 6)]),
      round('race', [person('Cy', 7, true), person('Dee', 7)]),
      round('race', [person('Dee', 7, true), person('Ada', 1)]),
      round('race', [person('Eve', 7, true)]),
    ];
    for (const store of stores()) {
      const board = keep(store, results).leaderboard(ALL, undefined);
      // Eve: 1 win in 1 round; Cy, Dee: 1 in 2; Bob: 1 in 2; Ada: 1 in 3.
      assert.deepEqual(
        board.players.raceWins.map((l) => [l.rank, l.name, l.wins, l.rounds]),
        [
          [1, 'Eve', 1, 1],
          [2, 'Bob', 1, 2],
          [2, 'Cy', 1, 2],
          [2, 'Dee', 1, 2],
          [5, 'Ada', 1, 3],
        ],
        store.location,
      );
    }
  });

  it('names are compared regardless of case, shown as last spelled; a bot of the same name is apart; no name is nobody', () => {
    const results = [
      round('race', [person('ada', 7, true)], { endedAt: NOW - 2 }),
      round('race', [person('ADA', 7, true), { name: 'Ada', bot: 'binary', attempts: 7, ms: 700, found: true, won: false }], { endedAt: NOW - 1 }),
      round('race', [person('Ada', 3, true), person('', 1)], { endedAt: NOW }),
      round('race', [person('', 1, true)], { endedAt: NOW }),
    ];
    for (const store of stores()) {
      const board = keep(store, results).leaderboard(ALL, undefined);
      assert.deepEqual(board.players.raceWins.map((l) => [l.name, l.wins, l.rounds]), [['Ada', 3, 3]], store.location);
      assert.deepEqual(board.bots.raceWins, []);
      assert.deepEqual(board.bots.efficiency.map((l) => [l.name, l.rounds, l.vsBound]), [['Ada', 1, 1]]);
    }
  });

  it('efficiency: attempts over the range\u2019s binary-search bound, lowest first, only with enough rounds found', () => {
    const wide = { min: 1, max: 1_000_000 }; // the bound is 20
    const results = [
      // Ada: 7 and 3 on 1..100 (bound 7): (1 + 3/7) / 2 = 0.71.
      round('solo', [person('Ada', 7, true)]),
      round('solo', [person('Ada', 3, true)]),
      // Bob: 10 and 10 on 1..1,000,000: 0.5, though more attempts than Ada.
      round('solo', [person('Bob', 10, true)], { range: wide }),
      round('solo', [person('Bob', 10, true)], { range: wide }),
      // Cy: one round found only, and one given up (not counted against the bound).
      round('solo', [person('Cy', 1, true)]),
      round('race', [person('Cy', 50, false, false)]),
    ];
    for (const store of stores()) {
      keep(store, results);
      const two = store.leaderboard({ ...ALL, minRounds: 2 }, undefined);
      assert.deepEqual(
        two.players.efficiency.map((l) => [l.rank, l.name, l.rounds, l.vsBound]),
        [
          [1, 'Bob', 2, 0.5],
          [2, 'Ada', 2, 0.71],
        ],
        store.location,
      );
      const one = store.leaderboard({ ...ALL, minRounds: 1 }, undefined);
      assert.deepEqual(one.players.efficiency.map((l) => l.name), ['Cy', 'Bob', 'Ada']);
    }
  });

  it('pick match wins, a bot\u2019s among the bots; a tied match is nobody\u2019s; a race match is not a pick match', () => {
    const results = [
      round('pick', [person('Ada', 2, true)], { match: { winner: { name: 'Bob', bot: false } }, endedAt: NOW - 1 }),
      round('pick', [person('Bob', 2, true)], { match: { winner: { name: 'bob', bot: false } } }),
      round('pick', [person('Ada', 2, true)], { match: { winner: { name: 'Bot', bot: true } } }),
      round('pick', [person('Ada', 2, true)], { match: { winner: null } }),
      round('race', [person('Ada', 2, true)], { match: { winner: { name: 'Ada', bot: false } } }),
    ];
    for (const store of stores()) {
      const board = keep(store, results).leaderboard(ALL, undefined);
      assert.deepEqual(board.players.matchWins.map((l) => [l.rank, l.name, l.wins]), [[1, 'bob', 2]], store.location);
      assert.deepEqual(board.bots.matchWins.map((l) => [l.name, l.wins]), [['Bot', 1]]);
    }
  });

  it('by mode and period: today starts at local midnight, 7d a week back', () => {
    const results = [
      round('race', [person('Old', 7, true)], { endedAt: NOW - 8 * DAY }),
      round('race', [person('Week', 7, true)], { endedAt: NOW - 3 * DAY }),
      round('race', [person('Today', 7, true)], { endedAt: NOW }),
      round('solo', [person('Solo', 7, true)], { endedAt: NOW }),
    ];
    for (const store of stores()) {
      keep(store, results);
      const names = (query: LeaderboardQuery): string[] =>
        store.leaderboard(query, periodStart(query.period, NOW)).players.efficiency.map((l) => l.name).sort();
      assert.deepEqual(names({ ...ALL, period: 'all' }), ['Old', 'Solo', 'Today', 'Week'], store.location);
      assert.deepEqual(names({ ...ALL, period: '7d' }), ['Solo', 'Today', 'Week']);
      assert.deepEqual(names({ ...ALL, period: 'today' }), ['Solo', 'Today']);
      assert.deepEqual(names({ ...ALL, mode: 'race', period: 'today' }), ['Today']);
      assert.deepEqual(names({ ...ALL, mode: 'solo' }), ['Solo']);
    }
    const midnight = new Date(NOW);
    midnight.setHours(0, 0, 0, 0);
    assert.equal(periodStart('today', NOW), midnight.getTime());
  });

  it('the SQLite store ranks exactly as the memory store does, and gives back the rounds as they were kept', () => {
    const name = fc.constantFrom('Ada', 'ada', 'Bob', 'BOB', 'Cy', '', '\u00c9mile', '\u00e9MILE');
    const player = fc.record({
      name,
      bot: fc.constantFrom(null, null, 'binary' as const, 'weak' as const),
      attempts: fc.integer({ min: 1, max: 30 }),
      ms: fc.constant(null),
      found: fc.boolean(),
      won: fc.boolean(),
    });
    const result = fc.record({
      endedAt: fc.integer({ min: NOW - 10 * DAY, max: NOW }),
      room: fc.constantFrom(null, 'ABCDE'),
      mode: fc.constantFrom('race' as const, 'pick' as const, 'solo' as const),
      dialect: fc.constantFrom('json' as const, 'plain' as const, 'classic' as const),
      round: fc.integer({ min: 1, max: 9 }),
      range: fc.constantFrom({ min: 1, max: 100 }, { min: -5, max: 5 }, { min: 1, max: 1_000_000 }),
      secret: fc.integer({ min: 1, max: 5 }),
      reason: fc.constantFrom('found' as const, 'all_found' as const, 'abandoned' as const),
      match: fc.option(fc.record({ winner: fc.option(fc.record({ name, bot: fc.boolean() }), { nil: null }) }), { nil: null }),
      // A room never seats two players of one name, regardless of case.
      players: fc.uniqueArray(player, { maxLength: 4, selector: (p) => `${p.bot !== null}:${p.name.toLowerCase()}` }),
    });
    fc.assert(
      fc.property(
        // Distinct times: two rounds ended in the same millisecond leave the spelling shown to chance.
        fc.uniqueArray(result, { maxLength: 25, selector: (r) => r.endedAt }),
        fc.constantFrom('all' as const, 'race' as const, 'pick' as const, 'solo' as const),
        fc.constantFrom('all' as const, '7d' as const, 'today' as const),
        fc.integer({ min: 1, max: 3 }),
        (results, mode, period, minRounds) => {
          const [memory, sqlite] = stores().map((store) => keep(store, results)) as [Store, Store];
          const query = { mode, period, minRounds };
          const since = periodStart(period, NOW);
          assert.deepEqual(sqlite.leaderboard(query, since), memory.leaderboard(query, since));
          const byTime = (list: RoundResult[]): RoundResult[] => [...list].sort((a, b) => a.endedAt - b.endedAt);
          // Through JSON: fast-check makes some objects without a prototype, which no store gives back.
          assert.deepEqual(sqlite.results({ mode, since }), JSON.parse(JSON.stringify(byTime(memory.results({ mode, since })))));
        },
      ),
      { seed: 13, numRuns: 150 },
    );
  });

  it('a store in memory keeps the latest rounds only, so a server that keeps nothing does not grow', () => {
    const store = new MemoryStore();
    let appended = 0;
    // Past the limit, twice past it (when the dropped ones are let go), and in between.
    for (const total of [MEMORY_RESULTS + 1, 2 * MEMORY_RESULTS, 2 * MEMORY_RESULTS + 1, 2 * MEMORY_RESULTS + 7]) {
      for (; appended < total; appended++) store.appendResult(round('solo', [person('Ada', 7, true)], { endedAt: appended }));
      const kept = store.results({ mode: 'all', since: undefined });
      assert.equal(kept.length, MEMORY_RESULTS);
      assert.deepEqual([kept[0]?.endedAt, kept.at(-1)?.endedAt], [total - MEMORY_RESULTS, total - 1]);
    }
    store.pruneResults(2 * MEMORY_RESULTS);
    assert.equal(store.results({ mode: 'all', since: undefined }).length, 7);
    store.appendResult(round('solo', [person('Ada', 7, true)], { endedAt: appended }));
    assert.deepEqual(store.results({ mode: 'all', since: undefined }).map((r) => r.endedAt), Array.from({ length: 8 }, (_, i) => 2 * MEMORY_RESULTS + i));
  });
});

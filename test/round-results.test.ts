import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Lobby } from '../src/core/lobby.js';
import { seededRandom } from '../src/core/random.js';
import type { RoomRecord } from '../src/core/room-record.js';
import { DEFAULT_RULES } from '../src/core/room-rules.js';
import type { RoundResult } from '../src/core/results.js';
import { LobbyHarness, sha256 } from './helpers/lobby.js';

function only<T>(list: readonly T[]): T {
  assert.equal(list.length, 1, `one expected, got ${list.length}`);
  return list[0] as T;
}

describe('a finished round, as the rooms hand it over to be kept', () => {
  it('race: every guesser with attempts, time and whether it found it; the first to find it wins', () => {
    const h = new LobbyHarness(7, { botDelayMs: 1000 });
    const ada = h.player('Ada');
    const bob = h.player('Bob');
    h.lobby.create(ada, { mode: 'race', min: 1, max: 1000, bot: 'weak' }, h.now);
    const code = h.lobby.roomOf(ada)?.code ?? '';
    assert.equal(h.lobby.join(bob, code, 'player', h.now), undefined);
    assert.equal(h.lobby.start(ada, h.now), undefined);
    const started = h.now;
    assert.equal(h.lobby.guess(bob, 1, h.now), undefined);
    h.now += 2500;
    const secret = h.find(ada);
    const result = only(h.results);
    const adaAttempts = h.last(ada, 'result').attempts;
    assert.deepEqual({ ...result, players: [] }, {
      endedAt: h.now,
      room: code,
      mode: 'race',
      dialect: 'json',
      round: 1,
      range: { min: 1, max: 1000 },
      secret,
      reason: 'found',
      match: null,
      players: [],
    });
    assert.deepEqual(
      [...result.players].sort((a, b) => a.name.localeCompare(b.name)),
      [
        { name: 'Ada', bot: null, attempts: adaAttempts, ms: h.now - started, found: true, won: true },
        { name: 'Bob', bot: null, attempts: 1, ms: null, found: false, won: false },
        { name: 'Weak bot', bot: 'weak', attempts: 0, ms: null, found: false, won: false },
      ],
    );
  });

  it('pick: each guesser\u2019s own time; the round that ends the match names its winner, even one who picked it', () => {
    const h = new LobbyHarness(3);
    const ada = h.player('Ada');
    const bob = h.player('Bob');
    h.lobby.create(ada, { mode: 'pick', min: 1, max: 100 }, h.now);
    assert.equal(h.lobby.join(bob, h.lobby.roomOf(ada)?.code ?? '', 'player', h.now), undefined);
    const round = (misses: number): void => {
      const picker = h.last(ada, 'picking').picker;
      const guesser = picker === ada ? bob : ada;
      assert.equal(h.lobby.pick(picker, 50, h.now), undefined);
      h.now += 1000;
      for (let i = 0; i < misses; i++) assert.equal(h.lobby.guess(guesser, 1, h.now), undefined);
      h.now += 1000;
      assert.equal(h.lobby.guess(guesser, 50, h.now), undefined);
    };
    assert.equal(h.lobby.start(ada, h.now), undefined);
    round(0); // Ada picks, Bob finds it at once.
    assert.equal(h.lobby.start(ada, h.now), undefined);
    round(3); // Bob picks, Ada needs four: Bob wins the match without guessing in this round.
    assert.equal(h.results.length, 2);
    const [first, second] = h.results as [RoundResult, RoundResult];
    assert.equal(first.match, null);
    assert.deepEqual(first.players, [{ name: 'Bob', bot: null, attempts: 1, ms: 2000, found: true, won: true }]);
    assert.deepEqual(second.match, { winner: { name: 'Bob', bot: false } });
    assert.deepEqual(second.players, [{ name: 'Ada', bot: null, attempts: 4, ms: 2000, found: true, won: true }]);
    assert.equal(second.reason, 'all_found');
  });

  it('solo: a player who gave no name is kept as \u2019\u2019, not as the room\u2019s `Player 1`', () => {
    const h = new LobbyHarness(5);
    const someone = h.player('');
    h.lobby.create(someone, { mode: 'solo' }, h.now);
    h.find(someone);
    const result = only(h.results);
    assert.equal(result.mode, 'solo');
    assert.deepEqual(only(result.players), { name: '', bot: null, attempts: h.last(someone, 'result').attempts, ms: 0, found: true, won: true });
  });

  it('a round under way across a restart keeps its start: the time found counts from it', () => {
    const h = new LobbyHarness(9);
    const ada = h.player('Ada');
    h.lobby.create(ada, { mode: 'solo' }, h.now);
    const room = h.lobby.roomOf(ada);
    assert.ok(room !== undefined);
    const record = JSON.parse(JSON.stringify(h.lobby.save(room))) as { room: RoomRecord; members: [] };
    const results: RoundResult[] = [];
    const later = new Lobby({ random: seededRandom(1), hash: sha256, rules: DEFAULT_RULES, range: { min: 1, max: 100 }, send: () => {}, record: (r) => results.push(r) });
    later.restore([{ record, savedAt: h.now }], { players: 1, bots: 0 }, h.now + 5000, 60_000);
    assert.ok(later.resume('token-Ada'));
    const secret = record.room.secret?.value ?? NaN;
    assert.equal(later.guess(ada, secret, h.now + 9000), undefined);
    assert.equal(only(only(results).players).ms, 9000);
  });
});

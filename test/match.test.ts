import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { PlayerId } from '../src/core/room-events.js';
import { decodeClientMessage } from '../src/protocol/messages.js';
import { decodeServerMessage } from '../src/protocol/server-messages.js';
import { LobbyHarness } from './helpers/lobby.js';

/** A pick room of `names`, the first one its creator, nobody started yet. */
function pickRoom(names: string[], rounds?: number): { h: LobbyHarness; ids: PlayerId[] } {
  const h = new LobbyHarness();
  const ids = names.map((name) => h.player(name));
  const [first, ...rest] = ids;
  assert.ok(first !== undefined);
  h.lobby.create(first, { mode: 'pick', min: 1, max: 100, rounds }, h.now);
  const code = h.lobby.roomOf(first)?.code ?? '';
  for (const id of rest) assert.equal(h.lobby.join(id, code, 'player', h.now), undefined);
  return { h, ids };
}

/**
 * Plays one pick round: the picker (whoever `picking` names) picks `secret`; each guesser makes
 * `misses(id)` wrong guesses, then finds it. Returns each guesser's guesses.
 */
function playPickRound(h: LobbyHarness, ids: PlayerId[], secret: number, misses: (id: PlayerId) => number): Map<PlayerId, number> {
  const [first] = ids;
  assert.ok(first !== undefined);
  const picker = h.last(first, 'picking').picker;
  assert.equal(h.lobby.pick(picker, secret, h.now), undefined);
  const guesses = new Map<PlayerId, number>();
  for (const id of ids) {
    if (id === picker) continue;
    const wrong = misses(id);
    for (let i = 0; i < wrong; i++) assert.equal(h.lobby.guess(id, secret === 1 ? 2 : 1, h.now), undefined);
    assert.equal(h.lobby.guess(id, secret, h.now), undefined);
    guesses.set(id, wrong + 1);
  }
  return guesses;
}

describe('a pick match', () => {
  it('lasts one round per player by default and names the fewest guesses the winner', () => {
    const { h, ids } = pickRoom(['Ada', 'Bob', 'Cy']);
    const [ada, bob, cy] = ids as [string, string, string];
    h.lobby.start(ada, h.now);
    const misses: Record<string, number> = { [ada]: 0, [bob]: 3, [cy]: 1 };
    for (let round = 1; round <= 3; round++) {
      assert.equal(h.of(ada, 'match_end').length, 0, `ended before round ${round}`);
      if (round > 1) h.lobby.start(ada, h.now);
      playPickRound(h, ids, 40, (id) => misses[id] ?? 0);
    }
    const end = h.last(bob, 'match_end');
    assert.equal(end.rounds, 3);
    assert.deepEqual(end.winner, { id: ada, name: 'Ada' });
    assert.deepEqual(end.tied, []);
    assert.deepEqual(
      end.standings.map((s) => [s.name, s.rounds, s.guesses]),
      [['Ada', 2, 2], ['Bob', 2, 8], ['Cy', 2, 4]],
    );
    assert.deepEqual(h.last(cy, 'match_end'), end);
  });

  it('takes the number of rounds `create` asks for, and states a tie as a tie', () => {
    const { h, ids } = pickRoom(['Ada', 'Bob'], 4);
    const [ada, bob] = ids as [string, string];
    for (let round = 1; round <= 4; round++) {
      assert.equal(h.of(ada, 'match_end').length, 0, `ended before round ${round}`);
      h.lobby.start(ada, h.now);
      playPickRound(h, ids, 7, () => 2);
    }
    const end = h.last(ada, 'match_end');
    assert.equal(end.rounds, 4);
    assert.equal(end.winner, null);
    assert.deepEqual(end.tied, [{ id: ada, name: 'Ada' }, { id: bob, name: 'Bob' }]);
  });

  it('starts a new match with fresh standings after it ended', () => {
    const { h, ids } = pickRoom(['Ada', 'Bob'], 1);
    const [ada, bob] = ids as [string, string];
    h.lobby.start(ada, h.now);
    playPickRound(h, ids, 50, () => 4);
    assert.equal(h.of(ada, 'match_end').length, 1);
    assert.equal(h.lobby.start(bob, h.now), undefined);
    playPickRound(h, ids, 50, () => 0);
    const end = h.last(ada, 'match_end');
    assert.equal(h.of(ada, 'match_end').length, 2);
    assert.deepEqual(
      end.standings.map((s) => [s.name, s.rounds, s.guesses]),
      [['Ada', 1, 1], ['Bob', 0, 0]],
    );
  });

  it('every match of N players ends after exactly N rounds with the fewest total guesses winning, or a stated tie', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }).chain((n) =>
          fc.tuple(fc.constant(n), fc.array(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }), { minLength: n, maxLength: n })),
        ),
        fc.integer({ min: 1, max: 100 }),
        ([n, misses], secret) => {
          const { h, ids } = pickRoom(Array.from({ length: n }, (_, i) => `P${i + 1}`));
          const [first] = ids as [string];
          const totals = new Map<PlayerId, number>(ids.map((id) => [id, 0]));
          for (let round = 0; round < n; round++) {
            if (h.of(first, 'match_end').length > 0) return false;
            assert.equal(h.lobby.start(first, h.now), undefined);
            const played = playPickRound(h, ids, secret, (id) => misses[round]?.[ids.indexOf(id)] ?? 0);
            for (const [id, count] of played) totals.set(id, (totals.get(id) ?? 0) + count);
          }
          const ends = h.of(first, 'match_end');
          assert.equal(ends.length, 1);
          const end = ends[0];
          assert.ok(end !== undefined);
          assert.equal(end.rounds, n);
          const fewest = Math.min(...totals.values());
          const leaders = ids.filter((id) => totals.get(id) === fewest);
          if (leaders.length === 1) {
            assert.equal(end.winner?.id, leaders[0]);
            assert.deepEqual(end.tied, []);
          } else {
            assert.equal(end.winner, null);
            assert.deepEqual(end.tied.map((p) => p.id), leaders);
          }
          for (const s of end.standings) assert.equal(s.guesses, totals.get(s.id));
          return true;
        },
      ),
      { seed: 11, numRuns: 200 },
    );
  });
});

describe('a race match', () => {
  it('ends when a player reaches `firstTo` wins, and never without it', () => {
    for (const firstTo of [2, undefined]) {
      const h = new LobbyHarness();
      const [ada, bob] = [h.player('Ada'), h.player('Bob')];
      h.lobby.create(ada, { mode: 'race', min: 1, max: 100, firstTo }, h.now);
      h.lobby.join(bob, h.lobby.roomOf(ada)?.code ?? '', 'player', h.now);
      for (let round = 1; round <= 3; round++) {
        h.lobby.start(ada, h.now);
        h.find(round === 2 ? bob : ada);
        if (firstTo !== undefined && round === 3) {
          const end = h.last(bob, 'match_end');
          assert.equal(end.rounds, 3);
          assert.deepEqual(end.winner, { id: ada, name: 'Ada' });
        } else assert.equal(h.of(bob, 'match_end').length, 0, `round ${round}, firstTo ${firstTo}`);
      }
    }
  });
});

describe('match messages on the wire', () => {
  it('`create` takes `rounds` and `firstTo` from 1 to 100', () => {
    const decoded = decodeClientMessage('{"type":"create","mode":"pick","rounds":3}');
    assert.ok(decoded.ok && decoded.message.type === 'create' && decoded.message.rounds === 3);
    for (const bad of ['"rounds":0', '"rounds":101', '"rounds":1.5', '"firstTo":0', '"firstTo":"2"']) {
      const refused = decodeClientMessage(`{"type":"create","mode":"race",${bad}}`);
      assert.equal(refused.ok ? 'accepted' : refused.error.code, 'E_BAD_MESSAGE', bad);
    }
  });

  it('clients read `match_end` and refuse a malformed one', () => {
    const good = { type: 'match_end', rounds: 2, winner: null, tied: [{ id: 'p1', name: 'Ada' }, { id: 'p2', name: 'Bob' }], standings: [] };
    assert.equal(decodeServerMessage(JSON.stringify(good)).kind, 'message');
    assert.equal(decodeServerMessage(JSON.stringify({ ...good, tied: undefined })).kind, 'bad');
  });
});

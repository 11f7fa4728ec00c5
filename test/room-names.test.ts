import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { nameInRoom } from '../src/core/room-names.js';
import { LobbyHarness } from './helpers/lobby.js';

describe('names in a room', () => {
  it('are unique regardless of case, and keep the wanted name when it is free', () => {
    const name = fc.oneof(fc.constantFrom('', 'Bob', 'bob', 'Bob (2)', 'Player 1', 'player 2', 'Bot'), fc.string({ maxLength: 8 }));
    fc.assert(
      fc.property(fc.array(name, { maxLength: 12 }), (wanted) => {
        const given: string[] = [];
        for (const w of wanted) {
          const got = nameInRoom(w, given);
          const lower = given.map((g) => g.toLowerCase());
          assert.ok(!lower.includes(got.toLowerCase()), `${got} given twice`);
          if (w !== '' && !lower.includes(w.toLowerCase())) assert.equal(got, w);
          if (w === '') assert.match(got, /^Player [1-9][0-9]*$/);
          else if (got !== w) assert.ok(got.startsWith(`${w} (`), got);
          given.push(got);
        }
      }),
      { seed: 11, numRuns: 500 },
    );
  });

  it('number a taken name and the unnamed within each room: Bob, Bob (2), Player 1, Player 2', () => {
    const h = new LobbyHarness();
    const join = (name: string, token: string): string => h.lobby.addPlayer(name, token).id;
    const [bob, bob2, anon, anon2, bob3, other] = [join('Bob', 'a'), join('bob', 'b'), join('', 'c'), join('', 'd'), join('Bob', 'e'), join('', 'f')];
    h.lobby.create(bob, { mode: 'race', bot: 'binary' }, h.now);
    const code = h.lobby.roomOf(bob)?.code ?? '';
    for (const id of [bob2, anon, anon2]) assert.equal(h.lobby.join(id, code, 'player', h.now), undefined);
    assert.equal(h.lobby.join(bob3, code, 'spectator', h.now), undefined);
    assert.deepEqual(h.last(bob3, 'room').players.map((p) => p.name), ['Bob', 'Bot', 'bob (2)', 'Player 1', 'Player 2']);
    assert.deepEqual(
      h.of(bob, 'presence').map((p) => p.name),
      ['Bot', 'bob (2)', 'Player 1', 'Player 2', 'Bob (3)'],
      'the others hear each newcomer by the name the room gave it',
    );
    // The count is the room's own: the first unnamed player of another room is Player 1.
    h.lobby.create(other, { mode: 'race' }, h.now);
    assert.deepEqual(h.last(other, 'room').players.map((p) => p.name), ['Player 1']);
  });
});

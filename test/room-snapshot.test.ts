import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlayerId, RoomMessage } from '../src/core/room-events.js';
import { encodeServerMessage } from '../src/protocol/messages.js';
import { decodeServerMessage } from '../src/protocol/server-messages.js';
import { LobbyHarness } from './helpers/lobby.js';

/** A room of `names` (the first creates it with `options`), and a way to see it as a newcomer would. */
function room(names: string[], options: { mode: 'race' | 'pick' | 'solo'; rounds?: number; firstTo?: number }): {
  h: LobbyHarness;
  ids: PlayerId[];
  code: string;
  /** The `room` snapshot a spectator who joins now is sent. */
  seenBy: (name: string) => RoomMessage;
} {
  const h = new LobbyHarness(5);
  const ids = names.map((name) => h.player(name));
  const [first, ...rest] = ids;
  assert.ok(first !== undefined);
  assert.equal(typeof h.lobby.create(first, { min: 1, max: 100, ...options }, h.now), 'object');
  const code = h.lobby.roomOf(first)?.code ?? '';
  for (const id of rest) assert.equal(h.lobby.join(id, code, 'player', h.now), undefined);
  const seenBy = (name: string): RoomMessage => {
    const id = h.player(name);
    assert.equal(h.lobby.join(id, code, 'spectator', h.now), undefined);
    return h.last(id, 'room');
  };
  return { h, ids, code, seenBy };
}

describe('the room snapshot', () => {
  it('repeats how the last round ended while the room is between rounds, and only then', () => {
    const { h, ids, seenBy } = room(['Ada', 'Bob'], { mode: 'race' });
    const [ada, bob] = ids as [PlayerId, PlayerId];
    h.lobby.start(ada, h.now);
    assert.equal(seenBy('Eve').lastRound, undefined, 'nothing while the round is played: the secret is still one');
    h.find(bob);
    const roundEnd = h.last(ada, 'round_end');
    const end = { round: roundEnd.round, reason: roundEnd.reason, winner: roundEnd.winner, secret: roundEnd.secret, salt: roundEnd.salt, commitment: roundEnd.commitment };
    assert.deepEqual(seenBy('Fay').lastRound, end);
    const decoded = decodeServerMessage(encodeServerMessage(seenBy('Gus')));
    assert.ok(decoded.kind === 'message' && decoded.message.type === 'room');
    assert.deepEqual(decoded.message.lastRound, end, 'clients read it');
    h.lobby.start(ada, h.now);
    assert.equal(seenBy('Hal').lastRound, undefined, 'gone once the next round starts');
  });

  it('says where a pick match stands: its length, the rounds played, and its result once over', () => {
    const { h, ids, seenBy } = room(['Ada', 'Bob'], { mode: 'pick' });
    const [ada, bob] = ids as [PlayerId, PlayerId];
    assert.deepEqual(seenBy('Eve').match, { rounds: null, firstTo: null, played: 0, over: false }, 'one round per player: not fixed before the match starts');
    h.lobby.start(ada, h.now);
    assert.deepEqual(h.last(bob, 'picking').match, { rounds: 2, firstTo: null, played: 0, over: false });
    assert.deepEqual(seenBy('Fay').match, { rounds: 2, firstTo: null, played: 0, over: false });
    for (const [picker, guesser] of [[ada, bob], [bob, ada]] as const) {
      if (picker === bob) h.lobby.start(ada, h.now);
      assert.equal(h.lobby.pick(picker, 40, h.now), undefined);
      assert.deepEqual(h.last(guesser, 'round_start').match, { rounds: 2, firstTo: null, played: picker === ada ? 0 : 1, over: false });
      h.find(guesser);
    }
    const end = h.last(ada, 'match_end');
    const after = seenBy('Gus');
    assert.deepEqual(after.match, { rounds: 2, firstTo: null, played: 2, over: true, result: { winner: end.winner, tied: end.tied } });
    h.lobby.leave(end.winner?.id ?? end.tied[0]?.id ?? '', h.now);
    assert.deepEqual(seenBy('Hal').match?.result, { winner: end.winner, tied: end.tied }, 'the result stands when its winner leaves');
  });

  it('says how many wins end a race, and whether a race match is over', () => {
    const { h, ids, seenBy } = room(['Ada', 'Bob'], { mode: 'race', firstTo: 1 });
    const [ada, bob] = ids as [PlayerId, PlayerId];
    assert.deepEqual(seenBy('Eve').match, { rounds: null, firstTo: 1, played: 0, over: false });
    h.lobby.start(ada, h.now);
    assert.deepEqual(h.last(bob, 'round_start').match, { rounds: null, firstTo: 1, played: 0, over: false });
    h.find(ada);
    assert.deepEqual(seenBy('Fay').match, { rounds: null, firstTo: 1, played: 1, over: true, result: { winner: { id: ada, name: 'Ada' }, tied: [] } });
    h.lobby.start(bob, h.now);
    assert.deepEqual(seenBy('Gus').match, { rounds: null, firstTo: 1, played: 0, over: false }, 'the next start begins a new match');
  });

  it('has no match in solo', () => {
    const { h, ids } = room(['Ada'], { mode: 'solo' });
    const [ada] = ids as [PlayerId];
    assert.equal('match' in h.last(ada, 'room'), false);
    assert.equal('match' in h.last(ada, 'round_start'), false);
  });

  it("gives every seat's guesses of the round as progress told them, the number that found it left out", () => {
    const { h, ids, seenBy } = room(['Ada', 'Bob', 'Cy'], { mode: 'pick' });
    const [ada, bob, cy] = ids as [PlayerId, PlayerId, PlayerId];
    h.lobby.start(ada, h.now);
    assert.equal(h.lobby.pick(ada, 58, h.now), undefined);
    for (const value of [50, 75]) h.lobby.guess(cy, value, h.now);
    h.find(bob);
    h.lobby.guess(cy, 60, h.now);
    const progress = (of: PlayerId) => h.of(ada, 'progress').filter((p) => p.player === of).map(({ value, outcome }) => (value === undefined ? { outcome } : { value, outcome }));
    const snapshot = seenBy('Eve');
    const guesses = (of: PlayerId) => snapshot.players.find((p) => p.id === of)?.guesses;
    assert.deepEqual(guesses(bob), progress(bob));
    assert.deepEqual(guesses(bob)?.at(-1), { outcome: 'win' }, 'Cy is still guessing: the secret is not told');
    assert.deepEqual(guesses(cy), [{ value: 50, outcome: 'low' }, { value: 75, outcome: 'high' }, { value: 60, outcome: 'high' }]);
    assert.deepEqual(guesses(ada), [], 'the picker made none');
    const told = JSON.stringify(snapshot, (key, value: unknown) => (key === 'commitment' || key === 'code' ? undefined : value));
    assert.doesNotMatch(told, /58/, 'no trace of the secret');
  });

  it('decodes on the client, which ignores fields it does not know', () => {
    const { h, ids, seenBy } = room(['Ada', 'Bob'], { mode: 'pick', rounds: 3 });
    h.lobby.start(ids[0] ?? '', h.now);
    const snapshot = seenBy('Eve');
    const wire = JSON.parse(encodeServerMessage(snapshot)) as Record<string, unknown>;
    assert.deepEqual(decodeServerMessage(JSON.stringify(wire)), { kind: 'message', message: wire });
    const newer = { ...wire, confetti: 'red', match: { ...(wire.match as object), overtime: true } };
    assert.deepEqual(decodeServerMessage(JSON.stringify(newer)), { kind: 'message', message: wire });
    const older = { ...wire, players: snapshot.players.map((seat) => Object.fromEntries(Object.entries(seat).filter(([key]) => key !== 'guesses'))) };
    const read = decodeServerMessage(JSON.stringify(older));
    assert.ok(read.kind === 'message' && read.message.type === 'room');
    assert.deepEqual(read.message.players.map((p) => p.guesses), [[], []], 'a seat from an older server: no guesses');
  });
});

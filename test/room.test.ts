import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verifyCommitment } from '../src/core/commitment.js';
import { maxBinarySearchGuesses } from '../src/core/game.js';
import { seededRandom } from '../src/core/random.js';
import { CODE_ALPHABET, isRoomCode, newRoomCode, roomCodeInLink } from '../src/core/room-code.js';
import { MAX_MISSED } from '../src/core/lobby.js';
import { LobbyHarness, sha256 } from './helpers/lobby.js';

function roomCode(h: LobbyHarness, id: string): string {
  const room = h.lobby.roomOf(id);
  assert.ok(room, `${id} is in no room`);
  return room.code;
}

/** Ada and Bob in a race over 1..max, its first round started. */
function raceUnderWay(max: number): { h: LobbyHarness; ada: string; bob: string; code: string } {
  const h = new LobbyHarness();
  const [ada, bob] = [h.player('Ada'), h.player('Bob')];
  h.lobby.create(ada, { mode: 'race', min: 1, max }, h.now);
  const code = roomCode(h, ada);
  h.lobby.join(bob, code, 'player', h.now);
  h.lobby.start(ada, h.now);
  return { h, ada, bob, code };
}

describe('room codes', () => {
  it('use only unambiguous uppercase characters and never repeat a live code', () => {
    const random = seededRandom(7);
    const live = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const code = newRoomCode(random, (c) => live.has(c));
      assert.match(code, /^[A-Z2-9]{5,}$/);
      assert.doesNotMatch(code, /[01OIL]/);
      assert.ok(isRoomCode(code), code);
      assert.equal(roomCodeInLink(`/r/${code.toLowerCase()}/`), code);
      assert.ok(!live.has(code));
      live.add(code);
    }
    assert.equal(CODE_ALPHABET.length, 31);
  });

  it('are told apart from what cannot be one, the same way by every client and the server', () => {
    for (const text of ['K7PQ', 'K7PQ0', 'K7PQO', 'K7PQI', 'K7PQ1', 'K7PQL', 'K7-PQ', 'k7pqm', 'K'.repeat(17), '']) {
      assert.equal(isRoomCode(text), false, text);
    }
    assert.equal(isRoomCode('K'.repeat(16)), true);
    assert.equal(roomCodeInLink('/r/k7pqm'), 'K7PQM');
    for (const path of ['/r/K7PQ0', '/r/', '/r/K7PQM/x', '/x/K7PQM', 'r/K7PQM', '/r/K7PQM//']) assert.equal(roomCodeInLink(path), undefined, path);
  });

  it('grow a character when the short ones keep colliding', () => {
    assert.equal(newRoomCode(() => 0, (c) => c.length === 5).length, 6);
  });
});

describe('a race room', () => {
  it('plays a round between two players: results, progress, one winner, commitment opened', () => {
    const h = new LobbyHarness();
    const ada = h.player('Ada');
    const bob = h.player('Bob');
    h.lobby.create(ada, { mode: 'race' }, h.now);
    assert.equal(h.lobby.join(bob, roomCode(h, ada), 'player', h.now), undefined);
    assert.equal(h.last(ada, 'presence').player, bob);
    assert.equal(h.lobby.guess(ada, 50, h.now), 'E_NO_ROUND');
    assert.equal(h.lobby.start(bob, h.now), undefined);
    const start = h.last(ada, 'round_start');
    assert.deepEqual(start.guessers, [ada, bob]);
    assert.equal(h.lobby.start(ada, h.now), 'E_ROUND_RUNNING');

    assert.equal(h.lobby.guess(ada, 1, h.now), undefined);
    // 1 is the range's lowest number and the seeded secret is not 1: the answer is written out here.
    assert.deepEqual(h.last(ada, 'result'), { type: 'result', value: 1, outcome: 'low', message: 'Too small!', attempts: 1 });
    assert.equal(h.last(bob, 'progress').player, ada);
    const secret = h.find(bob);
    assert.ok(secret > 1);
    const end = h.last(ada, 'round_end');
    assert.deepEqual(end.winner, { id: bob, name: 'Bob' });
    assert.equal(end.secret, secret);
    assert.equal(end.reason, 'found');
    assert.equal(end.commitment, start.commitment);
    const salt = end.salt;
    assert.ok(verifyCommitment(sha256, start.commitment, secret, salt));
    assert.ok(!verifyCommitment(sha256, start.commitment, secret + 1, salt), 'a changed secret does not open the commitment');
    assert.equal(h.lobby.guess(ada, secret, h.now), 'E_NO_ROUND');
    assert.deepEqual(
      end.standings.map((s) => [s.id, s.wins, s.rounds]),
      [[ada, 0, 1], [bob, 1, 1]],
    );
    // The winning guess's value is withheld from the others.
    const win = h.of(ada, 'progress').find((p) => p.outcome === 'win');
    assert.ok(win !== undefined && !('value' in win));
  });

  it('refuses the ninth player and a spectator\u2019s guess', () => {
    const h = new LobbyHarness();
    const ids = Array.from({ length: 9 }, (_, i) => h.player(`P${i + 1}`));
    const [host = '', ...rest] = ids;
    h.lobby.create(host, { mode: 'race' }, h.now);
    const code = roomCode(h, host);
    const answers = rest.map((id) => h.lobby.join(id, code, 'player', h.now));
    assert.deepEqual(answers, [...Array<undefined>(7).fill(undefined), 'E_ROOM_FULL']);
    assert.equal(h.lobby.roomOf(host)?.players[0]?.seat, 1);
    const watcher = h.player('Watcher');
    assert.equal(h.lobby.join(watcher, code, 'spectator', h.now), undefined);
    assert.equal(h.lobby.guess(watcher, 50, h.now), 'E_NOT_YOUR_TURN', 'a spectator cannot start a round either');
    assert.equal(h.lobby.pick(watcher, 50, h.now), 'E_NOT_YOUR_TURN');
    h.lobby.start(host, h.now);
    assert.equal(h.lobby.guess(watcher, 50, h.now), 'E_NOT_YOUR_TURN');
    assert.equal(h.lobby.create(host, { mode: 'race' }, h.now), 'E_IN_ROOM');
    assert.equal(h.lobby.join(watcher, code, 'player', h.now), 'E_IN_ROOM');
  });

  it('lets a binary-search bot win within log2(span)+1 guesses', () => {
    const h = new LobbyHarness(3, { botDelayMs: 10 });
    const ada = h.player('Ada');
    h.lobby.create(ada, { mode: 'race', min: 1, max: 1000, bot: 'binary' }, h.now);
    h.lobby.start(ada, h.now);
    for (let i = 0; i < 50 && h.of(ada, 'round_end').length === 0; i++) h.tick(10);
    const end = h.last(ada, 'round_end');
    assert.equal(end.winner?.name, 'Bot');
    const botGuesses = h.of(ada, 'progress').filter((p) => p.player === end.winner?.id);
    assert.ok(botGuesses.length <= maxBinarySearchGuesses({ min: 1, max: 1000 }));
  });

  it('plays its bot at the pace the room asked for, not the server\'s', () => {
    const h = new LobbyHarness(3, { botDelayMs: 700 });
    const ada = h.player('Ada');
    h.lobby.create(ada, { mode: 'race', bot: 'weak', botDelayMs: 300 }, h.now);
    h.lobby.start(ada, h.now);
    h.tick(299);
    assert.equal(h.of(ada, 'progress').length, 0, 'no guess before 300 ms');
    h.tick(1);
    assert.equal(h.of(ada, 'progress').length, 1, 'its first guess at 300 ms');
    h.tick(300);
    assert.equal(h.of(ada, 'progress').length, 2, 'the next 300 ms later');
  });

  for (const [kind, name] of [['medium', 'Medium bot'], ['weak', 'Weak bot']] as const) {
    it(`has a ${kind} bot, seated as "${name}", that still finds the secret`, () => {
      const h = new LobbyHarness(5, { botDelayMs: 10 });
      const ada = h.player('Ada');
      h.lobby.create(ada, { mode: 'race', bot: kind }, h.now);
      assert.equal(h.lobby.roomOf(ada)?.players[1]?.name, name);
      h.lobby.start(ada, h.now);
      for (let i = 0; i < 200 && h.of(ada, 'round_end').length === 0; i++) h.tick(10);
      assert.equal(h.last(ada, 'round_end').winner?.name, name);
    });
  }
});

describe('a pick room', () => {
  it('lets the picker choose, refuses its guesses, ends when all guessers found it, swaps roles', () => {
    const h = new LobbyHarness();
    const [ada, bob, cy] = [h.player('Ada'), h.player('Bob'), h.player('Cy')];
    h.lobby.create(ada, { mode: 'pick' }, h.now);
    assert.equal(h.lobby.start(ada, h.now), 'E_NOT_ENOUGH_PLAYERS');
    const code = roomCode(h, ada);
    h.lobby.join(bob, code, 'player', h.now);
    h.lobby.join(cy, code, 'player', h.now);
    h.lobby.start(bob, h.now);
    assert.equal(h.last(bob, 'picking').picker, ada);
    assert.equal(h.lobby.pick(bob, 10, h.now), 'E_NOT_YOUR_TURN');
    assert.equal(h.lobby.guess(bob, 10, h.now), 'E_NOT_YOUR_TURN', 'the picker is choosing: no round to start');
    assert.equal(h.lobby.pick(ada, 101, h.now), 'E_PICK_OUT_OF_RANGE');
    assert.equal(h.lobby.pick(ada, 37, h.now), undefined);
    assert.deepEqual(h.last(ada, 'picked'), { type: 'picked', round: 1, value: 37 });
    const start = h.last(bob, 'round_start');
    assert.equal(start.picker, ada);
    assert.deepEqual(start.guessers, [bob, cy]);
    assert.equal(h.lobby.guess(ada, 37, h.now), 'E_NOT_YOUR_TURN');
    assert.equal(h.find(bob), 37);
    assert.equal(h.lobby.guess(bob, 37, h.now), 'E_NOT_YOUR_TURN');
    assert.equal(h.of(bob, 'round_end').length, 0, 'the round goes on until every guesser found it');
    for (const value of [90, 80, 70, 60, 50, 37]) h.lobby.guess(cy, value, h.now);
    const end = h.last(cy, 'round_end');
    assert.equal(end.reason, 'all_found');
    assert.deepEqual(end.winner, { id: bob, name: 'Bob' });
    assert.equal(end.secret, 37);
    assert.ok(verifyCommitment(sha256, start.commitment, 37, end.salt));
    h.lobby.start(ada, h.now);
    assert.equal(h.last(ada, 'picking').picker, bob, 'roles swap on rematch');
  });

  it('draws the secret itself when the picker lets the time run out', () => {
    const h = new LobbyHarness(1, { pickTimeoutMs: 1000 });
    const [ada, bob] = [h.player('Ada'), h.player('Bob')];
    h.lobby.create(ada, { mode: 'pick' }, h.now);
    h.lobby.join(bob, roomCode(h, ada), 'player', h.now);
    h.lobby.start(ada, h.now);
    h.tick(999);
    assert.equal(h.of(bob, 'round_start').length, 0);
    h.tick(1);
    const start = h.last(bob, 'round_start');
    assert.equal(start.picker, null);
    assert.deepEqual(start.guessers, [bob]);
    assert.equal(h.lobby.pick(ada, 5, h.now), 'E_NOT_YOUR_TURN', 'the round is under way: no round to start');
  });

  it('has a bot that picks when its turn comes and guesses otherwise', () => {
    const h = new LobbyHarness(9, { botDelayMs: 5 });
    const ada = h.player('Ada');
    h.lobby.create(ada, { mode: 'pick', bot: 'binary' }, h.now);
    h.lobby.start(ada, h.now);
    h.lobby.pick(ada, 64, h.now);
    for (let i = 0; i < 20 && h.of(ada, 'round_end').length === 0; i++) h.tick(5);
    assert.equal(h.last(ada, 'round_end').secret, 64);
    h.lobby.start(ada, h.now);
    const start = h.last(ada, 'round_start');
    assert.deepEqual(start.guessers, [ada]);
    assert.notEqual(start.picker, null);
  });
});

describe('turns and returns', () => {
  /** Plays one pick round to its end: the picker picks 50, every guesser finds it. Returns the picker. */
  function pickRound(h: LobbyHarness, starter: string): string {
    assert.equal(h.lobby.start(starter, h.now), undefined);
    const picker = h.last(starter, 'picking').picker;
    assert.equal(h.lobby.pick(picker, 50, h.now), undefined);
    for (const id of h.last(picker, 'round_start').guessers) assert.equal(h.find(id), 50);
    assert.equal(h.last(starter, 'round_end').reason, 'all_found');
    return picker;
  }

  it('passes the pick to the next seat each round, and from the last seat back to the first', () => {
    const h = new LobbyHarness();
    const [ada, bob, cy] = [h.player('Ada'), h.player('Bob'), h.player('Cy')];
    h.lobby.create(ada, { mode: 'pick' }, h.now);
    for (const id of [bob, cy]) h.lobby.join(id, roomCode(h, ada), 'player', h.now);
    assert.deepEqual([1, 2, 3, 4, 5].map(() => pickRound(h, bob)), [ada, bob, cy, ada, bob]);
  });

  it('skips a seat given up, and wraps from the last seat still taken', () => {
    const h = new LobbyHarness();
    const [ada, bob, cy] = [h.player('Ada'), h.player('Bob'), h.player('Cy')];
    h.lobby.create(ada, { mode: 'pick' }, h.now);
    for (const id of [bob, cy]) h.lobby.join(id, roomCode(h, ada), 'player', h.now);
    assert.equal(pickRound(h, ada), ada);
    assert.equal(pickRound(h, ada), bob);
    h.lobby.leave(cy, h.now);
    assert.deepEqual([pickRound(h, ada), pickRound(h, ada)], [ada, bob]);
  });

  it('gives a player who leaves a race and comes back within the round its attempts and history', () => {
    const { h, ada, bob, code } = raceUnderWay(1000);
    for (const value of [1, 2, 3]) h.lobby.guess(ada, value, h.now);
    h.lobby.leave(ada, h.now);
    assert.equal(h.lobby.join(ada, code, 'player', h.now), undefined);
    const back = h.last(ada, 'room');
    assert.deepEqual(back.history, [1, 2, 3].map((value) => ({ value, outcome: 'low' })));
    assert.equal(back.players.find((p) => p.id === ada)?.attempts, 3);
    assert.equal(h.lobby.guess(ada, 4, h.now), undefined);
    assert.equal(h.last(ada, 'result').attempts, 4, 'the count goes on from where it was');
    // In the next round it starts from nothing, as everyone does.
    h.find(bob);
    h.lobby.start(ada, h.now);
    h.lobby.leave(ada, h.now);
    h.lobby.join(ada, code, 'player', h.now);
    assert.equal(h.last(ada, 'room').history.length, 0);
  });

  it('lets a pick guesser who comes back within the round guess on, while a newcomer only watches', () => {
    const h = new LobbyHarness();
    const [ada, bob, cy, eve, dee] = ['Ada', 'Bob', 'Cy', 'Eve', 'Dee'].map((name) => h.player(name)) as [string, string, string, string, string];
    h.lobby.create(ada, { mode: 'pick' }, h.now);
    const code = roomCode(h, ada);
    for (const id of [bob, cy, eve]) h.lobby.join(id, code, 'player', h.now);
    h.lobby.start(ada, h.now);
    h.lobby.pick(ada, 50, h.now);
    h.lobby.guess(bob, 10, h.now);
    assert.equal(h.find(eve), 50);
    for (const id of [bob, eve]) h.lobby.leave(id, h.now);
    for (const id of [bob, eve, dee]) assert.equal(h.lobby.join(id, code, 'player', h.now), undefined);
    assert.equal(h.lobby.guess(dee, 50, h.now), 'E_NOT_YOUR_TURN', 'a newcomer watches a pick round under way');
    assert.equal(h.lobby.guess(eve, 50, h.now), 'E_NOT_YOUR_TURN', 'eve found it before leaving');
    assert.equal(h.lobby.guess(bob, 50, h.now), undefined);
    assert.equal(h.last(bob, 'result').attempts, 2);
    assert.equal(h.of(ada, 'round_end').length, 0, 'cy has not found it yet');
    for (const value of [30, 50]) h.lobby.guess(cy, value, h.now);
    const end = h.last(ada, 'round_end');
    assert.equal(end.reason, 'all_found');
    assert.deepEqual(end.winner, { id: eve, name: 'Eve' }, 'one guess, counted although she left and came back');
    assert.deepEqual(end.standings.map((s) => [s.name, s.guesses]), [['Ada', 0], ['Cy', 2], ['Bob', 2], ['Eve', 1], ['Dee', 0]]);
  });
});

describe('a solo room', () => {
  it('starts at once and starts a new round after each win', () => {
    const h = new LobbyHarness();
    const ada = h.player('Ada');
    h.lobby.create(ada, { mode: 'solo', min: 1, max: 10 }, h.now);
    assert.deepEqual(h.inbox(ada).map((e) => e.type), ['room', 'round_start']);
    h.find(ada);
    assert.deepEqual(h.inbox(ada).slice(-2).map((e) => e.type), ['round_end', 'round_start']);
    assert.equal(h.last(ada, 'round_start').round, 2);
  });

  it('closes as soon as it is empty: nobody can join it', () => {
    const h = new LobbyHarness(42, { seatHoldMs: 5000, emptyRoomMs: 60_000 });
    const [ada, bob] = [h.player('Ada'), h.player('Bob')];
    h.lobby.create(ada, { mode: 'solo' }, h.now);
    h.lobby.create(bob, { mode: 'solo' }, h.now);
    const [adas, bobs] = [roomCode(h, ada), roomCode(h, bob)];
    h.lobby.leave(ada, h.now);
    h.lobby.disconnect(bob, h.now);
    h.tick(0);
    assert.ok(!h.lobby.rooms.has(adas), 'left: closed at once');
    assert.ok(h.lobby.rooms.has(bobs), 'dropped: the seat is held for a resume');
    h.tick(5000);
    assert.ok(!h.lobby.rooms.has(bobs), 'the seat given up: closed at once');
  });
});

describe('dropped connections', () => {
  it('keep the seat and attempts, replay what was missed, and tell the others', () => {
    const { h, ada, bob } = raceUnderWay(1000);
    h.lobby.guess(ada, 1, h.now);
    h.lobby.disconnect(ada, h.now);
    assert.equal(h.last(bob, 'presence').event, 'dropped');
    h.lobby.guess(bob, 2, h.now);
    h.tick(59_000);
    const resumed = h.lobby.resume('token-Ada');
    assert.ok(resumed);
    assert.deepEqual(h.replay(ada, resumed.after).map((e) => e.type), ['progress']);
    assert.equal(resumed.seq, resumed.after + 1);
    assert.ok(resumed.room);
    assert.equal(resumed.room.history.length, 1);
    assert.equal(resumed.room.players.find((p) => p.id === ada)?.attempts, 1);
    assert.equal(h.last(bob, 'presence').event, 'returned');
    h.lobby.guess(ada, 3, h.now);
    assert.equal(h.last(ada, 'result').attempts, 2, 'attempts continue across resume');
  });

  it('number every event per player, and resume from what the client says it saw or else from what was handed over', () => {
    const { h, ada, bob } = raceUnderWay(1_000_000);
    h.lobby.disconnect(bob, h.now);
    const guesses = MAX_MISSED + 25;
    for (let i = 0; i < guesses; i++) h.lobby.guess(ada, 1, h.now);
    const numbers = (h.kept.get(bob) ?? []).map((e) => e.seq);
    assert.deepEqual(numbers, numbers.map((_, i) => i + 1), 'numbered 1, 2, 3... with no gap');
    const sentBefore = h.inbox(bob).length;
    const resumed = h.lobby.resume('token-Bob');
    assert.ok(resumed?.room);
    assert.deepEqual([resumed.after, resumed.seq - resumed.after], [sentBefore, guesses], 'no seq: after the last one handed over');
    assert.equal(resumed.room.players.find((p) => p.id === ada)?.attempts, guesses);
    h.lobby.disconnect(bob, h.now);
    assert.equal(h.lobby.resume('token-Bob', 3)?.after, 3, 'the client saw up to 3: everything after it again');
    h.lobby.disconnect(bob, h.now);
    assert.equal(h.lobby.resume('token-Bob', 10 ** 9)?.after, resumed.seq, 'a number from the future replays nothing');
  });

  it('give the seat up after the hold time, and the token with it', () => {
    const h = new LobbyHarness(42, { seatHoldMs: 5000, emptyRoomMs: 1000 });
    const [ada, bob] = [h.player('Ada'), h.player('Bob')];
    h.lobby.create(ada, { mode: 'race' }, h.now);
    const code = roomCode(h, ada);
    h.lobby.join(bob, code, 'player', h.now);
    h.lobby.disconnect(ada, h.now);
    h.tick(5000);
    assert.deepEqual(h.last(bob, 'presence'), { type: 'presence', event: 'left', player: ada, name: 'Ada', role: 'player', seat: 1 });
    assert.equal(h.lobby.resume('token-Ada'), undefined);
    h.lobby.leave(bob, h.now);
    assert.ok(h.lobby.rooms.has(code));
    h.tick(1000);
    assert.ok(!h.lobby.rooms.has(code), 'an empty room closes');
    const cy = h.player('Cy');
    assert.equal(h.lobby.join(cy, code, 'player', h.now), 'E_UNKNOWN_ROOM');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { LobbyRoomRecord } from '../src/core/room-record.js';
import { LobbyHarness } from './helpers/lobby.js';
import { HOLD_MS, PEOPLE, step, type Step } from './helpers/room-steps.js';

const RULES = { seatHoldMs: HOLD_MS, botDelayMs: 700, pickTimeoutMs: 3000, emptyRoomMs: 5000 };

interface Saved {
  readonly rooms: LobbyRoomRecord[];
  readonly counters: { players: number; bots: number };
  readonly now: number;
}

function saveAll(h: LobbyHarness): Saved {
  const rooms = [...h.lobby.rooms.values()].map((room) => h.lobby.save(room)).sort((a, b) => a.room.code.localeCompare(b.room.code));
  // Through JSON, as a store keeps it: nothing may depend on an object surviving.
  return JSON.parse(JSON.stringify({ rooms, counters: h.lobby.counters, now: h.now })) as Saved;
}

/** What a restart changes on purpose: nobody is connected, and every person's seat is held from the restart. */
function asAfterRestart(saved: Saved, holdUntil: number): unknown {
  return saved.rooms.map((r) => ({
    ...r,
    room: { ...r.room, seats: r.room.seats.map((s) => ({ ...s, connected: s.bot !== null, dropDeadline: s.bot === null ? holdUntil : null })) },
  }));
}

function apply(h: LobbyHarness, ids: string[], connected: boolean[], s: Step): void {
  if (s.op === 'tick') return h.tick(s.ms);
  const i = s.who;
  const id = ids[i] ?? '';
  if (s.op === 'resume') {
    if (connected[i] === true) return;
    if (h.lobby.resume(`token-P${i}`) === undefined) ids[i] = h.player(`P${i}`);
    connected[i] = true;
    return;
  }
  if (connected[i] !== true) return;
  switch (s.op) {
    case 'create':
      h.lobby.create(id, { mode: s.mode, min: 1, max: 8, bot: s.bot ? 'binary' : undefined }, h.now);
      return;
    case 'join': {
      const host = h.lobby.roomOf(ids[s.host] ?? '');
      if (host !== undefined) h.lobby.join(id, host.code, s.spectator ? 'spectator' : 'player', h.now);
      return;
    }
    case 'leave':
      h.lobby.leave(id, h.now);
      return;
    case 'drop':
      h.lobby.disconnect(id, h.now);
      connected[i] = false;
      return;
    case 'start':
      h.lobby.start(id, h.now);
      return;
    case 'guess':
      h.lobby.guess(id, s.value, h.now);
      return;
    case 'pick':
      h.lobby.pick(id, s.value, h.now);
  }
}

/**
 * The core half of "a restart loses nothing": a lobby saved after any acknowledged request and
 * restored on a new lobby is the same lobby (but for the connections, which a restart cuts), and
 * its rounds go on with the same secrets.
 */
describe('a lobby restored from what was saved', () => {
  it('equals the lobby as of the last saved request, whatever the requests and wherever they are cut', () => {
    fc.assert(
      fc.property(fc.integer(), fc.array(step, { minLength: 1, maxLength: 120, size: 'max' }), fc.nat(), (seed, steps, cutAt) => {
        const h = new LobbyHarness(seed, RULES);
        const ids = Array.from({ length: PEOPLE }, (_, i) => h.player(`P${i}`));
        const connected = ids.map(() => true);
        const cut = cutAt % steps.length;
        let saved = saveAll(h);
        for (const [n, s] of steps.entries()) {
          if (n > cut) break;
          apply(h, ids, connected, s);
          saved = saveAll(h);
        }
        const restarted = new LobbyHarness(seed + 1, RULES);
        // Restarted at the same instant, so that what is kept relative to the clock compares as it is.
        restarted.now = saved.now;
        restarted.lobby.restore(saved.rooms.map((record) => ({ record, savedAt: saved.now })), saved.counters, restarted.now, 0);
        assert.deepEqual(asAfterRestart(saveAll(restarted), 0), asAfterRestart(saved, 0));
        // Seats are held from the restart, not from before it.
        for (const room of restarted.lobby.rooms.values()) {
          for (const seat of room.save().seats) if (seat.bot === null) assert.equal(seat.dropDeadline, restarted.now + HOLD_MS);
        }
        // Each round under way goes on with the same secret: a guesser finds it in both, and the
        // round ends the same way (winner and standings).
        for (const r of saved.rooms) {
          const guesser = r.room.seats.find((seat) => seat.bot === null && !seat.found && r.room.state === 'playing' && r.room.guessers.includes(seat.id));
          if (guesser === undefined) continue;
          const token = `token-P${ids.indexOf(guesser.id)}`;
          if (connected[ids.indexOf(guesser.id)] !== true) h.lobby.resume(token);
          restarted.lobby.resume(token);
          // Only the round ends that the find brings: the first lobby also told of rounds before the restart.
          const [endedBefore, endedAfter] = [h, restarted].map((x) => x.of(guesser.id, 'round_end').length);
          assert.equal(restarted.find(guesser.id), h.find(guesser.id), `room ${r.room.code}: another secret after the restart`);
          // (A pick round goes on until every guesser has found it: it may not have ended.)
          const before = h.of(guesser.id, 'round_end').slice(endedBefore).at(-1);
          const after = restarted.of(guesser.id, 'round_end').slice(endedAfter).at(-1);
          assert.deepEqual(after, before);
        }
        // New ids never reuse one given before the restart.
        assert.ok(Number(restarted.lobby.addPlayer('New', 'token-New').id.slice(1)) > saved.counters.players);
      }),
      { numRuns: Number(process.env.RUNS ?? 300) },
    );
  });

  it('goes on with the same round: the seat, its attempts and the secret behind the same commitment', () => {
    const h = new LobbyHarness(7, RULES);
    const [ada, bob] = [h.player('Ada'), h.player('Bob')];
    h.lobby.create(ada, { mode: 'race', min: 1, max: 1000 }, h.now);
    const code = h.lobby.roomOf(ada)?.code ?? '';
    h.lobby.join(bob, code, 'player', h.now);
    h.lobby.start(ada, h.now);
    h.lobby.guess(ada, 500, h.now);
    const commitment = h.last(ada, 'round_start').commitment;
    const saved = saveAll(h);

    const r = new LobbyHarness(99, RULES);
    r.now = h.now + 5000;
    r.lobby.restore(saved.rooms.map((record) => ({ record, savedAt: saved.now })), saved.counters, r.now, 0);
    const resumed = r.lobby.resume('token-Ada');
    assert.ok(resumed?.room);
    assert.deepEqual([resumed.room.state, resumed.room.commitment, resumed.room.history.length], ['playing', commitment, 1]);
    const secret = r.find(ada);
    assert.equal(r.last(ada, 'result').attempts, r.of(ada, 'result').length + 1, 'attempts go on from the one before the restart');
    const end = r.last(ada, 'round_end');
    assert.deepEqual([end.commitment, end.secret], [commitment, secret]);
    const kept = r.replay(bob, 0).filter((e) => e.type === 'round_end');
    assert.deepEqual(kept.map((e) => e.commitment), [commitment], 'kept for Bob, who has not come back yet');
  });
});

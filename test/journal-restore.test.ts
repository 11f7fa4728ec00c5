import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { seededRandom } from '../src/core/random.js';
import type { LobbyRoomRecord } from '../src/core/room-record.js';
import { DEFAULTS, resolveConfig } from '../src/server/config.js';
import { Hub, sha256Hex } from '../src/server/hub.js';
import { JsonPeer } from '../src/server/json-peer.js';
import type { Store } from '../src/server/store.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { tempDir } from './helpers/db-files.js';
import { PEOPLE, step, type Step } from './helpers/room-steps.js';
import { SILENT_LOG } from './helpers/log.js';

// No timer may fire while a case runs: what a timer does is rewritten, never journaled, and is
// covered elsewhere; here the journal's replay is what is checked.
const RULES = { seatHoldMs: 3_600_000, botDelayMs: 3_600_000, pickTimeoutMs: 3_600_000, emptyRoomMs: 3_600_000 };

interface Person {
  token: string | undefined;
  peer: JsonPeer | undefined;
  /** Every text its connections were handed, by the number it carries. */
  readonly seen: Map<number, string>;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function connect(hub: Hub, person: Person): JsonPeer {
  const peer: JsonPeer = new JsonPeer(hub, {
    send: (text) => {
      const message = JSON.parse(text) as { type: string; token?: string; seq?: number; resumed?: boolean };
      if (message.type === 'welcome') person.token = message.token;
      // A new player (its old seat was given up): another id, other events.
      if (message.type === 'welcome' && message.resumed !== true) person.seen.clear();
      if (message.seq !== undefined) person.seen.set(message.seq, text);
    },
    end: () => {},
    hold: () => {},
    release: () => {},
  });
  person.peer = peer;
  return peer;
}

function request(hub: Hub, people: Person[], s: Exclude<Step, { op: 'tick' }>): void {
  // A guess goes to someone connected in a round, if anyone is: most random ones would be refused.
  const guessers = people.filter((p) => p.peer !== undefined && isPlaying(hub, p));
  const person = s.op === 'guess' && guessers.length > 0 ? guessers[s.who % guessers.length] : people[s.who];
  if (person === undefined) return;
  if (s.op === 'resume') {
    if (person.peer !== undefined) return;
    // A player in no room is not kept: after a restart its token is unknown.
    const known = hubIdOf(hub, person) !== undefined;
    connect(hub, person).receive(JSON.stringify(known ? { type: 'resume', token: person.token } : { type: 'hello', v: 1, name: `P${s.who}` }));
    return;
  }
  const peer = person.peer;
  if (peer === undefined) return;
  const code = (host: number): string | undefined => {
    const id = hubIdOf(hub, people[host]);
    return id === undefined ? undefined : hub.lobby.roomOf(id)?.code;
  };
  switch (s.op) {
    case 'create':
      return peer.receive(JSON.stringify({ type: 'create', mode: s.mode, min: 1, max: 100, ...(s.bot ? { bot: 'binary' } : {}) }));
    case 'join': {
      const room = code(s.host);
      if (room !== undefined) peer.receive(JSON.stringify({ type: 'join', code: room, as: s.spectator ? 'spectator' : 'player' }));
      return;
    }
    case 'drop':
      peer.close();
      person.peer = undefined;
      return;
    case 'guess':
    case 'pick':
      return peer.receive(JSON.stringify({ type: s.op, value: s.value }));
    default:
      return peer.receive(JSON.stringify({ type: s.op }));
  }
}

function isPlaying(hub: Hub, person: Person): boolean {
  const id = hubIdOf(hub, person);
  return id !== undefined && hub.lobby.roomOf(id)?.save().state === 'playing';
}

/** The player id behind a person's token, from the room members the hub would save. */
function hubIdOf(hub: Hub, person: Person | undefined): string | undefined {
  for (const room of hub.lobby.rooms.values()) {
    for (const member of hub.lobby.save(room).members) if (person?.token !== undefined && member.token === sha256Hex(person.token)) return member.id;
  }
  return undefined;
}

/** Everything about the rooms a restart must keep, without what it changes on purpose (who is connected, deadlines). */
function kept(hub: Hub): unknown {
  const rooms = [...hub.lobby.rooms.values()].map((room) => JSON.parse(JSON.stringify(hub.lobby.save(room))) as LobbyRoomRecord);
  return rooms
    .sort((a, b) => a.room.code.localeCompare(b.room.code))
    .map(({ room, members }) => ({
      room: {
        ...room,
        seats: room.seats.map((seat) => ({ ...seat, connected: null, dropDeadline: null })),
        pickDeadline: null,
        botAt: null,
        emptySince: null,
      },
      members: members.map((member) => ({ ...member, sent: null, events: hub.eventsAfter(member.id, 0) })),
    }));
}

// Guesses in the range, often: they are what the journal holds; and people in rooms to make them.
const someone = fc.integer({ min: 0, max: PEOPLE - 1 });
const guessing: fc.Arbitrary<Step> = fc.record({ op: fc.constant('guess' as const), who: someone, value: fc.integer({ min: 1, max: 100 }) });
const entering: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('create' as const), who: someone, mode: fc.constantFrom('race' as const, 'pick' as const, 'solo' as const), bot: fc.boolean() }),
  fc.record({ op: fc.constant('join' as const), who: someone, host: someone, spectator: fc.constant(false) }),
  fc.record({ op: fc.constant('start' as const), who: someone }),
);

describe('the journal', { timeout: 120_000 }, () => {
  const dir = tempDir();
  after(() => dir.remove());

  it('a server restarted at any turn, by replaying records and journal, has every room and every kept event as they were', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.tuple(fc.oneof({ arbitrary: step, weight: 2 }, { arbitrary: guessing, weight: 5 }, { arbitrary: entering, weight: 2 }), fc.boolean()), { minLength: 20, maxLength: 60 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        // 0: every room with journaled guesses is rewritten at the end of its turn (up to a few
        // hundred a turn); an hour: never, so the journal holds everything since each room's record.
        fc.constantFrom(0, 3_600_000),
        async (segments, seed, foldAfterMs) => {
          const path = dir.file(`journal-${run++}.db`);
          const people: Person[] = Array.from({ length: PEOPLE }, () => ({ token: undefined, peer: undefined, seen: new Map() }));
          let store: Store = openSqliteStore(path);
          let hub = new Hub(resolveConfig({ random: seededRandom(seed), log: SILENT_LOG, store, rooms: RULES, foldAfterMs }));
          for (const person of people) connect(hub, person).receive(JSON.stringify({ type: 'hello', v: 1, name: `P${people.indexOf(person)}` }));
          await turn();
          for (const segment of segments) {
            for (const [s, endsTurn] of segment) {
              if (s.op !== 'tick') request(hub, people, s);
              // Several requests in one turn share a commit: the journal row holds them all.
              if (endsTurn) await turn();
            }
            await turn();
            // Rewritten at the end of their turn: every record holds every guess, the journal is empty.
            if (foldAfterMs === 0) assert.deepEqual(store.load().journal, []);
            const before = kept(hub);
            // A restart at a turn's end (what SIGKILL keeps is what was committed by then).
            hub.close();
            store.close();
            for (const person of people) person.peer = undefined;
            store = openSqliteStore(path);
            hub = new Hub(resolveConfig({ random: seededRandom(seed + 1), log: SILENT_LOG, store, rooms: RULES, foldAfterMs }));
            assert.deepEqual(kept(hub), before);
            for (const person of people) {
              const id = hubIdOf(hub, person);
              if (id === undefined) continue;
              // Fewer than the replay window: every event it was handed is kept.
              const events = hub.eventsAfter(id, 0);
              for (const text of person.seen.values()) assert.ok(events.includes(text), `kept for ${id}: ${text}`);
            }
          }
          hub.close();
          store.close();
        },
      ),
      { numRuns: 150, seed: 1207 },
    );
  });
  it('keeps a won round a second after its turn at most, when only guesses follow: that turn is a journal append, not a transaction', async (t) => {
    // The clock of the server's timers only: its turns (setImmediate) run as they do.
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const store = openSqliteStore(dir.file('waiting-result.db'));
    // No rewrite of the room's record comes to carry the result: only its own timer can.
    const hub = new Hub(resolveConfig({ random: seededRandom(11), log: SILENT_LOG, store, range: { min: 1, max: 2 }, foldAfterMs: 3_600_000 }));
    const sent: string[] = [];
    const peer = new JsonPeer(hub, { send: (text) => sent.push(text), end() {}, hold() {}, release() {} });
    peer.receive('{"type":"hello","name":"Ada"}');
    peer.receive('{"type":"create","mode":"solo"}');
    await turn();
    const kept = (): number => store.results({ mode: 'all', since: undefined }).length;
    for (const value of [1, 2]) {
      if (sent.some((text) => text.startsWith('{"type":"round_end"'))) break;
      peer.receive(`{"type":"guess","value":${String(value)}}`);
      await turn();
    }
    assert.ok(sent.some((text) => text.startsWith('{"type":"round_end"')), 'the round was won');
    assert.equal(kept(), 0, 'the won round waits');
    t.mock.timers.tick(999);
    await turn();
    assert.equal(kept(), 0, 'still waiting 999 ms later');
    t.mock.timers.tick(1);
    await turn();
    assert.equal(kept(), 1, 'kept a second after');
    hub.close();
    store.close();
  });

  it('rewrites a quiet room\'s record foldAfterMs after its first journaled guess, with no other turn to do it (three seconds by default)', async () => {
    assert.equal(DEFAULTS.foldAfterMs, 3_000);
    const store = openSqliteStore(dir.file('quiet.db'));
    const hub = new Hub(resolveConfig({ random: seededRandom(11), log: SILENT_LOG, store, range: { min: 1, max: 1_000 }, foldAfterMs: 150 }));
    const sent: string[] = [];
    const peer = new JsonPeer(hub, { send: (text) => sent.push(text), end() {}, hold() {}, release() {} });
    peer.receive('{"type":"hello","name":"Ada"}');
    peer.receive('{"type":"create","mode":"solo"}');
    await turn();
    const guessed = Date.now();
    peer.receive('{"type":"guess","value":1}');
    await turn();
    assert.ok(sent.some((text) => text.startsWith('{"type":"result"')), 'the guess was answered');
    assert.equal(store.load().journal.length, 1, 'the guess is a journal line');
    // Nobody plays on: the server's own timer opens the turn that rewrites the record. Looked at
    // after each commit (each is a turn of the server's own).
    for (let commits = hub.stats.commits; store.load().journal.length > 0; commits = hub.stats.commits) {
      while (hub.stats.commits === commits) {
        assert.ok(Date.now() - guessed < 10_000, 'the record was never rewritten');
        await turn();
      }
    }
    assert.ok(Date.now() - guessed >= 150, `rewritten ${Date.now() - guessed} ms after the guess`);
    hub.close();
    store.close();
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from './helpers/json-client.js';
import { roomServer } from './helpers/room-server.js';

/** Numeric fields that say nothing about the secret (counts, positions, the range itself). */
const HARMLESS_NUMBERS = new Set(['v', 'attempts', 'round', 'seat', 'maxPlayers', 'spectators', 'timeoutMs', 'missed', 'wins', 'rounds', 'guesses', 'played', 'firstTo', 'min', 'max', 'seq']);
/** Strings that are random by design: they may contain any digits. */
const OPAQUE_STRINGS = new Set(['commitment', 'token', 'code']);

/**
 * Every message a guesser (or spectator) received before its `round_end`, checked field by
 * field: the secret may appear only as the value of the guesser's own winning `result`.
 */
function assertNoLeak(who: string, messages: readonly Message[], secret: number): void {
  const end = messages.findIndex((m) => m.type === 'round_end');
  assert.ok(end >= 0, `${who} saw the round end`);
  for (const message of messages.slice(0, end)) {
    const ownWin = message.type === 'result' && message.outcome === 'win';
    assert.notEqual(message.type, 'picked', `${who} was sent the picker's own confirmation`);
    const walk = (value: unknown, key: string): void => {
      if (key === 'secret' || key === 'salt') assert.fail(`${who} got ${key} in ${message.type} before the round ended`);
      if (typeof value === 'number' && !HARMLESS_NUMBERS.has(key) && !(ownWin && key === 'value')) {
        assert.notEqual(value, secret, `${who} got the secret as ${message.type}.${key}`);
      } else if (typeof value === 'string' && !OPAQUE_STRINGS.has(key)) {
        assert.doesNotMatch(value, new RegExp(`(^|[^0-9])${secret}([^0-9]|$)`), `${who} got the secret in ${message.type}.${key}`);
      } else if (typeof value === 'object' && value !== null) {
        for (const [k, v] of Object.entries(value)) walk(v, Array.isArray(value) ? key : k);
      }
    };
    walk(message, '');
  }
}

describe('the secret never reaches a guesser before the round ends', { timeout: 60_000 }, () => {
  const { hello, connect } = roomServer(['--seed', '99', '--bot-delay-ms', '20']);

  it('in a race, with a bot and a spectator', async () => {
    const [ada, bob, eve] = await Promise.all([hello('Ada'), hello('Bob'), hello('Eve')]);
    const { code } = await ada.ask({ type: 'create', mode: 'race', min: 1, max: 500, bot: 'binary' }, 'room');
    await bob.ask({ type: 'join', code }, 'room');
    await eve.ask({ type: 'join', code, as: 'spectator' }, 'room');
    ada.send({ type: 'start' });
    const ends = await Promise.all([ada.binarySearch(1, 500), bob.binarySearch(1, 500), eve.next('round_end')]);
    const secret = ends[0].secret;
    for (const [name, client] of [['Ada', ada], ['Bob', bob], ['Eve', eve]] as const) assertNoLeak(name, client.received, secret);
  });

  it('in pick, with two guessers and a spectator', async () => {
    const [ada, bob, cy, eve] = await Promise.all([hello('Ada'), hello('Bob'), hello('Cy'), hello('Eve')]);
    const { code } = await ada.ask({ type: 'create', mode: 'pick', min: 1, max: 100 }, 'room');
    for (const c of [bob, cy]) await c.ask({ type: 'join', code }, 'room');
    await eve.ask({ type: 'join', code, as: 'spectator' }, 'room');
    ada.send({ type: 'start' });
    await ada.next('picking');
    await ada.ask({ type: 'pick', value: 58 }, 'picked');
    // Bob finds it first; Cy keeps guessing while Bob's win is known to the room.
    const bobEnd = bob.binarySearch(1, 100);
    await cy.next('round_start');
    await cy.ask({ type: 'guess', value: 1 }, 'result');
    const ends = await Promise.all([bobEnd, cy.binarySearch(1, 100), eve.next('round_end')]);
    assert.equal(ends[0].secret, 58);
    for (const [name, client] of [['Bob', bob], ['Cy', cy], ['Eve', eve]] as const) assertNoLeak(name, client.received, 58);
  });

  it('in what a resume replays from the store, and in the snapshot after it', async () => {
    const [ada, bob] = await Promise.all([hello('Ada'), hello('Bob')]);
    const { code } = await ada.ask({ type: 'create', mode: 'race', min: 1, max: 400 }, 'room');
    await bob.ask({ type: 'join', code }, 'room');
    ada.send({ type: 'start' });
    await bob.next('round_start');
    await bob.ask({ type: 'guess', value: 7 }, 'result');
    bob.tcp.socket.resetAndDestroy();
    await ada.next('presence');
    for (const value of [100, 200, 300]) await ada.ask({ type: 'guess', value }, 'result');
    const again = await connect();
    // From the very first event: everything the store kept for Bob comes again.
    again.send({ type: 'resume', token: bob.token, seq: 0 });
    assert.ok(((await again.next('welcome')).missed ?? 0) >= 6, 'the whole round so far is replayed');
    await again.next('room');
    const end = await ada.binarySearch(1, 400);
    await again.next('round_end');
    assertNoLeak('Bob, resumed', again.received, end.secret);
  });

  it('in solo', async () => {
    const ada = await hello('Ada');
    await ada.ask({ type: 'create', mode: 'solo', min: 1, max: 300 }, 'room');
    const end = await ada.binarySearch(1, 300);
    assertNoLeak('Ada', ada.received, end.secret);
  });

  it('and the check itself catches a leak', () => {
    const leaked: Message[] = [
      { type: 'progress', player: 'p2', name: 'Bob', outcome: 'win', attempts: 3, value: 42 },
      { type: 'round_end', round: 1, reason: 'found', winner: null, secret: 42, salt: '0'.repeat(32), commitment: '', standings: [] },
    ];
    assert.throws(() => assertNoLeak('test', leaked, 42), /secret as progress\.value/);
  });
});

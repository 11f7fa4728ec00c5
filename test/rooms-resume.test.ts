import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_MISSED } from '../src/core/lobby.js';
import { JsonClient } from './helpers/json-client.js';
import { roomServer } from './helpers/room-server.js';

describe('a dropped connection loses nothing', { timeout: 60_000 }, () => {
  const { server, hello, connect } = roomServer(['--seed', '5']);

  async function raceOfTwo(): Promise<{ ada: JsonClient; bob: JsonClient; code: string }> {
    const ada = await hello('Ada');
    const bob = await hello('Bob');
    const { code } = await ada.ask({ type: 'create', mode: 'race', min: 1, max: 1000 }, 'room');
    await bob.ask({ type: 'join', code }, 'room');
    ada.send({ type: 'start' });
    await Promise.all([ada.next('round_start'), bob.next('round_start')]);
    return { ada, bob, code };
  }

  it('keeps the seat, replays what was missed on resume, and tells the others of the drop and the return', async () => {
    const { ada, bob } = await raceOfTwo();
    const first = await ada.ask({ type: 'guess', value: 1 }, 'result');
    assert.equal(first.attempts, 1);
    ada.tcp.socket.resetAndDestroy();
    const dropped = await bob.next('presence');
    assert.deepEqual([dropped.event, dropped.player], ['dropped', ada.player]);
    const missed = await bob.ask({ type: 'guess', value: 2 }, 'result');

    const again = await connect();
    again.send({ type: 'resume', token: ada.token });
    const welcome = await again.nextAny();
    assert.ok(welcome.type === 'welcome');
    assert.deepEqual([welcome.resumed, welcome.player, welcome.missed], [true, ada.player, 1]);
    const replayed = await again.nextAny();
    assert.ok(replayed.type === 'progress');
    assert.deepEqual([replayed.player, replayed.value, replayed.attempts], [bob.player, 2, missed.attempts]);
    const room = await again.nextAny();
    assert.ok(room.type === 'room');
    assert.equal(room.state, 'playing');
    assert.deepEqual(room.history, [{ value: 1, outcome: first.outcome }]);
    assert.equal(room.players.find((p) => p.id === ada.player)?.attempts, 1);
    const returned = await bob.next('presence');
    assert.deepEqual([returned.event, returned.player], ['returned', ada.player]);
    assert.equal((await again.ask({ type: 'guess', value: 3 }, 'result')).attempts, 2, 'attempts continue across resume');
  });

  it('numbers every event 1, 2, 3… per player, and replays exactly what came after the seq the client gives', async () => {
    const { ada, bob } = await raceOfTwo();
    for (let value = 1; value <= 5; value++) await ada.ask({ type: 'guess', value }, 'result');
    await bob.ask({ type: 'guess', value: 6 }, 'result');
    await ada.next('progress');
    const events = ada.received.filter((m) => m.type !== 'welcome');
    assert.deepEqual(events.map((m) => (m as { seq?: number }).seq), events.map((_, i) => i + 1), 'every event numbered, no gap');
    const replies = bob.received.filter((m) => m.type === 'welcome' || m.type === 'error');
    assert.ok(replies.every((m) => !('seq' in m)), 'replies carry no seq');

    ada.tcp.socket.resetAndDestroy();
    await bob.next('presence');
    const seen = 3;
    const again = await connect();
    again.send({ type: 'resume', token: ada.token, seq: seen });
    const welcome = await again.next('welcome');
    assert.equal(welcome.missed, events.length - seen);
    const replayed = [];
    for (let i = 0; i < events.length - seen; i++) replayed.push(await again.nextAny());
    assert.deepEqual(replayed, events.slice(seen), 'everything after seq 3, exactly as first sent');
    assert.equal((await again.nextAny()).type, 'room');
    const next = await again.ask({ type: 'guess', value: 7 }, 'result');
    assert.equal((next as { seq?: number }).seq, events.length + 1, 'the numbering goes on');
  });

  it(`replays the last ${MAX_MISSED} events to a client that was away for more`, async () => {
    const ada = await hello('Ada');
    const bob = await hello('Bob');
    const { code } = await ada.ask({ type: 'create', mode: 'race', min: 1, max: 1_000_000 }, 'room');
    await bob.ask({ type: 'join', code }, 'room');
    ada.send({ type: 'start' });
    await bob.next('round_start');
    bob.tcp.socket.resetAndDestroy();
    // Bob's drop noticed (Ada also heard him join): every guess from now on is one he misses.
    while ((await ada.next('presence')).event !== 'dropped');
    const guesses = MAX_MISSED + 300;
    for (let i = 0; i < guesses; i++) ada.send({ type: 'guess', value: 1 });
    for (let i = 0; i < guesses; i++) await ada.next('result');
    const again = await connect();
    again.send({ type: 'resume', token: bob.token });
    const welcome = await again.next('welcome');
    assert.equal(welcome.missed, MAX_MISSED);
    const first = await again.nextAny();
    assert.ok(first.type === 'progress');
    assert.equal(first.attempts, guesses - MAX_MISSED + 1, 'the oldest went');
  });

  it('takes the seat over when resume arrives before the server noticed the reset', async () => {
    const { ada, bob, code } = await raceOfTwo();
    await ada.ask({ type: 'guess', value: 1 }, 'result');
    const oldPort = ada.tcp.socket.localPort;
    const again = await connect();
    ada.tcp.socket.resetAndDestroy();
    again.send({ type: 'resume', token: ada.token });
    const welcome = await again.next('welcome');
    assert.equal(welcome.resumed, true);
    assert.equal((await again.next('room')).history.length, 1);
    // Once the server has seen the old connection close, the seat must still be the new one's.
    await server().waitFor(new RegExp(`"peer":"127\\.0\\.0\\.1:${oldPort}"[^\\n]*"msg":"Disconnected"|"msg":"Disconnected"[^\\n]*"peer":"127\\.0\\.0\\.1:${oldPort}"`));
    const watcher = await hello('Watcher');
    const seen = await watcher.ask({ type: 'join', code, as: 'spectator' }, 'room');
    assert.equal(seen.players.find((p) => p.id === ada.player)?.connected, true);
    assert.equal((await again.ask({ type: 'guess', value: 2 }, 'result')).attempts, 2);
    assert.ok(!bob.received.some((m) => m.type === 'presence' && m.event === 'left'));
  });
});

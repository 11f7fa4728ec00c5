import assert from 'node:assert/strict';
import { once } from 'node:events';
import { before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { JsonClient, opens, type Message } from './helpers/json-client.js';
import { clusterFixture } from './helpers/cluster.js';
import type { RunningServer } from './helpers/server.js';

/** Every event to a player carries its own number: the same event to two players differs only there. */
function seqOf(message: object): number {
  return (message as { seq: number }).seq;
}

function withoutSeq(message: object): object {
  const rest: Record<string, unknown> = { ...message };
  delete rest.seq;
  return rest;
}

/** A browser's connection, without the browser: JSON messages over the game's WebSocket. */
async function webSocketPlayer(port: number): Promise<{ send(message: object): void; next(type: string): Promise<Message>; close(): void }> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  const received: Message[] = [];
  let wake: (() => void) | undefined;
  socket.on('message', (data: Buffer) => {
    received.push(JSON.parse(data.toString()) as Message);
    wake?.();
  });
  await once(socket, 'open');
  return {
    send: (message) => socket.send(JSON.stringify(message)),
    async next(type) {
      for (;;) {
        const at = received.findIndex((message) => message.type === type);
        if (at >= 0) return received.splice(0, at + 1)[at] as Message;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    close: () => socket.close(),
  };
}

describe('a room on one server, played from another (--redis)', { timeout: 120_000 }, () => {
  const cluster = clusterFixture();
  const { players, hello } = cluster;
  let a: RunningServer;
  let b: RunningServer;
  const serve = (): Promise<RunningServer> => cluster.serve(1000);

  async function resume(server: RunningServer, token: string, seq?: number): Promise<JsonClient> {
    const player = await JsonClient.connect(server.port);
    players.push(player);
    player.send({ type: 'resume', token, ...(seq === undefined ? {} : { seq }) });
    return player;
  }

  before(async () => {
    a = await serve();
    b = await serve();
  });

  it('lets a player on another server join, race and see the same round end, under the id its welcome gave', async () => {
    const ada = await hello(a, 'Ada');
    const { code } = await ada.ask({ type: 'create', mode: 'race' }, 'room');
    const bob = await hello(b, 'Bob');
    const room = await bob.ask({ type: 'join', code }, 'room');
    assert.equal(room.code, code);
    assert.equal(room.you, bob.player, 'the room names Bob by the id his own server gave him');
    assert.deepEqual(room.players.map((p) => p.name).sort(), ['Ada', 'Bob']);
    assert.notEqual(bob.player, ada.player);
    assert.match(bob.player, /^p\d+\.[\w-]+$/, 'in a cluster an id names the server that gave it');
    await ada.next('presence');
    // A spectator in a browser, connected to B too.
    const carl = await webSocketPlayer(b.port);
    carl.send({ type: 'hello', name: 'Carl' });
    await carl.next('welcome');
    carl.send({ type: 'join', code, as: 'spectator' });
    const seen = await carl.next('room');
    assert.equal(seen.type === 'room' && seen.role, 'spectator');

    ada.send({ type: 'start' });
    const [startA, startB] = await Promise.all([ada.next('round_start'), bob.next('round_start')]);
    assert.equal(startB.commitment, startA.commitment);
    const [endA, endB] = await Promise.all([ada.binarySearch(1, 1000), bob.binarySearch(1, 1000)]);
    assert.deepEqual(withoutSeq(endB), withoutSeq(endA));
    assert.deepEqual(withoutSeq(await carl.next('round_end')), withoutSeq(endA));
    carl.close();
    assert.ok(opens(startA.commitment, endB), 'the round end Bob sees opens the commitment he saw');
    assert.ok(endA.winner !== null && [ada.player, bob.player].includes(endA.winner.id));

    // B's operator sees what it carried, and how long a relayed message waited for its reply.
    const metrics = await (await fetch(`http://127.0.0.1:${b.port}/metrics`)).text();
    const value = (series: string): number => Number(new RegExp(`^${series.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(metrics)?.[1]);
    assert.ok(value('guess_relay_messages_total{direction="to_owner"}') >= 4, 'hello aside, Bob and Carl sent at least their joins and guesses');
    assert.ok(value('guess_relay_messages_total{direction="from_owner"}') >= 4);
    const trips = value('guess_relay_round_trips_total');
    assert.ok(trips >= 2);
    assert.ok(value('guess_relay_round_trip_seconds_total') > 0);
    assert.ok(!metrics.includes(code), 'no room code in a label');
  });

  it('resumes a player on whichever server it comes back to, in the same round, attempts counted on', async () => {
    const ada = await hello(a, 'Ada');
    const { code } = await ada.ask({ type: 'create', mode: 'race' }, 'room');
    const bob = await hello(b, 'Bob');
    // A game on his own server first: the events from Ada's server number on from its last.
    await bob.ask({ type: 'create', mode: 'solo' }, 'room');
    const solo = await bob.ask({ type: 'guess', value: 1 }, 'result');
    await bob.ask({ type: 'leave' }, 'left');
    const joined = await bob.ask({ type: 'join', code }, 'room');
    ada.send({ type: 'start' });
    const start = await bob.next('round_start');
    assert.ok(seqOf(start) > seqOf(solo), `round_start numbered ${seqOf(start)} after ${seqOf(solo)} on Bob's own server`);
    assert.equal(joined.code, code);
    const first = await bob.ask({ type: 'guess', value: 1 }, 'result');
    const seen = seqOf(first);

    // Bob's connection was to B, his seat is on A: he comes back through A, then Ada through B.
    bob.close();
    await ada.next('presence');
    const bobAgain = await resume(a, bob.token, seen);
    const welcome = await bobAgain.next('welcome');
    assert.equal(welcome.player, bob.player);
    const snapshot = await bobAgain.next('room');
    assert.equal(snapshot.code, code);
    assert.equal(snapshot.commitment, start.commitment);
    const second = await bobAgain.ask({ type: 'guess', value: 2 }, 'result');
    assert.equal(second.attempts, first.attempts + 1);
    assert.ok(seqOf(second) > seen, 'numbered on from what the player saw on the other server');

    ada.close();
    const adaAgain = await resume(b, ada.token);
    assert.equal((await adaAgain.next('welcome')).player, ada.player);
    assert.equal((await adaAgain.next('room')).code, code);
    const end = await adaAgain.binarySearch(1, 1000);
    assert.ok(opens(start.commitment, end));
  });

  it('refuses a code and a token no server holds as one server does, and reads what came after the refusal', async () => {
    const carol = await hello(b, 'Carol');
    // Sent together: the create waits for the refusal of the join, then is played here.
    carol.send({ type: 'join', code: 'ZZZZ' });
    carol.send({ type: 'create', mode: 'solo' });
    const refusal = await carol.next('error');
    assert.equal(refusal.code, 'E_UNKNOWN_ROOM');
    assert.equal((await carol.next('room')).mode, 'solo');
    assert.equal(carol.received.findIndex((m) => m.type === 'error') < carol.received.findIndex((m) => m.type === 'room'), true);

    const stranger = await resume(a, 'not-a-token-anyone-has');
    assert.equal((await stranger.next('error')).code, 'E_UNKNOWN_TOKEN');
  });

  it('drops the seats of players whose own server died once its lease lapses, so the room sees them gone', async () => {
    const ada = await hello(a, 'Ada');
    const { code } = await ada.ask({ type: 'create', mode: 'race' }, 'room');
    const c = await serve();
    const bob = await hello(c, 'Bob');
    await bob.ask({ type: 'join', code }, 'room');
    assert.equal((await ada.next('presence')).event, 'joined');
    const died = once(c.child, 'close');
    c.child.kill('SIGKILL');
    await died;
    // Nothing happens in the room: only the lapsed lease can tell Ada's server.
    const dropped = await ada.next('presence');
    assert.equal(dropped.event, 'dropped');
    assert.equal(dropped.player, bob.player);
  });

  it('tells a player whose room was on a server that died, and ends its connection instead of leaving it hanging', async () => {
    const c = await serve();
    const ada = await hello(c, 'Ada');
    const { code } = await ada.ask({ type: 'create', mode: 'race' }, 'room');
    const bob = await hello(b, 'Bob');
    await bob.ask({ type: 'join', code }, 'room');
    const cy = await hello(b, 'Cy');
    await cy.ask({ type: 'join', code }, 'room');
    const died = once(c.child, 'close');
    c.child.kill('SIGKILL');
    await died;
    // Bob speaks, and hears at once that nobody answers; Cy, who says nothing, hears it once the lease lapses.
    bob.send({ type: 'start' });
    assert.equal((await bob.next('error')).code, 'E_CLUSTER_UNAVAILABLE');
    await bob.tcp.closed();
    assert.equal((await cy.next('error')).code, 'E_CLUSTER_UNAVAILABLE');
    await cy.tcp.closed();
  });
});

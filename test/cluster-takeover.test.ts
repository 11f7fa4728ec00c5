import assert from 'node:assert/strict';
import { once } from 'node:events';
import { afterEach, describe, it } from 'node:test';
import { createClient } from '@redis/client';
import { JsonClient, opens } from './helpers/json-client.js';
import { clusterFixture } from './helpers/cluster.js';
import type { RunningServer } from './helpers/server.js';

// A million numbers: a first guess of 1 wins once in a million runs, not once in a hundred.
const MAX = 1_000_000;

describe('a server that dies, and the server that takes its rooms over (--redis)', { timeout: 180_000 }, () => {
  const cluster = clusterFixture();
  const { players, servers, hello } = cluster;
  const serve = (): Promise<RunningServer> => cluster.serve(MAX);

  // Each test starts from an empty cluster, so that the rooms a server takes over are this test's.
  afterEach(async () => {
    for (const player of players.splice(0)) player.close();
    await Promise.all(servers.splice(0).map((server) => server.stop()));
    const redis = createClient({ url: cluster.redis.url });
    await redis.connect();
    await redis.flushAll();
    await redis.close();
  });

  async function resume(server: RunningServer, token: string): Promise<{ player: JsonClient; room: Awaited<ReturnType<JsonClient['next']>> }> {
    const player = await JsonClient.connect(server.port);
    players.push(player);
    const room = await player.ask({ type: 'resume', token }, 'room');
    return { player, room };
  }

  /** A race room on `owner`, Ada there and Bob joined from `edge`, the round started and one guess each made. */
  async function raceUnderWay(owner: RunningServer, edge: RunningServer) {
    const ada = await hello(owner, 'Ada');
    const { code } = await ada.ask({ type: 'create', mode: 'race' }, 'room');
    const bob = await hello(edge, 'Bob');
    await bob.ask({ type: 'join', code }, 'room');
    ada.send({ type: 'start' });
    const [start] = await Promise.all([ada.next('round_start'), bob.next('round_start')]);
    for (const player of [ada, bob]) assert.equal((await player.ask({ type: 'guess', value: 1 }, 'result')).attempts, 1);
    return { ada, bob, code, start };
  }

  async function metric(server: RunningServer, name: string): Promise<number> {
    const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
    return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
  }

  it('gives a killed server\u2019s room back within 10 s to a player who resumes on another, same round, attempts counted on', async () => {
    const a = await serve();
    const b = await serve();
    const { ada, bob, code, start } = await raceUnderWay(a, b);
    const died = once(a.child, 'close');
    a.child.kill('SIGKILL');
    await died;
    ada.close();

    const asked = Date.now();
    const back = await resume(b, ada.token);
    assert.ok(Date.now() - asked < 10_000, `the room came back after ${Date.now() - asked} ms`);
    assert.equal(back.room.type === 'room' && back.room.code, code);
    assert.equal((await back.player.ask({ type: 'guess', value: 2 }, 'result')).attempts, 2, 'the guess made before the kill still counts');
    // Bob's connection went through A: it hears A is gone, and he resumes too.
    assert.equal((await bob.next('error')).code, 'E_CLUSTER_UNAVAILABLE');
    const bobBack = await resume(b, bob.token);
    const [endAda, endBob] = await Promise.all([back.player.binarySearch(1, MAX), bobBack.player.binarySearch(1, MAX)]);
    assert.ok(opens(start.commitment, endAda), 'the round end opens the commitment made before the kill');
    assert.ok(opens(start.commitment, endBob));
    assert.equal(await metric(b, 'guess_lease_takeovers_total'), 1);
    assert.equal(await metric(b, 'guess_rooms_taken_over_total'), 1);
    const redis = createClient({ url: cluster.redis.url });
    await redis.connect();
    try {
      assert.equal(await redis.hGet('guess:rooms', code), await serverId(b), 'the code is the new owner\u2019s');
    } finally {
      await redis.close();
    }
  });

  it('answers a resume and a join sent the moment the room\u2019s server is killed, once the room has come over', async () => {
    const a = await serve();
    const b = await serve();
    const ada = await hello(a, 'Ada');
    const { code } = await ada.ask({ type: 'create', mode: 'race' }, 'room');
    const bob = await hello(b, 'Bob');
    // No pause after the kill: the lookups may still find A listening, and what they send it is lost.
    a.child.kill('SIGKILL');
    const asked = Date.now();
    const back = await JsonClient.connect(b.port);
    players.push(back);
    back.send({ type: 'resume', token: ada.token });
    bob.send({ type: 'join', code });
    const [adaRoom, bobRoom] = await Promise.all([back.next('room'), bob.next('room')]);
    assert.ok(Date.now() - asked < 10_000, `the room came back after ${Date.now() - asked} ms`);
    assert.equal(adaRoom.code, code);
    assert.equal(bobRoom.code, code);
    assert.deepEqual(bobRoom.players.map((p) => p.name).sort(), ['Ada', 'Bob']);
  });

  it('plays pick across servers, the picker on either one, and goes on with a pick under way after its server is killed', async () => {
    const a = await serve();
    const b = await serve();
    const ada = await hello(a, 'Ada');
    const { code } = await ada.ask({ type: 'create', mode: 'pick', min: 1, max: 100 }, 'room');
    const bob = await hello(b, 'Bob');
    await bob.ask({ type: 'join', code }, 'room');
    // Round 1 Ada picks on her own server; round 2 Bob picks through his.
    for (const round of [1, 2]) {
      bob.send({ type: 'start' });
      const picking = await Promise.all([ada.next('picking'), bob.next('picking')]);
      const [picker, guesser] = picking[0].picker === ada.player ? [ada, bob] : [bob, ada];
      assert.equal(picker, round === 1 ? ada : bob);
      assert.equal((await picker.ask({ type: 'pick', value: 40 + round }, 'picked')).value, 40 + round);
      const start = await guesser.next('round_start');
      const end = await guesser.binarySearch(1, 100);
      assert.equal(end.secret, 40 + round);
      assert.ok(opens(start.commitment, end));
      assert.ok(opens(start.commitment, await picker.next('round_end')));
    }
    // Round 3: Ada is to pick when her server dies; she picks on B once it has the room.
    bob.send({ type: 'start' });
    assert.equal((await ada.next('picking')).picker, ada.player);
    await bob.next('picking');
    const died = once(a.child, 'close');
    a.child.kill('SIGKILL');
    await died;
    ada.close();
    const adaBack = await resume(b, ada.token);
    assert.equal(adaBack.room.type === 'room' && adaBack.room.state, 'picking');
    assert.equal((await adaBack.player.ask({ type: 'pick', value: 77 }, 'picked')).value, 77);
    assert.equal((await bob.next('error')).code, 'E_CLUSTER_UNAVAILABLE');
    const bobBack = await resume(b, bob.token);
    const end = await bobBack.player.binarySearch(1, 100);
    assert.equal(end.secret, 77);
    assert.equal(end.round, 3);
  });

  it('fences out an owner paused past its lease: woken, it writes nothing and stops, and its room goes on where it was taken', async () => {
    const a = await serve();
    const b = await serve();
    const { ada, bob, start } = await raceUnderWay(a, a);
    const from = b.output().length;
    a.child.kill('SIGSTOP');
    try {
      await b.waitFor(/Took over 1 room of server/, from);
    } finally {
      a.child.kill('SIGCONT');
    }
    // Woken, A hears Bob's guess: it must not answer it, for the room is B's now.
    const exited = once(a.child, 'exit').then(([code]) => `exited with ${String(code)}`);
    bob.send({ type: 'guess', value: 3 });
    // Should A answer, the test fails then and there, not by its timeout.
    const answered = bob.next('result').then(
      (result) => `answered the guess (attempts ${String(result.attempts)})`,
      // The connection closes as A exits: that is A's exit to report.
      () => exited,
    );
    assert.equal(await Promise.race([exited, answered]), 'exited with 1');
    assert.match(a.output(), /took this server's rooms over while it did not answer/);
    assert.ok(!bob.received.some((m) => m.type === 'result' && m.value === 3), 'A answered a guess it could not write');
    ada.close();
    bob.close();

    const adaBack = await resume(b, ada.token);
    const bobBack = await resume(b, bob.token);
    assert.equal((await bobBack.player.ask({ type: 'guess', value: 4 }, 'result')).attempts, 2, 'the guess A could not write did not count');
    const [end] = await Promise.all([adaBack.player.binarySearch(1, MAX), bobBack.player.binarySearch(1, MAX)]);
    assert.ok(opens(start.commitment, end));
  });

  it('hands a drained server\u2019s rooms over at once, not after its lease', async () => {
    const a = await serve();
    const b = await serve();
    const { ada, start } = await raceUnderWay(a, b);
    const aId = await serverId(a);
    const from = b.output().length;
    await a.stop();
    const redis = createClient({ url: cluster.redis.url });
    await redis.connect();
    try {
      assert.equal(await redis.exists(`guess:server:${aId}`), 0, 'the drained server ended its lease rather than let it run out');
    } finally {
      await redis.close();
    }
    assert.equal(typeof (await ada.next('shutdown')).token, 'string', 'the drain said goodbye, with the token to resume');
    await b.waitFor(/Took over 1 room of server/, from);
    const back = await resume(b, ada.token);
    assert.equal((await back.player.ask({ type: 'guess', value: 2 }, 'result')).attempts, 2);
    assert.ok(opens(start.commitment, await back.player.binarySearch(1, MAX)));
  });

  it('rides through a Redis restarted empty mid-game: the room plays on meanwhile, and is written again whole', async () => {
    const a = await serve();
    const b = await serve();
    const { ada, bob, start } = await raceUnderWay(a, b);
    const marks = [a.output().length, b.output().length];
    await cluster.redis.stop();
    await Promise.all([a.waitFor(/does not answer/, marks[0]), b.waitFor(/does not answer/, marks[1])]);
    // Ada's connection is to the room's server: her room plays on while Redis is away.
    assert.equal((await ada.ask({ type: 'guess', value: 2 }, 'result')).attempts, 2);
    const back = [a.output().length, b.output().length];
    await cluster.redis.start();
    await Promise.all([a.waitFor(/answers: new rooms are open/, back[0]), b.waitFor(/answers: new rooms are open/, back[1])]);
    assert.equal((await ada.ask({ type: 'guess', value: 3 }, 'result')).attempts, 3);
    // Bob's connection is to B: what A sent him while Redis was away is lost, so his connection
    // ends at his next message, and he resumes with the events he missed.
    bob.send({ type: 'guess', value: 2 });
    assert.equal((await bob.next('error')).code, 'E_CLUSTER_UNAVAILABLE');
    const bobBack = await resume(b, bob.token);
    assert.equal((await bobBack.player.ask({ type: 'guess', value: 2 }, 'result')).attempts, 2, 'the relay between the servers is back too');
    // What Redis forgot, and what was played without it, was written again: a kill now loses none of it.
    const died = once(a.child, 'close');
    a.child.kill('SIGKILL');
    await died;
    ada.close();
    const adaBack = await resume(b, ada.token);
    assert.equal((await adaBack.player.ask({ type: 'guess', value: 4 }, 'result')).attempts, 4);
    assert.ok(opens(start.commitment, await adaBack.player.binarySearch(1, MAX)));
  });
});

/** A server's id in the cluster, as its players' ids end. */
async function serverId(server: RunningServer): Promise<string> {
  const probe = await JsonClient.hello(server.port, 'Probe');
  probe.close();
  return probe.player.slice(probe.player.indexOf('.') + 1);
}

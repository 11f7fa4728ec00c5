import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClient } from '@redis/client';
import fc from 'fast-check';
import { RedisStore } from '../src/store/redis-store.js';
import { startRedis, type RunningRedis } from './helpers/redis.js';

const CODES = ['AAAAA', 'BBBBB', 'CCCCC'];
const PLAYERS = ['p1.x', 'p2.x', 'p3.x'];

/** One step of a server's store: a write, a turn's commit, or something done to Redis meanwhile. */
type Step =
  | { readonly op: 'put'; readonly code: number; readonly record: string }
  | { readonly op: 'delete'; readonly code: number }
  | { readonly op: 'journal'; readonly body: string }
  | { readonly op: 'dropJournal'; readonly back: number }
  | { readonly op: 'events'; readonly player: number; readonly body: string }
  | { readonly op: 'prune'; readonly player: number; readonly back: number }
  | { readonly op: 'forget'; readonly player: number }
  | { readonly op: 'meta'; readonly value: string }
  | { readonly op: 'commit'; readonly wait: boolean }
  | { readonly op: 'kill' }
  | { readonly op: 'flush' }
  | { readonly op: 'forgetScripts' };

const text = fc.string({ minLength: 1, maxLength: 12 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('put' as const), code: fc.nat(CODES.length - 1), record: text }),
  fc.record({ op: fc.constant('delete' as const), code: fc.nat(CODES.length - 1) }),
  fc.record({ op: fc.constant('journal' as const), body: text }),
  fc.record({ op: fc.constant('dropJournal' as const), back: fc.nat(3) }),
  fc.record({ op: fc.constant('events' as const), player: fc.nat(PLAYERS.length - 1), body: text }),
  fc.record({ op: fc.constant('prune' as const), player: fc.nat(PLAYERS.length - 1), back: fc.nat(3) }),
  fc.record({ op: fc.constant('forget' as const), player: fc.nat(PLAYERS.length - 1) }),
  fc.record({ op: fc.constant('meta' as const), value: text }),
  // A turn's commit, then (`wait`) the next turn only once Redis has answered it, else at once.
  fc.record({ op: fc.constant('commit' as const), wait: fc.boolean() }),
  fc.record({ op: fc.constant('commit' as const), wait: fc.boolean() }),
  fc.constant({ op: 'kill' as const }),
  fc.constant({ op: 'flush' as const }),
  fc.constant({ op: 'forgetScripts' as const }),
);

describe('the store of a server of a cluster, in Redis', { timeout: 300_000 }, () => {
  let redis: RunningRedis;
  let admin: ReturnType<typeof createClient>;

  before(async () => {
    redis = await startRedis();
    admin = createClient({ url: redis.url });
    await admin.connect();
  });

  after(async () => {
    await admin.close();
    await redis.stop();
  });

  /** What Redis holds of the world: what another server taking it over would read. */
  async function inRedis(server: string) {
    const key = `guess:world:${server}`;
    const players = (await admin.sMembers(`${key}:players`)).sort();
    const events: Record<string, string[]> = {};
    for (const player of players) {
      // Each row is `SEQ BODY`, in the order of SEQ: the bodies in that order are what a resume replays.
      const rows = await admin.zRange(`${key}:ev:${player}`, 0, -1);
      if (rows.length > 0) events[player] = rows.map((row) => row.slice(row.indexOf(' ') + 1));
    }
    return { rooms: await admin.hGetAll(`${key}:rooms`), journal: await admin.zRange(`${key}:journal`, 0, -1), meta: await admin.hGetAll(`${key}:meta`), events };
  }

  /** The same, from the store's memory. */
  function inMemory(store: RedisStore) {
    const world = store.load();
    const events: Record<string, string[]> = {};
    for (const player of PLAYERS) {
      const rows = store.eventsAfter(player, 0);
      if (rows.length > 0) events[player] = rows;
    }
    return {
      rooms: Object.fromEntries(world.rooms.map((r) => [r.code, `${r.savedAt} ${r.applied} ${r.record}`])),
      journal: world.journal.map((row) => `${row.id} ${row.body}`),
      meta: Object.fromEntries(world.meta),
      events,
    };
  }

  it('holds in Redis what it holds in memory once settled, whatever connections Redis drops and whatever data or scripts it forgets meanwhile', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        const store = new RedisStore(redis.url);
        const failures: Error[] = [];
        const commit = (): Promise<void> =>
          new Promise((resolve) =>
            store.commit((error) => {
              if (error !== undefined) failures.push(error);
              resolve();
            }),
          );
        let journal = 0;
        const seqs = PLAYERS.map(() => 0);
        try {
          // Connected, its world written: what follows is met by a Redis that answers.
          await store.settled();
          for (const s of steps) {
            switch (s.op) {
              case 'put':
                store.putRoom(CODES[s.code] as string, s.record, 1_000 + journal, journal);
                break;
              case 'delete':
                store.deleteRoom(CODES[s.code] as string);
                break;
              case 'journal':
                journal = store.appendJournal(s.body);
                break;
              case 'dropJournal':
                store.dropJournal(journal - s.back);
                break;
              case 'events':
                seqs[s.player] = (seqs[s.player] ?? 0) + 2;
                store.appendEvents(PLAYERS[s.player] as string, seqs[s.player] as number, s.body);
                break;
              case 'prune':
                store.pruneEvents(PLAYERS[s.player] as string, (seqs[s.player] ?? 0) - 2 * s.back);
                break;
              case 'forget':
                store.forgetPlayer(PLAYERS[s.player] as string);
                break;
              case 'meta':
                store.setMeta('counters', s.value);
                break;
              case 'commit': {
                const done = commit();
                if (s.wait) await done;
                else await new Promise((resolve) => setImmediate(resolve));
                break;
              }
              case 'kill':
                await admin.sendCommand(['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes']);
                break;
              case 'flush':
                await admin.flushAll();
                break;
              case 'forgetScripts':
                await admin.sendCommand(['SCRIPT', 'FLUSH']);
                break;
            }
          }
          void commit();
          await store.settled();
          assert.deepEqual(failures, []);
          assert.deepEqual(await inRedis(store.server), inMemory(store));
        } finally {
          store.close();
        }
      }),
      { numRuns: 40, seed: 20261130 },
    );
  });

  it('commits with the script itself where Redis will not load scripts', async () => {
    await admin.sendCommand(['SCRIPT', 'FLUSH']);
    await admin.sendCommand(['ACL', 'SETUSER', 'default', '-script|load']);
    const store = new RedisStore(redis.url);
    try {
      await store.settled();
      const noscripts = async (): Promise<number> => Number(/errorstat_NOSCRIPT:count=(\d+)/.exec(await admin.info('errorstats'))?.[1] ?? 0);
      const counts: number[] = [];
      for (const record of ['first', 'second', 'third']) {
        store.putRoom('AAAAA', record, 1, 0);
        const error = await new Promise<Error | undefined>((resolve) => store.commit((e) => resolve(e)));
        assert.equal(error, undefined);
        await store.settled();
        assert.equal(await admin.hGet(`guess:world:${store.server}:rooms`, 'AAAAA'), `1 0 ${record}`);
        counts.push(await noscripts());
      }
      // Refused once, then never asked by SHA1 again (rather than writing the world whole at every commit).
      assert.equal(counts[2], counts[0]);
    } finally {
      store.close();
      await admin.sendCommand(['ACL', 'SETUSER', 'default', '+script|load']);
    }
  });

  it('refuses to write a world another server has claimed, and says so to every commit', async () => {
    const first = new RedisStore(redis.url);
    const second = new RedisStore(redis.url);
    try {
      await second.settled();
      first.putRoom('AAAAA', 'record', 1, 0);
      first.commit(() => undefined);
      await first.settled();
      // Its lease (written with its world) ended: as if it had been paused past it.
      await admin.del(`guess:server:${first.server}`);
      const taken = await second.claim(first.server);
      assert.ok(typeof taken !== 'string');
      assert.deepEqual(taken.rooms.map((r) => [r.code, r.record]), [['AAAAA', 'record']]);
      assert.equal(await admin.hGet(`guess:world:${first.server}`, 'epoch'), '2');
      first.putRoom('AAAAA', 'written by the old owner', 2, 0);
      const refused = await new Promise<Error | undefined>((resolve) => first.commit((error) => resolve(error)));
      assert.match(refused?.message ?? '', /took this server's rooms over/);
      assert.equal(await admin.hGet(`guess:world:${first.server}:rooms`, 'AAAAA'), '1 0 record');
      // Another server finds it taken by a live one.
      await admin.set(`guess:server:${second.server}`, '1', { PX: 5_000 });
      const third = new RedisStore(redis.url);
      try {
        // Connected, and its own world written.
        await third.settled();
        assert.equal(await third.claim(first.server), 'held');
      } finally {
        third.close();
      }
    } finally {
      first.close();
      second.close();
    }
  });
});

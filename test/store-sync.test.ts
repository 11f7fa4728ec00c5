import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { describe, it } from 'node:test';
import { seededRandom } from '../src/core/random.js';
import { resolveConfig, type FsyncPolicy } from '../src/server/config.js';
import { Hub } from '../src/server/hub.js';
import { JsonPeer, type TextOut } from '../src/server/json-peer.js';
import { MemoryStore } from '../src/server/memory-store.js';
import { SILENT_LOG } from './helpers/log.js';

/** A store whose disk answers `sync` only when the test says so: the fsync is still running. */
class SlowDiskStore extends MemoryStore {
  readonly events = new EventEmitter();
  readonly #waiting: ((error: Error | undefined) => void)[] = [];

  override sync(done: (error: Error | undefined) => void): void {
    this.#waiting.push(done);
    this.events.emit('sync');
  }

  /** The disk has caught up: every sync asked for so far ends, or only the one at `index` (0: the oldest running). */
  finish(index?: number): void {
    const ending = index === undefined ? this.#waiting.splice(0) : this.#waiting.splice(index, 1);
    for (const done of ending) done(undefined);
  }

  running(): number {
    return this.#waiting.length;
  }
}

function setup(fsync: FsyncPolicy = 'commit'): { store: SlowDiskStore; peer: JsonPeer; types: () => string[]; writes: () => string[][] } {
  const store = new SlowDiskStore();
  const hub = new Hub(resolveConfig({ random: seededRandom(7), log: SILENT_LOG, store, fsync }));
  const sent: string[] = [];
  const out: TextOut = { send: (text) => sent.push(text), end: () => sent.push('end'), hold: () => sent.push('hold'), release: () => sent.push('release') };
  const peer = new JsonPeer(hub, out);
  const typeOf = (text: string): string => (text === 'end' || text === 'hold' || text === 'release' ? text : (JSON.parse(text) as { type: string }).type);
  return {
    store,
    peer,
    types: () => sent.filter((text) => text !== 'hold' && text !== 'release').map(typeOf),
    writes: () => writesOf(sent.map(typeOf)),
  };
}

/** The connection's writes: what is sent between a hold and its release is one, anything else one each. */
function writesOf(calls: readonly string[]): string[][] {
  const writes: string[][] = [];
  let held: string[] | undefined;
  for (const call of calls) {
    if (call === 'hold') held = [];
    else if (call === 'release') {
      if (held !== undefined && held.length > 0) writes.push(held);
      held = undefined;
    } else if (held !== undefined) held.push(call);
    else writes.push([call]);
  }
  return writes;
}

describe('replies wait for the disk (fsync commit)', () => {
  it('holds a change\u2019s replies until the store reports its commit on disk, and what follows behind them', async () => {
    const { store, peer, types } = setup();
    peer.receive('{"type":"hello","v":1,"name":"Ada"}');
    assert.deepEqual(types(), ['welcome'], 'a hello changes no room: answered at once');
    peer.receive('{"type":"create","mode":"solo","min":1,"max":100}');
    await once(store.events, 'sync');
    assert.deepEqual(types(), ['welcome'], 'committed, not yet on disk: nothing said');
    // Changes nothing, so needs nothing on disk, but must not overtake the replies before it.
    peer.receive('{"type":"nope"}');
    assert.deepEqual(types(), ['welcome']);
    store.finish();
    assert.deepEqual(types(), ['welcome', 'room', 'round_start', 'error']);

    peer.receive('{"type":"guess","value":50}');
    await once(store.events, 'sync');
    assert.deepEqual(types().slice(4), []);
    store.finish();
    assert.deepEqual(types().slice(4), ['result']);
  });

  it('goes on serving while a sync runs: the next commit has a sync of its own, and the one that ends first lets out what it covers', async () => {
    const { store, peer, types } = setup();
    peer.receive('{"type":"hello","v":1,"name":"Ada"}');
    peer.receive('{"type":"create","mode":"solo","min":1,"max":100}');
    await once(store.events, 'sync');
    store.finish();
    peer.receive('{"type":"guess","value":50}');
    await once(store.events, 'sync');
    peer.receive('{"type":"guess","value":25}');
    // The turn ends (the hub's setImmediate was queued first): the second guess is committed and
    // its sync starts while the first one runs.
    await once(store.events, 'sync');
    assert.equal(store.running(), 2);
    assert.deepEqual(types(), ['welcome', 'room', 'round_start']);
    store.finish(1);
    assert.deepEqual(types(), ['welcome', 'room', 'round_start', 'result', 'result'], 'the later sync covers both guesses, in order');
    store.finish(0);
    assert.deepEqual(types(), ['welcome', 'room', 'round_start', 'result', 'result'], 'the earlier one, ending last, lets out nothing twice');
  });

  it('runs at most three syncs at once; the fourth commit waits for one to end', async () => {
    const { store, peer, types } = setup();
    peer.receive('{"type":"hello","v":1,"name":"Ada"}');
    peer.receive('{"type":"create","mode":"solo","min":1,"max":1000000}');
    await once(store.events, 'sync');
    store.finish();
    for (const value of [1, 2, 3, 4]) {
      peer.receive(`{"type":"guess","value":${value}}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(store.running(), 3);
    store.finish(0);
    assert.equal(types().filter((type) => type === 'result').length, 1, 'the first sync covers the first guess');
    assert.equal(store.running(), 3, 'its end starts one for the fourth');
    store.finish();
    store.finish();
    assert.equal(types().filter((type) => type === 'result').length, 4);
  });
});

describe('replies wait for the commit only (fsync second, the default)', () => {
  it('lets a change\u2019s replies go at its commit, and flushes the log to the disk within a second', async (t) => {
    // The flush's timer is the server's clock, not the test's: moved by hand, not waited for.
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const { store, peer, types } = setup('second');
    peer.receive('{"type":"hello","v":1,"name":"Ada"}');
    peer.receive('{"type":"create","mode":"solo","min":1,"max":100}');
    assert.deepEqual(types(), ['welcome'], 'held until the turn commits');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(types(), ['welcome', 'room', 'round_start'], 'committed: said, no sync asked for yet');
    assert.equal(store.running(), 0);
    peer.receive('{"type":"guess","value":50}');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(types().slice(3), ['result']);
    // One flush for both commits, a second after the first of them.
    t.mock.timers.tick(999);
    assert.equal(store.running(), 0);
    t.mock.timers.tick(1);
    assert.equal(store.running(), 1);
    store.finish();
  });

  it('is the default', () => {
    assert.equal(resolveConfig({ random: seededRandom(1), log: SILENT_LOG }).fsync, 'second');
  });
});

describe('the messages a commit lets go', () => {
  for (const fsync of ['second', 'commit'] as const) {
    it(`leave each connection in one write: a win's result, round_end and round_start together (fsync ${fsync})`, async () => {
      const { store, peer, types, writes } = setup(fsync);
      const settle = async (): Promise<void> => {
        await new Promise((resolve) => setImmediate(resolve));
        store.finish();
      };
      peer.receive('{"type":"hello","v":1,"name":"Ada"}');
      peer.receive('{"type":"create","mode":"solo","min":1,"max":2}');
      await settle();
      peer.receive('{"type":"guess","value":1}');
      await settle();
      if (!types().includes('round_end')) {
        peer.receive('{"type":"guess","value":2}');
        await settle();
      }
      assert.deepEqual(writes().at(-1), ['result', 'round_end', 'round_start'], JSON.stringify(writes()));
    });
  }
});

/** A store whose commits are reported only when the test says so, as one across a network would be. */
class SlowCommitStore extends MemoryStore {
  readonly #waiting: ((error: Error | undefined, nanos: number) => void)[] = [];

  override commit(done: (error: Error | undefined, nanos: number) => void): void {
    this.#waiting.push(done);
  }

  /** Reports the oldest commit not yet reported. */
  report(): void {
    this.#waiting.shift()?.(undefined, 1000);
  }

  waiting(): number {
    return this.#waiting.length;
  }

  syncs = 0;

  override sync(done: (error: Error | undefined) => void): void {
    this.syncs++;
    done(undefined);
  }
}

describe('a store that reports its commits later', () => {
  it('holds each turn\u2019s replies until its commit is reported, in order, and a stop lets out what was asked, once', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const store = new SlowCommitStore();
    const hub = new Hub(resolveConfig({ random: seededRandom(7), log: SILENT_LOG, store }));
    const sent: string[] = [];
    const peer = new JsonPeer(hub, { send: (text) => sent.push((JSON.parse(text) as { type: string }).type), end: () => sent.push('end'), hold: () => {}, release: () => {} });
    const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
    // The start's own commit (what a restart restores), waited for by syncNow already.
    store.report();
    peer.receive('{"type":"hello","v":1,"name":"Ada"}');
    peer.receive('{"type":"create","mode":"solo","min":1,"max":1000000}');
    await turn();
    assert.deepEqual(sent, ['welcome']);
    store.report();
    assert.deepEqual(sent, ['welcome', 'room', 'round_start']);
    peer.receive('{"type":"guess","value":1}');
    await turn();
    peer.receive('{"type":"guess","value":2}');
    await turn();
    assert.equal(store.waiting(), 2);
    assert.deepEqual(sent.slice(3), [], 'neither commit reported');
    store.report();
    assert.deepEqual(sent.slice(3), ['result'], 'the first one\u2019s reply, not the second\u2019s');
    peer.receive('{"type":"guess","value":3}');
    await turn();
    // Stopping waits for every commit (syncNow) and lets their replies go; the reports that come
    // afterwards release nothing twice.
    hub.close();
    assert.deepEqual(sent.slice(3), ['result', 'result', 'result']);
    const syncs = store.syncs;
    store.report();
    // Nor do they ask for a flush of a store that is closing.
    t.mock.timers.tick(5_000);
    assert.equal(store.syncs, syncs);
    store.report();
    assert.deepEqual(sent.slice(3), ['result', 'result', 'result']);
    assert.equal(hub.stats.commits, 5, 'every report counted, the late ones too');
  });
});

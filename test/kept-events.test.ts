import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { seededRandom } from '../src/core/random.js';
import { packedResult, packEvents, unpackEvents } from '../src/protocol/kept-events.js';
import { encodeServerMessage } from '../src/protocol/messages.js';
import { resolveConfig } from '../src/server/config.js';
import { Hub } from '../src/server/hub.js';
import { JsonPeer } from '../src/server/json-peer.js';
import { openDatabase } from '../src/store/handles.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { tempDir } from './helpers/db-files.js';
import { SILENT_LOG } from './helpers/log.js';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A kept event's text, as the hub makes it: the message, then its number. */
function kept(message: Parameters<typeof encodeServerMessage>[0], seq: number): string {
  return `${encodeServerMessage(message).slice(0, -1)},"seq":${seq}}`;
}

describe('the short form of kept events', () => {
  it('reads back exactly any JSON text, one or more per line', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { minLength: 1, maxLength: 5 }), (values) => {
        const text = values.map((value) => JSON.stringify(value)).join('\n');
        assert.equal(unpackEvents(packEvents(text)), text);
      }),
      { seed: 20261130, numRuns: 500 },
    );
  });

  it('reads back exactly any text without control characters, and leaves text kept before it unchanged', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 200 }).filter((s) => Array.from({ length: s.length }, (_, i) => s.charCodeAt(i)).every((code) => code >= 0x20));
    fc.assert(
      fc.property(text, (s) => {
        assert.equal(unpackEvents(packEvents(s)), s);
        assert.equal(unpackEvents(s), s);
      }),
      { seed: 20261130, numRuns: 500 },
    );
  });

  it('a result made short from its fields is the short form of the text the server sends', () => {
    const sentence = { low: 'Too small!', high: 'Too big!', win: 'Exactly! You win!' } as const;
    fc.assert(
      fc.property(
        fc.maxSafeInteger(),
        fc.constantFrom('low', 'high', 'win' as const),
        fc.nat(),
        fc.nat(),
        (value, outcome, attempts, seq) => {
          const text = kept({ type: 'result', value, outcome, message: sentence[outcome], attempts }, seq);
          assert.equal(packedResult(value, outcome, attempts, seq), packEvents(text));
          assert.equal(unpackEvents(packedResult(value, outcome, attempts, seq)), text);
        },
      ),
      { seed: 20261130, numRuns: 500 },
    );
  });

  it('reads back every outcome of a result, and keeps one in a fifth of its length or less', () => {
    for (const outcome of ['low', 'high', 'win'] as const) {
      const message = { type: 'result', value: 123456, outcome, message: 'x', attempts: 17 } as const;
      const text = kept({ ...message, message: { low: 'Too small!', high: 'Too big!', win: 'Exactly! You win!' }[outcome] }, 4321);
      const packed = packEvents(text);
      assert.equal(unpackEvents(packed), text);
      assert.ok(packed.length * 5 <= text.length, `${packed.length} of ${text.length} characters: ${JSON.stringify(packed)}`);
    }
  });
});

describe('a server keeps its events short and replays them exactly', () => {
  const dir = tempDir();
  after(() => dir.remove());

  it('a solo round in a store file: rows hold no result in full; eventsAfter gives the very texts sent', async () => {
    const path = dir.file('kept.db');
    const store = openSqliteStore(path);
    // Records (and the events waiting for them) rewritten every turn, not a second later.
    const hub = new Hub(resolveConfig({ random: seededRandom(7), log: SILENT_LOG, store, range: { min: 1, max: 100 }, foldAfterMs: 0 }));
    const sent: string[] = [];
    const peer = new JsonPeer(hub, { send: (text) => sent.push(text), end() {}, hold() {}, release() {} });
    peer.receive('{"type":"hello","name":"Ada"}');
    peer.receive('{"type":"create","mode":"solo"}');
    await turn();
    // Every value in turn: one round is won, the next one started.
    for (let value = 1; value <= 100 && !sent.some((text) => text.includes('"round_end"')); value++) {
      peer.receive(`{"type":"guess","value":${value}}`);
      await turn();
    }
    await turn();
    const player = (JSON.parse(sent[0] ?? '{}') as { player: string }).player;
    const numbered = sent.filter((text) => text.includes('"seq":'));
    assert.ok(numbered.filter((text) => text.includes('"type":"result"')).length > 1, 'guesses were answered');
    assert.deepEqual(hub.eventsAfter(player, 0), numbered);
    hub.close();
    store.close();

    const db = openDatabase(path, { readonly: true });
    const bodies = db.prepare<[], string>('select body from events order by seq').pluck().all();
    db.close();
    const all = bodies.join('\n');
    assert.doesNotMatch(all, /"type":"result"/);
    assert.ok(all.length * 2 < numbered.join('\n').length, `kept ${all.length} characters for ${numbered.join('\n').length} sent`);
    assert.deepEqual(unpackEvents(all).split('\n'), numbered);
  });
});

import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { openDatabase } from '../src/store/handles.js';
import { backupDatabase, describeDatabase } from '../src/store/inspect.js';
import { decodeRows, encodeRows, readSideRows, sideJournalPaths, type JournalRow } from '../src/store/side-journal.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { tempDir } from './helpers/db-files.js';

/** The journal table's rows, as another process (`guess db info`) would read them while the server runs. */
function tableRows(path: string): JournalRow[] {
  const db = openDatabase(path, { readonly: true });
  try {
    return db.prepare<[], JournalRow>('select id, body from journal order by id').all();
  } finally {
    db.close();
  }
}

const row = fc.record({ id: fc.integer({ min: 1, max: 2 ** 40 }), body: fc.string({ unit: 'binary', maxLength: 40 }) });

describe('the side journal', { timeout: 30_000 }, () => {
  const dir = tempDir();
  after(() => dir.remove());

  it('reads back exactly the rows written whole, wherever a write was cut (a power cut, a kill mid-write)', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 8 }), fc.nat(), (rows, at) => {
        const bytes = Buffer.from(encodeRows(rows));
        const cut = at % (bytes.length + 1);
        // The rows whose encoding ends within the cut, and no more.
        const whole = rows.filter((_, i) => Buffer.byteLength(encodeRows(rows.slice(0, i + 1))) <= cut).map(({ id, body }) => ({ id, body }));
        const decoded = decodeRows(bytes.subarray(0, cut));
        assert.deepEqual(decoded.rows, whole);
        assert.equal(decoded.end, Buffer.byteLength(encodeRows(whole)));
      }),
      { seed: 20261130, numRuns: 300 },
    );
    // A row whose bytes changed (a torn sector) ends the rows too.
    const bytes = Buffer.from(encodeRows([{ id: 1, body: 'AAAAA p1 5' }, { id: 2, body: 'AAAAA p1 6' }]));
    bytes[bytes.length - 2] = 0x37;
    assert.deepEqual(decodeRows(bytes).rows, [{ id: 1, body: 'AAAAA p1 5' }]);
  });

  it('takes a turn of guesses alone in one write, copies it into the file with the next transaction, and is emptied once that is on disk', () => {
    const path = dir.file('side.db');
    const store = openSqliteStore(path);
    store.load();
    store.begin();
    const first = store.appendJournal('AAAAA p1 5');
    store.commitNow();
    assert.deepEqual(readSideRows(path), [{ id: first, body: 'AAAAA p1 5' }]);
    assert.deepEqual(tableRows(path), [], 'no transaction for a turn of guesses alone');

    store.begin();
    const second = store.appendJournal('AAAAA p1 6');
    store.putRoom('AAAAA', '{}', 1, second);
    store.commitNow();
    assert.deepEqual(tableRows(path), [{ id: first, body: 'AAAAA p1 5' }, { id: second, body: 'AAAAA p1 6' }]);
    // Kept until the transaction that copied it is on disk; rows written since wait in the other file.
    assert.deepEqual(readSideRows(path), [{ id: first, body: 'AAAAA p1 5' }]);
    store.begin();
    const third = store.appendJournal('AAAAA p1 7');
    store.commitNow();
    store.syncNow();
    assert.deepEqual(readSideRows(path), [{ id: third, body: 'AAAAA p1 7' }]);
    store.close();
    assert.deepEqual(tableRows(path).map((r) => r.id), [first, second, third]);
    for (const side of sideJournalPaths(path)) assert.equal(existsSync(side), false, 'a store closed cleanly leaves no side journal');
  });

  it('never empties a file holding a row the database lacks, when transactions come faster than syncs', () => {
    const path = dir.file('busy.db');
    const store = openSqliteStore(path);
    store.load();
    const turn = (transaction: boolean): number => {
      store.begin();
      const id = store.appendJournal(`FFFFF p1 ${transaction ? 't' : 'g'}`);
      if (transaction) store.setMeta('counters', String(id));
      store.commitNow();
      return id;
    };
    turn(false);
    turn(true);
    const copiedBeforeSync = turn(false);
    turn(true);
    // Both files hold copied rows; this one lands in a file whose rows were copied before it.
    const late = turn(false);
    store.syncNow();
    assert.deepEqual(readSideRows(path).map((r) => r.id), [copiedBeforeSync, late]);
    assert.ok(!tableRows(path).some((r) => r.id === late));
    store.close();
    assert.ok(tableRows(path).some((r) => r.id === late));
  });

  it('gives a restarted server the rows the file lacks, each once, without a torn tail, and goes on after them', () => {
    const path = dir.file('crashed.db');
    const store = openSqliteStore(path);
    store.load();
    store.begin();
    store.putRoom('BBBBB', '{}', 1, 0);
    store.appendJournal('BBBBB p1 5');
    store.commitNow();
    store.close();
    // As a server killed after copying row 1 and writing row 2, and killed in the middle of row 3.
    const [zero, one] = sideJournalPaths(path);
    writeFileSync(zero, encodeRows([{ id: 1, body: 'BBBBB p1 5' }]));
    writeFileSync(one, `${encodeRows([{ id: 2, body: 'BBBBB p1 6' }])}3 10 12`);
    const restarted = openSqliteStore(path);
    const world = restarted.load();
    assert.deepEqual(world.journal, [{ id: 1, body: 'BBBBB p1 5' }, { id: 2, body: 'BBBBB p1 6' }]);
    assert.equal(world.lastJournal, 2);
    assert.equal(statSync(one).size, Buffer.byteLength(encodeRows([{ id: 2, body: 'BBBBB p1 6' }])), 'the torn tail is cut off');
    restarted.begin();
    assert.equal(restarted.appendJournal('BBBBB p1 7'), 3);
    restarted.commitNow();
    assert.deepEqual(readSideRows(path).map((r) => r.id), [1, 2, 3]);
    restarted.begin();
    restarted.setMeta('counters', '{}');
    restarted.commitNow();
    assert.deepEqual(tableRows(path).map((r) => r.id), [1, 2, 3]);
    restarted.close();
  });

  it('is in what guess db info counts and in what guess db backup copies, while the server runs', async () => {
    const path = dir.file('running.db');
    const store = openSqliteStore(path);
    store.load();
    store.begin();
    store.appendJournal('CCCCC p1 5\nCCCCC p2 9');
    store.commitNow();
    try {
      assert.equal(describeDatabase(path).journal, 2);
      const copy = dir.file('copy.db');
      await backupDatabase(path, copy);
      assert.deepEqual(tableRows(copy), [{ id: 1, body: 'CCCCC p1 5\nCCCCC p2 9' }]);
      assert.deepEqual(sideJournalPaths(copy).map(existsSync), [false, false], 'a copy is one file');
    } finally {
      store.close();
    }
  });

  it('keeps nothing beside a database in memory', () => {
    const store = openSqliteStore(':memory:');
    store.begin();
    store.appendJournal('DDDDD p1 5');
    store.commitNow();
    assert.deepEqual(store.load().journal, [{ id: 1, body: 'DDDDD p1 5' }]);
    store.close();
    assert.deepEqual(sideJournalPaths(':memory:').map(existsSync), [false, false]);
  });

  it('reads a row appended after a torn tail was cut off at start', () => {
    const path = dir.file('torn.db');
    openSqliteStore(path).close();
    const [zero] = sideJournalPaths(path);
    writeFileSync(zero, `${encodeRows([{ id: 1, body: 'EEEEE p1 5' }])}2 5 `);
    const store = openSqliteStore(path);
    store.load();
    store.begin();
    store.appendJournal('EEEEE p1 6');
    store.commitNow();
    assert.deepEqual(decodeRows(readFileSync(zero)).rows.map((r) => r.id), [1, 2]);
    store.close();
  });
});

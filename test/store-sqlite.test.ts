import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../src/store/handles.js';
import { openSqliteStore, StoreError, type StoreErrorCode } from '../src/store/sqlite.js';
import { SCHEMA_VERSION } from '../src/store/schema.js';
import { fileVersion, randomBytes, tempDir, writeBytes, writeNewerFile, writeVersion1File, writeVersion2File } from './helpers/db-files.js';
import { waitForLine } from './helpers/process.js';
import { ROOT } from './helpers/paths.js';

function refusal(path: string, code: StoreErrorCode): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(error instanceof StoreError, String(error));
    assert.equal(error.code, code, error.message);
    assert.ok(error.message.includes(path), `names the file: ${error.message}`);
    assert.doesNotMatch(error.message, /\n/);
    return true;
  };
}

function tables(path: string): string[] {
  const db = openDatabase(path, { readonly: true });
  try {
    return db.prepare<[], string>("select name from sqlite_schema where type = 'table' order by name").pluck().all();
  } finally {
    db.close();
  }
}

// sqlite_sequence held the journal's last id (autoincrement, schema 3 to 5); SQLite never drops it.
const TABLES = ['events', 'journal', 'meta', 'results', 'rooms', 'sqlite_sequence'];

describe('the SQLite store', { timeout: 30_000 }, () => {
  const dir = tempDir();
  after(() => dir.remove());

  describe('schema', () => {
    it('creates the latest version in a new file, in WAL mode', () => {
      const path = dir.file('new.db');
      openSqliteStore(path).close();
      assert.equal(SCHEMA_VERSION, 9);
      assert.equal(fileVersion(path), SCHEMA_VERSION);
      assert.deepEqual(tables(path), TABLES);
      const db = openDatabase(path, { readonly: true });
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      db.close();
    });

    it('migrates an empty file to the latest version', () => {
      const path = dir.file('empty.db');
      writeBytes(path, '');
      const store = openSqliteStore(path);
      assert.deepEqual(store.load().rooms, []);
      store.close();
      assert.equal(fileVersion(path), SCHEMA_VERSION);
    });

    it('migrates a version-1 file to the latest version, keeping its rooms and meta', () => {
      const path = dir.file('v1.db');
      writeVersion1File(path, [{ code: 'ABCD', record: '{"kept":true}', savedAt: 1234 }]);
      const store = openSqliteStore(path);
      const world = store.load();
      assert.deepEqual(world.rooms, [{ code: 'ABCD', record: '{"kept":true}', savedAt: 1234, applied: 0 }]);
      assert.equal(world.meta.get('written-by'), 'version 1');
      store.begin();
      store.appendEvents('p1', 1, 'hello');
      store.commitNow();
      store.close();
      assert.equal(fileVersion(path), SCHEMA_VERSION);
      assert.deepEqual(tables(path), TABLES);
    });

    it('migrates a version-2 file to the latest version, keeping its rooms, meta and events; journal ids go on from 1', () => {
      const path = dir.file('v2.db');
      writeVersion2File(path, [{ code: 'EFGH', record: '{"v":2}', savedAt: 77 }], [['p1', 1, 'one'], ['p1', 2, 'two']]);
      const store = openSqliteStore(path);
      const world = store.load();
      assert.deepEqual(world.rooms, [{ code: 'EFGH', record: '{"v":2}', savedAt: 77, applied: 0 }]);
      assert.deepEqual(world.journal, []);
      assert.equal(world.lastJournal, 0);
      assert.deepEqual(store.eventsAfter('p1', 1), ['two']);
      store.begin();
      assert.equal(store.appendJournal('EFGH p1 5'), 1);
      store.commitNow();
      store.close();
      assert.equal(fileVersion(path), SCHEMA_VERSION);
      assert.deepEqual(tables(path), TABLES);
    });

    it('runs the migrations in one transaction: one that fails leaves the file at its version', () => {
      const path = dir.file('v1-clash.db');
      writeVersion1File(path, [{ code: 'WXYZ', record: '{}', savedAt: 1 }]);
      const db = openDatabase(path);
      db.exec('create table events (x integer)');
      db.close();
      assert.throws(() => openSqliteStore(path), refusal(path, 'E_DB_UNREADABLE'));
      assert.equal(fileVersion(path), 1);
      assert.deepEqual(tables(path), ['events', 'meta', 'rooms']);
    });
  });

  describe('refuses, one line naming the file, and leaves it byte for byte', () => {
    const cases: [string, StoreErrorCode, (path: string) => void][] = [
      ['a newer schema version', 'E_DB_NEWER', (path) => writeNewerFile(path, SCHEMA_VERSION + 1)],
      ['random bytes', 'E_DB_CORRUPT', (path) => writeBytes(path, randomBytes(7, 8192))],
      ['a text file', 'E_DB_CORRUPT', (path) => writeBytes(path, 'rooms: none yet\n')],
      ['an SQLite header over random bytes', 'E_DB_CORRUPT', (path) => writeBytes(path, Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), randomBytes(8, 8176)]))],
      ['a database damaged past its first page', 'E_DB_CORRUPT', (path) => {
        const store = openSqliteStore(path);
        store.begin();
        for (let i = 0; i < 100; i++) store.putRoom(`R${i}`, 'x'.repeat(500), i, 0);
        store.close();
        const bytes = readFileSync(path);
        randomBytes(9, bytes.length - 8192).copy(bytes, 8192);
        writeBytes(path, bytes);
      }],
      ['another program’s database', 'E_DB_CORRUPT', (path) => {
        const db = openDatabase(path);
        db.exec('create table notes (text text)');
        db.close();
      }],
    ];
    for (const [what, code, make] of cases) {
      it(`${what}: ${code}`, () => {
        const path = dir.file(`${code}-${what.replace(/\W+/g, '-')}.db`);
        make(path);
        const before = readFileSync(path);
        assert.throws(() => openSqliteStore(path), refusal(path, code));
        assert.deepEqual(readFileSync(path), before);
        // Reading a WAL-mode file read-only may leave an empty log beside it, never a write.
        assert.ok(!existsSync(`${path}-wal`) || readFileSync(`${path}-wal`).length === 0, 'nothing was written to a write-ahead log');
      });
    }

    it('a newer file a crashed server left with its write-ahead log: E_DB_NEWER, file and log unchanged', async () => {
      const path = dir.file('newer-crashed.db');
      const script = `
        const Database = require('better-sqlite3');
        const db = new Database(${JSON.stringify(path)});
        db.pragma('journal_mode = WAL');
        db.pragma('wal_autocheckpoint = 0');
        db.exec("create table rooms (code text); pragma user_version = ${SCHEMA_VERSION + 1}; insert into rooms values ('NEW')");
        console.log('written');
        setInterval(() => {}, 1000);`;
      const child = spawn(process.execPath, ['-e', script], { cwd: ROOT });
      await waitForLine(child.stdout, (line) => line === 'written');
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('close', resolve));
      const file = readFileSync(path);
      const log = readFileSync(`${path}-wal`);
      assert.ok(log.length > 0, 'the log holds what was committed');
      assert.throws(() => openSqliteStore(path), refusal(path, 'E_DB_NEWER'));
      assert.deepEqual(readFileSync(path), file);
      assert.deepEqual(readFileSync(`${path}-wal`), log);
    });

    it('a directory: E_DB_UNREADABLE', () => {
      // Running as root, chmod 000 stops no read; a directory cannot be read as a file by anyone.
      const path = dir.file('a-directory.db');
      mkdirSync(path);
      assert.throws(() => openSqliteStore(path), refusal(path, 'E_DB_UNREADABLE'));
      assert.deepEqual(readdirSync(path), []);
    });

    it('a file in a directory that does not exist: E_DB_UNREADABLE', () => {
      const path = dir.file('missing/games.db');
      assert.throws(() => openSqliteStore(path), refusal(path, 'E_DB_UNREADABLE'));
      assert.ok(!existsSync(dir.file('missing')));
    });
  });

  describe('lock', () => {
    it('refuses a file another store has open (E_DB_IN_USE), and takes it once that one closes', () => {
      const path = dir.file('shared.db');
      const first = openSqliteStore(path);
      assert.throws(() => openSqliteStore(path), refusal(path, 'E_DB_IN_USE'));
      first.close();
      openSqliteStore(path).close();
    });

    it('says a file another program holds in a write transaction is locked (E_DB_LOCKED)', () => {
      const path = dir.file('held.db');
      openSqliteStore(path).close();
      const other = openDatabase(path);
      other.exec('begin exclusive');
      try {
        assert.throws(() => openSqliteStore(path), refusal(path, 'E_DB_LOCKED'));
      } finally {
        other.close();
      }
      openSqliteStore(path).close();
    });

    it('is released by the OS when the process holding it is killed, and keeps what it committed', async () => {
      const path = dir.file('killed.db');
      const store = new URL('../src/store/sqlite.js', import.meta.url).href;
      const script = `
        const { openSqliteStore } = await import(${JSON.stringify(store)});
        const s = openSqliteStore(${JSON.stringify(path)});
        s.begin(); s.putRoom('KILL', '{"n":1}', 5, 0); s.appendEvents('p', 1, 'e1'); s.commitNow();
        s.begin(); s.putRoom('LOST', '{}', 6, 0);
        console.log('committed');
        setInterval(() => {}, 1000);`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT });
      try {
        await waitForLine(child.stdout, (line) => line === 'committed');
        assert.throws(() => openSqliteStore(path), refusal(path, 'E_DB_IN_USE'));
      } finally {
        child.kill('SIGKILL');
      }
      await new Promise((resolve) => child.once('close', resolve));
      const reopened = openSqliteStore(path);
      assert.deepEqual(reopened.load().rooms, [{ code: 'KILL', record: '{"n":1}', savedAt: 5, applied: 0 }]);
      assert.deepEqual(reopened.eventsAfter('p', 0), ['e1']);
      reopened.close();
    });
  });

  describe('transactions', () => {
    const path = dir.file('turns.db');
    before(() => openSqliteStore(path).close());
    const committed = (): number => {
      const reader = openDatabase(path, { readonly: true });
      try {
        return reader.prepare<[], number>('select count(*) from rooms').pluck().get() ?? -1;
      } finally {
        reader.close();
      }
    };

    it('shows a turn its own writes at once, and others only after commit', () => {
      const store = openSqliteStore(path);
      try {
        store.begin();
        store.putRoom('TURN', '{"v":1}', 10, 0);
        store.appendEvents('alice', 1, 'one');
        store.begin(); // a second begin in the same turn joins the open transaction
        store.appendEvents('alice', 2, 'two');
        assert.deepEqual(store.eventsAfter('alice', 0), ['one', 'two']);
        assert.deepEqual(store.eventsAfter('alice', 1), ['two']);
        assert.equal(committed(), 0);
        store.commitNow();
        assert.equal(committed(), 1);
      } finally {
        store.close();
      }
    });

    it('replaces, deletes, prunes and forgets', () => {
      const store = openSqliteStore(path);
      store.begin();
      store.putRoom('TURN', '{"v":2}', 20, 0);
      store.putRoom('GONE', '{}', 20, 0);
      store.deleteRoom('GONE');
      store.appendEvents('alice', 3, 'three');
      store.appendEvents('bob', 1, 'b1');
      store.pruneEvents('alice', 2);
      store.forgetPlayer('bob');
      store.setMeta('k', 'a');
      store.setMeta('k', 'b');
      store.commitNow();
      store.close();
      const again = openSqliteStore(path);
      const world = again.load();
      assert.deepEqual(world.rooms, [{ code: 'TURN', record: '{"v":2}', savedAt: 20, applied: 0 }]);
      assert.equal(world.meta.get('k'), 'b');
      assert.deepEqual(again.eventsAfter('alice', 0), ['three']);
      assert.deepEqual(again.eventsAfter('bob', 0), []);
      again.begin();
      again.appendEvents('carol', 1, 'c1');
      again.appendEvents('dave', 1, 'd1');
      again.retainEvents(['alice', 'carol']);
      again.commitNow();
      assert.deepEqual(['alice', 'carol', 'dave'].map((p) => again.eventsAfter(p, 0)), [['three'], ['c1'], []], 'only the listed players keep events');
      again.close();
    });

    it('journals one row per call, with ids above any a kept room holds, even once every row is dropped', () => {
      const store = openSqliteStore(path);
      store.begin();
      const first = store.appendJournal('A p1 1');
      const second = store.appendJournal('A p1 2\nB p2 3');
      store.dropJournal(second);
      const third = store.appendJournal('A p1 4');
      // A room that holds every entry so far: a new one must not be taken for one of them.
      store.putRoom('HELD', '{}', 1, third);
      store.commitNow();
      store.close();
      assert.deepEqual([second - first, third - second], [1, 1]);
      const again = openSqliteStore(path);
      const world = again.load();
      assert.deepEqual(world.journal, [{ id: third, body: 'A p1 4' }]);
      assert.equal(world.lastJournal, third);
      again.begin();
      again.dropJournal(third);
      again.commitNow();
      again.close();
      const last = openSqliteStore(path);
      assert.deepEqual(last.load().journal, []);
      assert.equal(last.load().lastJournal, third);
      last.begin();
      assert.equal(last.appendJournal('A p1 5'), third + 1);
      last.dropJournal(third + 1);
      last.deleteRoom('HELD');
      last.commitNow();
      last.close();
    });

    it('commits what is open when closed', () => {
      const store = openSqliteStore(path);
      store.begin();
      store.putRoom('LAST', '{}', 30, 0);
      store.close();
      assert.equal(committed(), 2);
    });
  });

  it('keeps nothing with :memory:, and locks nothing', () => {
    const first = openSqliteStore(':memory:');
    const second = openSqliteStore(':memory:');
    assert.equal(first.location, ':memory:');
    first.begin();
    first.putRoom('MEM', '{}', 1, 0);
    first.commitNow();
    assert.equal(first.load().rooms.length, 1);
    assert.equal(second.load().rooms.length, 0);
    first.close();
    second.close();
    assert.equal(openSqliteStore(':memory:').load().rooms.length, 0);
    assert.ok(!existsSync(':memory:') && !existsSync(':memory:-lock'));
  });
});

import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database as Db } from 'better-sqlite3';
import { openDatabase } from './handles.js';
import { corrupt, explain, StoreError } from './errors.js';
import { holdLock } from './lock.js';
import { hasForeignTables, migrate, SCHEMA_VERSION, userVersion } from './schema.js';

/** How long a file another program holds may keep us waiting before we say it is locked. */
const BUSY_TIMEOUT_MS = 1_000;

const HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export interface OpenDatabase {
  readonly db: Db;
  /** The write-ahead log, open for fsync; undefined in memory. */
  readonly wal: number | undefined;
  /** Closes the database, then lets another server have the file. */
  readonly close: () => void;
}

/**
 * Opens the server's file for writing. Every check that can refuse it (not a database, written by
 * a newer version, used by another server, locked) runs before the first write (switching to WAL,
 * migrating), so a refused file is left exactly as it was.
 */
export function openForWriting(path: string): OpenDatabase {
  if (path === ':memory:') {
    const db = openDatabase(':memory:');
    migrate(db);
    return { db, wal: undefined, close: () => db.close() };
  }
  const exists = checkFile(path);
  const release = holdLock(path);
  let db: Db | undefined;
  let wal: number | undefined;
  try {
    // Read-only first: a read-write connection that closes copies the write-ahead log a crashed
    // server left into the file (a checkpoint), and a refused file must not change.
    if (exists) {
      db = openDatabase(path, { readonly: true, timeout: BUSY_TIMEOUT_MS });
      checkContents(path, db);
      db.close();
    }
    db = openDatabase(path, { timeout: BUSY_TIMEOUT_MS });
    if (db.pragma('journal_mode = WAL', { simple: true }) !== 'wal') throw new Error('cannot switch to WAL');
    // NORMAL: a commit writes the log without waiting for the disk, and the store fsyncs the log
    // itself, off the event loop: within a second, or before anything is acknowledged with
    // --fsync commit (see SqliteStore.sync). With FULL each commit would stop the whole server for
    // the length of an fsync.
    db.pragma('synchronous = NORMAL');
    migrate(db);
    // Another program's open transaction would make every commit wait and fail: find out now.
    db.exec('begin immediate; commit');
    // The log lives as long as a connection holds the database: this descriptor stays valid.
    wal = openSync(`${path}-wal`, 'r');
  } catch (error) {
    if (wal !== undefined) closeSync(wal);
    db?.close();
    release();
    throw explain(path, error);
  }
  const opened = db;
  const log = wal;
  return {
    db: opened,
    wal: log,
    close: () => {
      closeSync(log);
      opened.close();
      release();
    },
  };
}

/** Opens a file read-only (`guess db info`, `guess db backup`): works while a server has it. */
export function openForReading(path: string): Db {
  if (!checkFile(path)) throw new StoreError('E_DB_UNREADABLE', `there is no database at ${path}`);
  let db: Db | undefined;
  try {
    db = openDatabase(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    if (hasForeignTables(db)) throw corrupt(path);
    return db;
  } catch (error) {
    db?.close();
    throw explain(path, error);
  }
}

/**
 * What can be known without SQLite and without changing a byte: a directory, a file we may not
 * read, a file that does not start as every SQLite database does. Returns whether the file exists.
 */
function checkFile(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      if (!existsSync(dirname(path))) throw new StoreError('E_DB_UNREADABLE', `cannot use ${path}: the directory ${dirname(path)} does not exist`);
      return false;
    }
    throw explain(path, error);
  }
  try {
    if (fstatSync(fd).isDirectory()) throw new StoreError('E_DB_UNREADABLE', `cannot use ${path}: it is a directory, not a file`);
    const start = Buffer.alloc(HEADER.length);
    const read = readSync(fd, start, 0, start.length, 0);
    // An empty file is an empty database (SQLite writes nothing until the first table).
    if (read > 0 && !start.equals(HEADER)) throw corrupt(path);
    return true;
  } catch (error) {
    throw explain(path, error);
  } finally {
    closeSync(fd);
  }
}

function checkContents(path: string, db: Db): void {
  const version = userVersion(db);
  if (version > SCHEMA_VERSION) {
    throw new StoreError(
      'E_DB_NEWER',
      `${path} was written by a newer guess-a-number (schema version ${version}; this one knows up to ${SCHEMA_VERSION}); it was left as it is: upgrade, or choose another --db`,
    );
  }
  if (hasForeignTables(db)) throw corrupt(path);
  if (db.pragma('quick_check', { simple: true }) !== 'ok') throw corrupt(path);
}

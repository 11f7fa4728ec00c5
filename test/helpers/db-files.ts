import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/handles.js';
import { seededRandom } from '../../src/core/random.js';
import { ROOT } from './paths.js';
import { waitForLine } from './process.js';

/** A fresh directory under the system's temp dir, removed by `remove`. */
export function tempDir(): { readonly path: string; file(name: string): string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'guess-db-'));
  return { path, file: (name) => join(path, name), remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** `length` bytes that do not start like an SQLite file, the same for the same seed. */
export function randomBytes(seed: number, length: number): Buffer {
  const random = seededRandom(seed);
  const bytes = Buffer.from(Array.from({ length }, () => random(0, 255)));
  bytes[0] = 0x7f; // 'S' would let a lucky seed begin the SQLite header
  return bytes;
}

/** The schema as the version-1 server wrote it: meta and rooms, no events. */
export function writeVersion1File(path: string, rooms: readonly { code: string; record: string; savedAt: number }[]): void {
  const db = openDatabase(path);
  db.exec(`create table meta (key text primary key, value text not null);
           create table rooms (code text primary key, record text not null, saved_at integer not null);
           pragma user_version = 1;`);
  const insert = db.prepare('insert into rooms (code, record, saved_at) values (?, ?, ?)');
  for (const room of rooms) insert.run(room.code, room.record, room.savedAt);
  db.prepare('insert into meta (key, value) values (?, ?)').run('written-by', 'version 1');
  db.close();
}

/** The schema as the version-2 server wrote it: version 1 and one event per row, no journal. */
export function writeVersion2File(path: string, rooms: readonly { code: string; record: string; savedAt: number }[], events: readonly [string, number, string][]): void {
  writeVersion1File(path, rooms);
  const db = openDatabase(path);
  db.exec(`create table events (player text not null, seq integer not null, body text not null, primary key (player, seq)) without rowid;
           pragma user_version = 2;`);
  const insert = db.prepare('insert into events (player, seq, body) values (?, ?, ?)');
  for (const event of events) insert.run(...event);
  db.close();
}

/** A valid SQLite file whose schema version is from the future. */
export function writeNewerFile(path: string, version: number): void {
  const db = openDatabase(path);
  db.exec(`create table rooms (code text primary key); pragma user_version = ${version};`);
  db.close();
}

export function writeBytes(path: string, bytes: Buffer | string): Buffer {
  writeFileSync(path, bytes);
  return readFileSync(path);
}

/** Reads a file's schema version with a connection of its own. */
export function fileVersion(path: string): number {
  const db = openDatabase(path, { readonly: true, fileMustExist: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

/** A stored room record shaped as the server writes it: seats (bot or not) and spectators. */
export function roomRecord(code: string, seats: readonly { name: string; bot?: boolean }[], spectators: readonly string[] = []): string {
  return JSON.stringify({
    room: {
      code,
      seats: seats.map((seat, index) => ({ id: `p${index}`, name: seat.name, seat: index, bot: seat.bot === true ? { level: 'strong' } : null })),
      spectators: spectators.map((name, index) => ({ id: `s${index}`, name })),
    },
    members: [],
  });
}

/**
 * Another program holding `path` in a write transaction it never commits, in the rollback
 * journal mode most programs use (which stops readers too), until `release`.
 */
export async function holdExclusive(path: string): Promise<{ release(): Promise<void> }> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(path)});
    db.pragma('journal_mode = DELETE');
    db.exec('begin exclusive');
    console.log('holding');
    process.stdin.on('end', () => db.close()).resume();`;
  const child = spawn(process.execPath, ['-e', script], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  await waitForLine(child.stdout, (line) => line === 'holding');
  return {
    async release() {
      const closed = once(child, 'close');
      child.stdin.end();
      await closed;
    },
  };
}

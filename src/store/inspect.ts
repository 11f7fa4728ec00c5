import { existsSync, statSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { openDatabase } from './handles.js';
import { openForReading } from './open.js';
import { userVersion } from './schema.js';
import { readSideRows, type JournalRow } from './side-journal.js';

export interface DatabaseInfo {
  readonly path: string;
  readonly version: number;
  readonly bytes: number;
  /** Commits not yet copied into the main file (SQLite's write-ahead log). */
  readonly walBytes: number;
  readonly rooms: number;
  /** People in a seat, then computer players, then people watching, over every room kept. */
  readonly players: number;
  readonly bots: number;
  readonly spectators: number;
  /** Events kept for `resume` to replay, and the players they are for. */
  readonly events: number;
  readonly eventPlayers: number;
  /** Guesses kept in the journal, not yet in their room's record. */
  readonly journal: number;
}

/** What `guess db info` prints; reads only, so it works while a server has the file. */
export function describeDatabase(path: string): DatabaseInfo {
  const db = openForReading(path);
  try {
    const tables = new Set(db.prepare<[], string>("select name from sqlite_schema where type = 'table'").pluck().all());
    const count = (sql: string, table: string): number => (tables.has(table) ? db.prepare<[], number>(sql).pluck().get() ?? 0 : 0);
    return {
      path,
      version: userVersion(db),
      bytes: statSync(path).size,
      walBytes: existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0,
      rooms: count('select count(*) from rooms', 'rooms'),
      ...(tables.has('rooms') ? countMembers(db) : { players: 0, bots: 0, spectators: 0 }),
      // A row may hold several events, one per line.
      events: count("select coalesce(sum(length(body) - length(replace(body, char(10), '')) + 1), 0) from events", 'events'),
      eventPlayers: count('select count(distinct player) from events', 'events'),
      journal:
        count("select coalesce(sum(length(body) - length(replace(body, char(10), '')) + 1), 0) from journal", 'journal') +
        lines(notInTable(db, tables.has('journal'), readSideRows(path))),
    };
  } finally {
    db.close();
  }
}

/** Copies the file with SQLite's online backup: a consistent copy even while a server writes. */
export async function backupDatabase(path: string, file: string): Promise<void> {
  const db = openForReading(path);
  try {
    // Read first: the rows the server copies into the database meanwhile are in the copy instead.
    const side = readSideRows(path);
    await db.backup(file);
    if (side.length > 0) keepRows(file, side);
  } finally {
    db.close();
  }
}

/** The side journal's rows (see SideJournal) go into the copy's journal: a copy is one file. */
function keepRows(file: string, rows: readonly JournalRow[]): void {
  const copy = openDatabase(file);
  try {
    const insert = copy.prepare<[number, string]>('insert or ignore into journal (id, body) values (?, ?)');
    copy.exec('begin');
    for (const { id, body } of rows) insert.run(id, body);
    copy.exec('commit');
  } finally {
    copy.close();
  }
}

function notInTable(db: Database, hasJournal: boolean, rows: readonly JournalRow[]): JournalRow[] {
  if (!hasJournal || rows.length === 0) return [...rows];
  const has = db.prepare<[number], number>('select count(*) from journal where id = ?').pluck();
  return rows.filter((row) => has.get(row.id) === 0);
}

function lines(rows: readonly JournalRow[]): number {
  return rows.reduce((sum, row) => sum + row.body.split('\n').length, 0);
}

/** Seats and spectators as a room's record lists them; a record of another shape counts nothing. */
function countMembers(db: Database): { players: number; bots: number; spectators: number } {
  let players = 0;
  let bots = 0;
  let spectators = 0;
  for (const record of db.prepare<[], string>('select record from rooms').pluck().all()) {
    const room = parse(record)?.room;
    const seats: unknown = room?.seats;
    for (const seat of Array.isArray(seats) ? (seats as unknown[]) : []) {
      if ((seat as { bot?: unknown } | null)?.bot) bots++;
      else players++;
    }
    spectators += Array.isArray(room?.spectators) ? room.spectators.length : 0;
  }
  return { players, bots, spectators };
}

function parse(record: string): { room?: { seats?: unknown; spectators?: unknown } } | undefined {
  try {
    return JSON.parse(record) as { room?: { seats?: unknown; spectators?: unknown } };
  } catch {
    return undefined;
  }
}

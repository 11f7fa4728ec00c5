import { fdatasync, fdatasyncSync } from 'node:fs';
import type { Database, Statement } from 'better-sqlite3';
import type { Store, StoredRoom, StoredWorld } from '../server/store.js';
import type { Leaderboard, LeaderboardQuery, ResultFilter } from '../core/leaderboard.js';
import type { RoundResult } from '../core/results.js';
import { openForWriting } from './open.js';
import { ResultTables } from './results.js';

export { StoreError, type StoreErrorCode } from './errors.js';

/**
 * The server's store in one SQLite file (or in memory with ':memory:', where nothing is kept and
 * nothing is locked). Throws a StoreError whose message is one line naming the file.
 */
export function openSqliteStore(path: string): SqliteStore {
  const { db, wal, close } = openForWriting(path);
  return new SqliteStore(path, db, wal, close);
}

export class SqliteStore implements Store {
  readonly location: string;
  readonly #db: Database;
  readonly #wal: number | undefined;
  readonly #close: () => void;
  readonly #begin: Statement;
  readonly #commit: Statement;
  readonly #putRoom: Statement<[string, string, number, number]>;
  readonly #deleteRoom: Statement<[string]>;
  readonly #appendJournal: Statement<[number, string]>;
  /** The largest journal id given, once known (see appendJournal). */
  #lastJournal: number | undefined;
  readonly #dropJournal: Statement<[number]>;
  readonly #largestJournal: Statement<[], number>;
  readonly #appendEvents: Statement<[string, number, string]>;
  readonly #eventsAfter: Statement<[string, number], string>;
  readonly #pruneEvents: Statement<[string, number]>;
  readonly #forgetPlayer: Statement<[string]>;
  readonly #retainEvents: Statement<[string]>;
  readonly #setMeta: Statement<[string, string]>;
  readonly #results: ResultTables;

  constructor(location: string, db: Database, wal: number | undefined, close: () => void) {
    this.location = location;
    this.#db = db;
    this.#wal = wal;
    this.#close = close;
    this.#begin = db.prepare('begin');
    this.#commit = db.prepare('commit');
    this.#putRoom = db.prepare(
      'insert into rooms (code, record, saved_at, applied) values (?, ?, ?, ?) on conflict (code) do update set record = excluded.record, saved_at = excluded.saved_at, applied = excluded.applied',
    );
    this.#deleteRoom = db.prepare('delete from rooms where code = ?');
    this.#appendJournal = db.prepare('insert into journal (id, body) values (?, ?)');
    this.#dropJournal = db.prepare('delete from journal where id <= ?');
    this.#largestJournal = db.prepare<[], number>('select max(coalesce((select max(id) from journal), 0), coalesce((select max(applied) from rooms), 0))').pluck();
    this.#appendEvents = db.prepare('insert into events (player, seq, body) values (?, ?, ?)');
    this.#eventsAfter = db.prepare<[string, number], string>('select body from events where player = ? and seq > ? order by seq').pluck();
    this.#pruneEvents = db.prepare('delete from events where player = ? and seq <= ?');
    this.#forgetPlayer = db.prepare('delete from events where player = ?');
    this.#retainEvents = db.prepare('delete from events where player not in (select value from json_each(?))');
    this.#results = new ResultTables(db);
    this.#setMeta = db.prepare('insert into meta (key, value) values (?, ?) on conflict (key) do update set value = excluded.value');
  }

  load(): StoredWorld {
    const db = this.#db;
    const rooms = db.prepare<[], { code: string; record: string; saved_at: number; applied: number }>('select code, record, saved_at, applied from rooms order by code').all();
    const meta = db.prepare<[], [string, string]>('select key, value from meta').raw().all();
    const journal = db.prepare<[], { id: number; body: string }>('select id, body from journal order by id').all();
    this.#lastJournal = Math.max(this.#lastJournal ?? 0, this.#largestJournalId());
    return {
      rooms: rooms.map((row): StoredRoom => ({ code: row.code, record: row.record, savedAt: row.saved_at, applied: row.applied })),
      meta: new Map(meta),
      journal,
      lastJournal: this.#lastJournal,
    };
  }

  begin(): void {
    if (!this.#db.inTransaction) this.#begin.run();
  }

  putRoom(code: string, record: string, savedAt: number, applied: number): void {
    this.#putRoom.run(code, record, savedAt, applied);
  }

  deleteRoom(code: string): void {
    this.#deleteRoom.run(code);
  }

  /**
   * A new id is above every journal row's and every kept room's `applied`: a room must never
   * take a new entry for one it already holds. Ids of rows dropped while no room held them may
   * come again, harmlessly.
   */
  appendJournal(body: string): number {
    const id = (this.#lastJournal ??= this.#largestJournalId()) + 1;
    this.#appendJournal.run(id, body);
    this.#lastJournal = id;
    return id;
  }

  #largestJournalId(): number {
    return this.#largestJournal.get() ?? 0;
  }

  dropJournal(id: number): void {
    this.#dropJournal.run(id);
  }

  appendEvents(player: string, seq: number, body: string): void {
    this.#appendEvents.run(player, seq, body);
  }

  eventsAfter(player: string, seq: number): string[] {
    return this.#eventsAfter.all(player, seq);
  }

  pruneEvents(player: string, seq: number): void {
    this.#pruneEvents.run(player, seq);
  }

  forgetPlayer(player: string): void {
    this.#forgetPlayer.run(player);
  }

  retainEvents(players: readonly string[]): void {
    this.#retainEvents.run(JSON.stringify(players));
  }

  setMeta(key: string, value: string): void {
    this.#setMeta.run(key, value);
  }

  appendResult(result: RoundResult): void {
    this.#results.append(result);
  }

  leaderboard(query: LeaderboardQuery, since: number | undefined): Leaderboard {
    return this.#results.leaderboard(query, since);
  }

  results(filter: ResultFilter): RoundResult[] {
    return this.#results.results(filter);
  }

  pruneResults(before: number): void {
    this.#results.prune(before);
  }

  commit(done: (error: Error | undefined, nanos: number) => void): void {
    const started = process.hrtime.bigint();
    try {
      this.commitNow();
    } catch (error) {
      done(error instanceof Error ? error : new Error(String(error)), 0);
      return;
    }
    done(undefined, Number(process.hrtime.bigint() - started));
  }

  /** Commits what is open; throws if it cannot. */
  commitNow(): void {
    if (this.#db.inTransaction) this.#commit.run();
  }

  /**
   * A commit has written its pages to the log: an fsync of the log makes it, and every commit
   * before it, survive a power loss. A checkpoint moves the log into the main file; SQLite syncs
   * both around it, and starts the log over only after that.
   */
  sync(done: (error: Error | undefined) => void): void {
    if (this.#wal === undefined) done(undefined);
    else fdatasync(this.#wal, (error) => done(error ?? undefined));
  }

  syncNow(): void {
    if (this.#wal !== undefined) fdatasyncSync(this.#wal);
  }

  close(): void {
    if (!this.#db.open) return;
    this.commitNow();
    this.syncNow();
    this.#close();
  }
}

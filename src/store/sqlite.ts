import { fdatasyncSync } from 'node:fs';
import type { Database, Statement } from 'better-sqlite3';
import type { Store, StoredRoom, StoredWorld } from '../server/store.js';
import type { Leaderboard, LeaderboardQuery, ResultFilter } from '../core/leaderboard.js';
import type { RoundResult } from '../core/results.js';
import { openForWriting } from './open.js';
import { ResultTables } from './results.js';
import { fdatasyncAll, SideJournal, type JournalRow } from './side-journal.js';

export { StoreError, type StoreErrorCode } from './errors.js';

/**
 * The server's store in one SQLite file (or in memory with ':memory:', where nothing is kept and
 * nothing is locked). Throws a StoreError whose message is one line naming the file.
 */
export function openSqliteStore(path: string): SqliteStore {
  const { db, wal, close } = openForWriting(path);
  let side: SideJournal | undefined;
  try {
    // Under the file's lock, as everything the server writes beside it.
    side = wal === undefined ? undefined : new SideJournal(path);
  } catch (error) {
    close();
    throw error;
  }
  return new SqliteStore(path, db, wal, close, side);
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
  readonly #copyJournal: Statement<[number, string]>;
  /** Where a turn that wrote only journal rows puts them (none in memory, where nothing is kept). */
  readonly #side: SideJournal | undefined;
  /** This turn's journal rows while it has written nothing else. */
  #turnRows: JournalRow[] = [];
  /** Rows in the side journal that the journal table lacks: the next transaction copies them. */
  #sideRows: JournalRow[];
  /** The open transaction copied rows of the side journal. */
  #copying = false;
  /** Transactions committed, counted: the side journal is emptied once the one that copied its rows is on disk. */
  #commits = 0;
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

  constructor(location: string, db: Database, wal: number | undefined, close: () => void, side?: SideJournal) {
    this.location = location;
    this.#db = db;
    this.#wal = wal;
    this.#close = close;
    this.#side = side;
    this.#sideRows = side?.found.slice() ?? [];
    this.#begin = db.prepare('begin');
    this.#commit = db.prepare('commit');
    this.#putRoom = db.prepare(
      'insert into rooms (code, record, saved_at, applied) values (?, ?, ?, ?) on conflict (code) do update set record = excluded.record, saved_at = excluded.saved_at, applied = excluded.applied',
    );
    this.#deleteRoom = db.prepare('delete from rooms where code = ?');
    this.#appendJournal = db.prepare('insert into journal (id, body) values (?, ?)');
    // A row found in the side journal may be in the table already (the server stopped before emptying it).
    this.#copyJournal = db.prepare('insert or ignore into journal (id, body) values (?, ?)');
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
    const table = db.prepare<[], { id: number; body: string }>('select id, body from journal order by id').all();
    const inTable = new Set(table.map((row) => row.id));
    this.#sideRows = this.#sideRows.filter((row) => !inTable.has(row.id));
    const journal = this.#sideRows.length === 0 ? table : [...table, ...this.#sideRows].sort((a, b) => a.id - b.id);
    this.#lastJournal = Math.max(this.#lastJournal ?? 0, this.#largestJournalId());
    return {
      rooms: rooms.map((row): StoredRoom => ({ code: row.code, record: row.record, savedAt: row.saved_at, applied: row.applied })),
      meta: new Map(meta),
      journal,
      lastJournal: this.#lastJournal,
    };
  }

  get journalOnly(): boolean {
    return this.#side !== undefined && !this.#db.inTransaction;
  }

  /** The transaction opens with the turn's first write that needs one (see appendJournal). */
  begin(): void {}

  /**
   * Opens the turn's transaction, if not yet open, with what the journal table lacks: the rows
   * in the side journal, then this turn's so far.
   */
  #transaction(): void {
    if (this.#db.inTransaction) return;
    this.#begin.run();
    for (const row of this.#sideRows) this.#copyJournal.run(row.id, row.body);
    for (const row of this.#turnRows) this.#appendJournal.run(row.id, row.body);
    this.#copying = this.#sideRows.length > 0;
    this.#sideRows = [];
    this.#turnRows = [];
  }

  putRoom(code: string, record: string, savedAt: number, applied: number): void {
    this.#transaction();
    this.#putRoom.run(code, record, savedAt, applied);
  }

  deleteRoom(code: string): void {
    this.#transaction();
    this.#deleteRoom.run(code);
  }

  /**
   * A new id is above every journal row's and every kept room's `applied`: a room must never
   * take a new entry for one it already holds. Ids of rows dropped while no room held them may
   * come again, harmlessly.
   */
  appendJournal(body: string): number {
    const id = (this.#lastJournal ??= this.#largestJournalId()) + 1;
    this.#lastJournal = id;
    // A turn that writes nothing else (most guesses) appends its rows to the side journal at its
    // commit: one write instead of a transaction.
    if (this.#side !== undefined && !this.#db.inTransaction) this.#turnRows.push({ id, body });
    else {
      this.#transaction();
      this.#appendJournal.run(id, body);
    }
    return id;
  }

  #largestJournalId(): number {
    return Math.max(this.#largestJournal.get() ?? 0, this.#side?.largestFound ?? 0);
  }

  dropJournal(id: number): void {
    this.#transaction();
    this.#dropJournal.run(id);
  }

  appendEvents(player: string, seq: number, body: string): void {
    this.#transaction();
    this.#appendEvents.run(player, seq, body);
  }

  eventsAfter(player: string, seq: number): string[] {
    return this.#eventsAfter.all(player, seq);
  }

  pruneEvents(player: string, seq: number): void {
    this.#transaction();
    this.#pruneEvents.run(player, seq);
  }

  forgetPlayer(player: string): void {
    this.#transaction();
    this.#forgetPlayer.run(player);
  }

  retainEvents(players: readonly string[]): void {
    this.#transaction();
    this.#retainEvents.run(JSON.stringify(players));
  }

  setMeta(key: string, value: string): void {
    this.#transaction();
    this.#setMeta.run(key, value);
  }

  appendResult(result: RoundResult): void {
    this.#transaction();
    this.#results.append(result);
  }

  leaderboard(query: LeaderboardQuery, since: number | undefined): Leaderboard {
    return this.#results.leaderboard(query, since);
  }

  results(filter: ResultFilter): RoundResult[] {
    return this.#results.results(filter);
  }

  pruneResults(before: number): void {
    this.#transaction();
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

  /** Commits what is open, or appends the turn's journal rows to the side journal; throws if it cannot. */
  commitNow(): void {
    if (this.#db.inTransaction) {
      this.#commit.run();
      this.#commits++;
      if (this.#copying) this.#side?.copied(this.#commits);
      this.#copying = false;
      return;
    }
    if (this.#turnRows.length === 0 || this.#side === undefined) return;
    this.#side.append(this.#turnRows);
    for (const row of this.#turnRows) this.#sideRows.push(row);
    this.#turnRows = [];
  }

  /**
   * A commit has written its pages to the log: an fsync of the log makes it, and every commit
   * before it, survive a power loss. A checkpoint moves the log into the main file; SQLite syncs
   * both around it, and starts the log over only after that.
   */
  sync(done: (error: Error | undefined) => void): void {
    const wal = this.#wal;
    const side = this.#side;
    if (wal === undefined || side === undefined) {
      done(undefined);
      return;
    }
    const commits = this.#commits;
    fdatasyncAll([...side.fds, wal], (error) => {
      if (error === undefined) side.durable(commits);
      done(error);
    });
  }

  syncNow(): void {
    if (this.#wal === undefined || this.#side === undefined) return;
    this.#side.syncNow();
    fdatasyncSync(this.#wal);
    this.#side.durable(this.#commits);
  }

  close(): void {
    if (!this.#db.open) return;
    // Every row into the database, so that the side journal can go.
    if (this.#sideRows.length > 0 || this.#turnRows.length > 0) this.#transaction();
    this.commitNow();
    this.syncNow();
    this.#side?.close();
    this.#close();
  }
}

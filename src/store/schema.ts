import type { Database } from 'better-sqlite3';

/**
 * Each entry takes the schema from its index to the next version (`PRAGMA user_version`); a file
 * written by an older server is brought forward at open, in one transaction, so a crash halfway
 * leaves it at its old version. Never edit a migration that has shipped: add one.
 */
export const MIGRATIONS: readonly string[] = [
  `create table meta (key text primary key, value text not null);
   create table rooms (code text primary key, record text not null, saved_at integer not null);`,
  `create table events (player text not null, seq integer not null, body text not null, primary key (player, seq)) without rowid;`,
  // A row of events may hold several (one per line), keyed by the last one's number; a room row
  // says which journal entries it already holds; the journal is one row per turn, its ids never
  // reused (autoincrement) so that a room's `applied` keeps meaning the same entries.
  `alter table rooms add column applied integer not null default 0;
   create table journal (id integer primary key autoincrement, body text not null);`,
  // Finished rounds, for the leaderboard and the statistics: one row per player per round, the round's own
  // columns repeated (a round nobody guessed in is one row without a player), so a plain game found is one insert.
  `create table results (
     round_id integer not null, ended_at integer not null, room text, mode text not null, dialect text not null,
     round integer not null, min integer not null, max integer not null, bound integer not null, secret integer not null,
     reason text not null, match_end integer not null, match_winner text, match_winner_key text, match_winner_bot integer,
     name text, name_key text, bot text, attempts integer, ms integer, found integer, won integer);
   create index results_ended_at on results (ended_at);`,
  // A row of events is a turn's worth for one player, often 2 KB: kept in the table's own B-tree
  // (rowids, appended at its end) rather than in a key without rowid, where rows that large spill
  // onto overflow pages and every insert rewrites several pages of the log.
  `create table events_by_rowid (player text not null, seq integer not null, body text not null);
   insert into events_by_rowid (player, seq, body) select player, seq, body from events order by player, seq;
   drop table events;
   alter table events_by_rowid rename to events;
   create unique index events_player_seq on events (player, seq);`,
  // Journal ids are given by the store, above every id a kept room holds (see SqliteStore): with
  // autoincrement, every commit also rewrote sqlite_sequence's page, a sixth of a lone player's
  // commit.
  `create table journal_by_id (id integer primary key, body text not null);
   insert into journal_by_id (id, body) select id, body from journal order by id;
   drop table journal;
   alter table journal_by_id rename to journal;
   delete from sqlite_sequence where name = 'journal';`,
  // No table changes: journal lines may now be won guesses, with the time and the numbers drawn
  // (see Hub), which a server of version 6 would take for a file that is not its own.
  `select 1;`,
  // No table changes: a turn of guesses alone may be in the side journal beside the file (see
  // SideJournal), which a server of version 7 would not read.
  `select 1;`,
  // No table changes: a finished round's result may wait for the next transaction while the guess
  // that ended it is in the journal, and a restart keeps again the rounds of journal rows past the
  // meta key 'results-through' (see Hub.record), which a server of version 8 would not.
  `select 1;`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function userVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Runs the migrations the file lacks; the caller has checked it is ours and not newer. */
export function migrate(db: Database): void {
  const from = userVersion(db);
  if (from === SCHEMA_VERSION) return;
  db.transaction(() => {
    for (const sql of MIGRATIONS.slice(from)) db.exec(sql);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

/** A file at version 0 holding tables is someone else's database, not an empty one of ours. */
export function hasForeignTables(db: Database): boolean {
  return userVersion(db) === 0 && db.prepare('select count(*) from sqlite_schema').pluck().get() !== 0;
}

import type { Database } from 'better-sqlite3';
import { periodStart, rankLeaderboard, type Leaderboard, type LeaderboardQuery, type ResultFilter } from '../core/leaderboard.js';
import type { RoundResult } from '../core/results.js';
import { openForReading, openForWriting } from './open.js';
import { ResultTables } from './results.js';

/**
 * What `guess stats` reads: the leaderboard and the rounds kept in a server's file. Reads only,
 * so it works while a server has the file; a file from before results were kept has none.
 */
export function readStats(path: string, query: LeaderboardQuery, now: number): { leaderboard: Leaderboard; results: RoundResult[] } {
  const db = openForReading(path);
  try {
    const since = periodStart(query.period, now);
    const tables = hasResults(db) ? new ResultTables(db) : undefined;
    const filter: ResultFilter = { mode: query.mode, since };
    return {
      leaderboard: tables?.leaderboard(query, since) ?? rankLeaderboard([], query),
      results: tables?.results(filter) ?? [],
    };
  } finally {
    db.close();
  }
}

function hasResults(db: Database): boolean {
  return db.prepare("select count(*) from sqlite_schema where type = 'table' and name = 'results'").pluck().get() === 1;
}

/**
 * `guess stats --forget NAME`: deletes the person's rows, in one transaction. It writes, so it
 * takes the file as a server does: refused while a server has it.
 */
export function forgetPlayer(path: string, name: string): number {
  const { db, close } = openForWriting(path);
  try {
    // exec, not db.transaction(): its statements would be left to the garbage collector (see handles.ts).
    db.exec('begin immediate');
    try {
      const rounds = new ResultTables(db).forget(name);
      db.exec('commit');
      return rounds;
    } catch (error) {
      db.exec('rollback');
      throw error;
    }
  } finally {
    close();
  }
}

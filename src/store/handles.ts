import BetterSqlite3, { type Database, type Options, type PragmaOptions } from 'better-sqlite3';

/**
 * better-sqlite3 12.x on Node 24 aborts the whole process when the garbage collector finalizes
 * one of its Database or Statement objects (its destructor calls
 * node::RemoveEnvironmentCleanupHook, which asserts on an environment a GC callback does not
 * have). 13.x would not run on Node 20. So every handle the store makes is kept for the life of
 * the process: a server makes a dozen, once; a test process a few hundred. A statement's
 * `iterate()` makes such an object per call too: the store reads with `all()` instead.
 */
const kept: object[] = [];

function keep<T extends object>(handle: T): T {
  kept.push(handle);
  return handle;
}

/** `new Database(…)`, whose statements (`prepare`, `pragma`) are never left to the garbage collector. */
export function openDatabase(filename?: string, options?: Options): Database {
  const db = keep(new BetterSqlite3(filename, options));
  const prepare = db.prepare.bind(db);
  db.prepare = (source: string) => keep(prepare(source));
  // The library's own pragma() makes a statement of its own, out of reach of `prepare` above.
  db.pragma = (source: string, pragma?: PragmaOptions): unknown => {
    const statement = db.prepare(`PRAGMA ${source}`);
    if (!statement.reader) {
      statement.run();
      return pragma?.simple === true ? undefined : [];
    }
    return pragma?.simple === true ? statement.pluck().get() : statement.all();
  };
  return db;
}

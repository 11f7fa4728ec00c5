import { openDatabase } from './handles.js';
import { sqliteCode, StoreError } from './errors.js';

/**
 * Holds `PATH-lock` for as long as the server runs, so a second server never writes the same
 * games. The lock is SQLite's own on a companion database (an OS file lock the OS drops when the
 * process dies, even by SIGKILL): a write transaction begun and never committed. It sits beside
 * the main file rather than on it so that readers (`guess db info`, `guess db backup`) still can
 * read the main file while the server runs. The file is never deleted: unlinking a lock file
 * someone may be opening lets two processes each hold a lock on a different file.
 */
export function holdLock(path: string): () => void {
  const lockPath = `${path}-lock`;
  let lock;
  try {
    lock = openDatabase(lockPath, { timeout: 0 });
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('begin exclusive');
  } catch (error) {
    lock?.close();
    if (sqliteCode(error)?.startsWith('SQLITE_BUSY') === true) {
      throw new StoreError('E_DB_IN_USE', `${path} is in use by another running guess server: stop it, or give this one another --db or --port`);
    }
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    throw new StoreError('E_DB_UNREADABLE', `cannot lock ${path} (through ${lockPath}): ${reason}`);
  }
  return () => lock.close();
}

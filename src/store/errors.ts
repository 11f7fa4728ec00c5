/** Why a store file could not be opened; the message is one line that names the file. */
export type StoreErrorCode = 'E_DB_NEWER' | 'E_DB_CORRUPT' | 'E_DB_UNREADABLE' | 'E_DB_LOCKED' | 'E_DB_IN_USE';

export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** SQLite's result codes as better-sqlite3 names them (`SQLITE_BUSY`, `SQLITE_IOERR_READ`, …). */
export function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/** What went wrong with `path`, as the one line an operator reads. */
export function explain(path: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const code = sqliteCode(error) ?? (error as NodeJS.ErrnoException | null)?.code ?? '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return locked(path);
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) return corrupt(path);
  const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  return new StoreError('E_DB_UNREADABLE', `cannot use ${path}: ${reason}`);
}

export function corrupt(path: string): StoreError {
  return new StoreError('E_DB_CORRUPT', `${path} is not a guess-a-number database (not SQLite, or damaged); it was left as it is: move it away or choose another --db`);
}

export function locked(path: string): StoreError {
  return new StoreError('E_DB_LOCKED', `${path} is locked by another program; it was left as it is: close that program and try again`);
}

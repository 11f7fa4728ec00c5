import { closeSync, existsSync, fdatasync, fdatasyncSync, ftruncateSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

/** A journal row: one turn's guesses, one line each (see Hub). */
export interface JournalRow {
  readonly id: number;
  readonly body: string;
}

/** The two files beside the database, used in turn (see SideJournal). */
export function sideJournalPaths(database: string): readonly [string, string] {
  return [`${database}-guesses-0`, `${database}-guesses-1`];
}

/**
 * Rows as written: `ID BYTES SUM`, a newline, the body, a newline. SUM (FNV-1a over the body's
 * UTF-16 code units) and BYTES tell a whole row from what a power cut or a kill in the middle of
 * a write left at the end of the file.
 */
export function encodeRows(rows: readonly JournalRow[]): string {
  let text = '';
  for (const { id, body } of rows) text += `${id} ${Buffer.byteLength(body)} ${checksum(body)}\n${body}\n`;
  return text;
}

/** The whole rows at the start of `bytes`, and where they end: anything after is a torn tail. */
export function decodeRows(bytes: Buffer): { rows: JournalRow[]; end: number } {
  const rows: JournalRow[] = [];
  let at = 0;
  for (;;) {
    const eol = bytes.indexOf(0x0a, at);
    if (eol < 0) break;
    const header = /^(\d+) (\d+) (\d+)$/.exec(bytes.toString('latin1', at, eol));
    if (header === null) break;
    const start = eol + 1;
    const end = start + Number(header[2]);
    if (end >= bytes.length || bytes[end] !== 0x0a) break;
    const body = bytes.toString('utf8', start, end);
    if (checksum(body) !== Number(header[3])) break;
    rows.push({ id: Number(header[1]), body });
    at = end + 1;
  }
  return { rows, end: at };
}

/** The rows both files hold now, oldest first (for `guess db info` and `guess db backup`, which only read). */
export function readSideRows(database: string): JournalRow[] {
  const rows = sideJournalPaths(database).flatMap((path) => (existsSync(path) ? decodeRows(readFileSync(path)).rows : []));
  return rows.sort((a, b) => a.id - b.id);
}

interface SideFile {
  readonly path: string;
  readonly fd: number;
  /** Holds rows (copied into the database or not). */
  used: boolean;
  /** Every row it held then is in the database as of this commit (once that commit is on disk, the file may be emptied). */
  copiedAt: number | undefined;
  /** Holds rows written since `copiedAt`: it is not emptied then. */
  fresh: boolean;
}

/**
 * The journal rows of turns that wrote nothing else (most guesses: see Hub), appended to a file
 * beside the database with one `write` each, where a SQLite transaction would cost several
 * system calls and pages of its log: what a lone player's every guess waits for. Such a row is
 * as safe as a commit: in the operating system's hands before its reply leaves, synced with the
 * database's log (`sync`).
 *
 * The next transaction copies the rows into the database's journal table. A file is emptied only
 * once that transaction is on disk (after a sync), so a power cut in between finds each row in
 * one place or the other; meanwhile new rows go to the other file. At start, the rows of both
 * files the database lacks are the store's to copy; a torn tail is cut off.
 */
export class SideJournal {
  readonly #files: [SideFile, SideFile];
  #active: 0 | 1 = 0;
  /** Rows found at start, oldest first. */
  readonly found: JournalRow[];
  /** The largest id found at start (0 if none). */
  readonly largestFound: number;

  constructor(database: string) {
    const found: JournalRow[] = [];
    this.#files = sideJournalPaths(database).map((path) => {
      const bytes = existsSync(path) ? readFileSync(path) : Buffer.alloc(0);
      const { rows, end } = decodeRows(bytes);
      found.push(...rows);
      // O_APPEND: every write lands at the end, also after the file was emptied.
      const fd = openSync(path, 'a');
      if (end < bytes.length) ftruncateSync(fd, end);
      return { path, fd, used: rows.length > 0, copiedAt: undefined, fresh: rows.length > 0 };
    }) as [SideFile, SideFile];
    this.found = found.sort((a, b) => a.id - b.id);
    this.largestFound = this.found.at(-1)?.id ?? 0;
  }

  append(rows: readonly JournalRow[]): void {
    const file = this.#files[this.#active];
    writeSync(file.fd, encodeRows(rows));
    file.used = true;
    file.fresh = true;
  }

  /**
   * Commit `commit` holds every row written so far: each used file may be emptied once it is on
   * disk. New rows go to the other file, if that one is empty by now.
   */
  copied(commit: number): void {
    for (const file of this.#files) {
      if (!file.used) continue;
      file.copiedAt = commit;
      file.fresh = false;
    }
    const other = this.#active === 0 ? 1 : 0;
    if (!this.#files[other].used) this.#active = other;
  }

  /** The files' descriptors, for a sync that puts their rows on disk. */
  get fds(): readonly number[] {
    return this.#files.map((file) => file.fd);
  }

  syncNow(): void {
    for (const file of this.#files) fdatasyncSync(file.fd);
  }

  /** Commit `commit` is on disk: the files whose rows it holds are emptied, unless rows came since. */
  durable(commit: number): void {
    for (const file of this.#files) {
      if (file.copiedAt === undefined || file.copiedAt > commit || file.fresh) continue;
      ftruncateSync(file.fd, 0);
      file.used = false;
      file.copiedAt = undefined;
    }
  }

  /** Closed with every row in the database, on disk: the files go. */
  close(): void {
    for (const file of this.#files) {
      closeSync(file.fd);
      rmSync(file.path, { force: true });
    }
  }
}

/** fdatasync of every descriptor at once (the disk runs them side by side); `done` once all are on disk, with the first error. */
export function fdatasyncAll(fds: readonly number[], done: (error: Error | undefined) => void): void {
  let left = fds.length;
  let failure: Error | undefined;
  if (left === 0) done(undefined);
  for (const fd of fds) {
    fdatasync(fd, (error) => {
      failure ??= error ?? undefined;
      if (--left === 0) done(failure);
    });
  }
}

function checksum(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

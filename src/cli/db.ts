import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULTS } from '../server/config.js';
import { backupDatabase, describeDatabase, type DatabaseInfo } from '../store/inspect.js';
import { SCHEMA_VERSION } from '../store/schema.js';
import { StoreError } from '../store/errors.js';
import { portFlag, UsageError, type ParsedArgs } from './args.js';
import { defaultDbPath } from './data-dir.js';

/** `guess db info` and `guess db backup FILE`: they only read the file a server keeps its games in. */
export async function db(args: ParsedArgs): Promise<number> {
  const [action, file] = args.positionals;
  if (action === 'info') {
    if (file !== undefined) throw new UsageError(`unexpected argument '${file}' (see: guess help db)`);
    process.stdout.write(formatInfo(describeDatabase(sourcePath(args.values))));
    return 0;
  }
  if (action === 'backup') {
    if (file === undefined || file === '') throw new UsageError('guess db backup needs the FILE to write (see: guess help db)');
    const path = sourcePath(args.values);
    if (existsSync(file)) throw new Error(`${file} already exists: choose another name (a backup never overwrites a file)`);
    try {
      await backupDatabase(path, file);
    } catch (error) {
      if (error instanceof StoreError) throw error;
      throw new Error(`cannot back up ${path} to ${file}: ${(error as Error).message.split('\n')[0] ?? ''}`, { cause: error });
    }
    process.stdout.write(`Backed up ${path} to ${file}\n`);
    return 0;
  }
  throw new UsageError(action === undefined ? 'guess db needs info or backup (see: guess help db)' : `unknown db command '${action}': info or backup (see: guess help db)`);
}

/** The file named by --db, or the default one of the server on --port. */
export function sourcePath(values: ParsedArgs['values']): string {
  const flag = values.db;
  const port = portFlag(values);
  if (typeof flag === 'string') {
    if (port !== undefined) throw new UsageError('give --db or --port, not both');
    if (flag === ':memory:' || flag === '') throw new UsageError('--db needs the file a server keeps its games in');
    return resolve(flag);
  }
  const path = defaultDbPath(port ?? DEFAULTS.port);
  if (path === undefined) throw new UsageError('a server on --port 0 keeps nothing: name its file with --db PATH');
  return path;
}

function formatInfo(info: DatabaseInfo): string {
  const newer = info.version > SCHEMA_VERSION ? ` (newer than this guess-a-number, which knows up to ${SCHEMA_VERSION})` : '';
  const rows = [
    ['File', info.path],
    ['Schema version', `${info.version}${newer}`],
    ['Size', `${info.bytes.toLocaleString('en-US')} bytes${info.walBytes > 0 ? ` (and ${info.walBytes.toLocaleString('en-US')} in its write-ahead log)` : ''}`],
    ['Rooms', String(info.rooms)],
    ['Players', `${info.players} seated, ${info.bots} ${info.bots === 1 ? 'bot' : 'bots'}, ${info.spectators} watching`],
    ['Events kept', `${info.events} for ${info.eventPlayers} ${info.eventPlayers === 1 ? 'player' : 'players'} (replayed on resume)`],
    ['Journal', `${info.journal} ${info.journal === 1 ? 'guess' : 'guesses'} not yet in their rooms (replayed at start)`],
  ];
  return rows.map(([name = '', value = '']) => `${`${name}:`.padEnd(16)}${value}\n`).join('');
}

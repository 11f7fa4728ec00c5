import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { UsageError, type ParsedArgs } from './args.js';

export const IN_MEMORY = ':memory:';

/**
 * The file a server on `port` keeps its games in unless told otherwise: one per port, so two
 * servers on two ports never share one and a restart on the same port finds its games. Port 0 is
 * a different port every time, so nothing kept under it could ever be found again.
 */
export function defaultDbPath(port: number, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (port === 0) return undefined;
  const dataHome = env.XDG_DATA_HOME !== undefined && env.XDG_DATA_HOME !== '' ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share');
  return join(dataHome, 'guess-a-number', `${port}.db`);
}

/** Where `guess serve` keeps its games: `--db`, else the per-port default (its directory created). */
export function serverDbPath(values: ParsedArgs['values'], port: number): string {
  const flag = values.db;
  if (typeof flag === 'string') {
    if (flag === '') throw new UsageError('--db needs a file name (or :memory:)');
    return flag === IN_MEMORY ? flag : resolve(flag);
  }
  const path = defaultDbPath(port);
  if (path === undefined) return IN_MEMORY;
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw new Error(`cannot create ${dirname(path)} for the games: ${(error as Error).message}`, { cause: error });
  }
  return path;
}

import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { AddressInfo } from 'node:net';
import { DEFAULT_RANGE } from '../core/game.js';
import type { Logger } from 'pino';
import { FSYNC_POLICIES, resolveConfig, type FsyncPolicy, type ServerConfig, type ServerOptions } from '../server/config.js';
import { isWildcard, lanAddresses } from '../server/address.js';
import { redisLocation } from '../server/registry.js';
import { isShared } from '../server/store.js';
import { createGameServer, type GameServer } from '../server/server.js';
import { intFlag, portFlag, rangeFlags, redisFlag, UsageError, type ParsedArgs } from './args.js';
import { openSqliteStore } from '../store/sqlite.js';
import { IN_MEMORY, serverDbPath } from './data-dir.js';
import { createLogger } from './logger.js';
import { chooseRandom } from './random.js';
import { superviseWorkers, TEACHER_KEY_ENV, workerNumber } from './workers.js';

/** How long a stopping server of a cluster waits for Redis to take its last commits. */
const SETTLE_MS = 5_000;

/**
 * A drained server whose stores are closed exits by itself; if something still holds its event
 * loop this long afterwards (a Redis client that reconnected after it was destroyed was seen to),
 * it exits anyway.
 */
const EXIT_GRACE_MS = 250;

export async function serve(args: ParsedArgs): Promise<number> {
  const { values } = args;
  const seed = intFlag(values, 'seed');
  const worker = workerNumber();
  // A worker's lines say which worker wrote them: N processes share one stdout.
  const logger = createLogger(stringFlag(values, 'log-level'), stringFlag(values, 'log-format'), process.stdout);
  const log = worker === undefined ? logger : logger.child({ worker });
  const trace = values.trace === true ? (line: string) => process.stderr.write(`${line}\n`) : undefined;
  const teacherKey = teacherKeyFlag(values);
  const options: ServerOptions = {
    random: chooseRandom(seed),
    log,
    trace,
    teacherKey,
    range: rangeFlags(values, DEFAULT_RANGE),
    ...definedOnly({
      host: stringFlag(values, 'host'),
      port: portFlag(values),
      maxLineBytes: intFlag(values, 'max-line-bytes'),
      rooms: definedOnly({
        seatHoldMs: intFlag(values, 'seat-hold-ms'),
        pickTimeoutMs: intFlag(values, 'pick-timeout-ms'),
        botDelayMs: intFlag(values, 'bot-delay-ms'),
      }),
      allowedOrigins: stringFlag(values, 'allow-origin')?.split(',').map((origin) => origin.trim()).filter((origin) => origin !== ''),
      retryAfterMs: intFlag(values, 'retry-after-ms'),
      keepResultsDays: intFlag(values, 'keep-results-days'),
      fsync: fsyncFlag(values),
      ...limitFlags(values),
    }),
  };
  // Every flag is checked before the games' file is opened: a mistyped flag touches no file.
  const { port } = usable(options);
  const redis = redisFlag(values);
  const workers = workersFlag(values, redis);
  // With Redis, the games are kept there (each server's rooms, for another to take over): no file.
  if (redis !== undefined && typeof values.db === 'string' && values.db !== IN_MEMORY) {
    throw new UsageError('--db FILE has no use with --redis: the games are kept in Redis (leave --db out, or give --db :memory:)');
  }
  const path = redis === undefined ? serverDbPath(values, port) : IN_MEMORY;
  const redisLine = redis === undefined ? undefined : `Room codes are shared through Redis at ${redisLocation(redis)}`;
  const kept = redis === undefined ? path : `Redis at ${redisLocation(redis)}, where another server of the cluster takes them over if this one dies`;
  if (workers !== undefined && worker === undefined) {
    return superviseWorkers(workers, teacherKey, log, (address) => {
      printBanner(address, { kept, redisLine, teacherKey, seed, workers });
    });
  }
  // The Redis client is loaded only for a cluster: 10 MB a server alone would carry for nothing.
  const store = redis === undefined ? openSqliteStore(path) : new (await import('../store/redis-store.js')).RedisStore(redis);
  // Its own draws (the same sequence as the secrets' with --seed, so seeded servers try the same codes).
  const registry = redis === undefined ? undefined : new (await import('../store/redis-registry.js')).RedisRegistry(redis, chooseRandom(seed), log);
  const sharedResults = redis === undefined ? undefined : new (await import('../store/redis-results.js')).RedisResults(redis, log);
  const closeStores = async (): Promise<void> => {
    // The last commits reach Redis before the lease ends and another server takes the rooms.
    if (isShared(store)) await Promise.race([store.settled(), delay(SETTLE_MS, undefined, { ref: false })]);
    await registry?.close();
    await sharedResults?.close();
    store.close();
  };
  let server;
  try {
    server = createGameServer({ ...options, store, registry, sharedResults });
  } catch (error) {
    await closeStores();
    throw error;
  }
  const { host } = server.config;
  let address;
  try {
    address = await server.listen();
  } catch (error) {
    await closeStores();
    process.stderr.write(`guess: ${describeListenError(error as NodeJS.ErrnoException, host, server.config.port)}\n`);
    return 1;
  }
  // Before the line that tells the world we listen: a signal sent on seeing it must drain, not
  // meet the default action and kill the process.
  const stopped = drainOnSignal(server, log, worker !== undefined)
    .finally(closeStores)
    // A worker's channel to the process that started it would keep it alive.
    .finally(() => {
      if (worker !== undefined) process.disconnect();
    })
    // Unref'd: a process with nothing left open exits before it rings.
    .then((code) => {
      setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
      return code;
    });
  // A worker's address is printed once, by the process that started them all.
  if (worker === undefined) printBanner(address, { kept, redisLine, teacherKey, seed, workers: undefined });
  return stopped;
}

/** What `guess serve` prints once it listens: where the games are kept, and how to connect. */
function printBanner(
  address: AddressInfo,
  about: { readonly kept: string; readonly redisLine: string | undefined; readonly teacherKey: string; readonly seed: number | undefined; readonly workers: number | undefined },
): void {
  const { kept, redisLine, teacherKey, seed, workers } = about;
  process.stdout.write(kept === IN_MEMORY ? 'Games are kept in memory only: a restart forgets them\n' : `Games are kept in ${kept}\n`);
  if (redisLine !== undefined) process.stdout.write(`${redisLine}\n`);
  if (workers !== undefined) process.stdout.write(`${workers} worker processes share this port, each a server of the cluster\n`);
  const bracketed = (ip: string): string => (ip.includes(':') ? `[${ip}]` : ip);
  process.stdout.write(`Listening on ${bracketed(address.address)}:${address.port}\n`);
  // Nothing can connect to the wildcard address itself: on this machine, loopback reaches it.
  const wildcard = isWildcard(address.address);
  const local = address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address;
  process.stdout.write(`Open in a browser:  http://${bracketed(local)}:${address.port}/\n`);
  process.stdout.write(`Play from another terminal:  npx guess join ${bracketed(local)}:${address.port}   (or: nc ${local} ${address.port})\n`);
  // Printed, never logged: whoever reads the logs is not always the teacher.
  process.stdout.write(`Teacher's view (keep this link to yourself):  http://${bracketed(local)}:${address.port}/class?key=${teacherKey}\n`);
  if (wildcard) {
    const lan = lanAddresses();
    process.stdout.write(
      `Warning: listening on every network interface — anyone who can reach this machine can connect.\n` +
        (lan.length === 0
          ? ''
          : `Friends on your network join with:  npx guess join ${lan[0] ?? ''}:${address.port}   (or: nc ${lan[0] ?? ''} ${address.port}; addresses: ${lan.join(', ')})\n` +
            `or in a browser:  http://${lan[0] ?? ''}:${address.port}/\n`),
    );
  }
  if (seed !== undefined) process.stdout.write(`Warning: --seed makes every secret predictable; use it for testing only.\n`);
}

/** `--workers N`: 1 to 64 processes, which share rooms through Redis (so it needs `--redis`). */
function workersFlag(values: ParsedArgs['values'], redis: string | undefined): number | undefined {
  const workers = intFlag(values, 'workers');
  if (workers === undefined) return undefined;
  if (!Number.isSafeInteger(workers) || workers < 1 || workers > 64) throw new UsageError('--workers must be a number of processes from 1 to 64');
  if (redis === undefined) throw new UsageError('--workers needs --redis URL: the workers share their rooms through Redis');
  return workers;
}

/**
 * SIGINT or SIGTERM drains: no new connections, a goodbye to every client in its dialect, exit 0
 * once the goodbyes are flushed (the deadline cuts off peers whose buffers stay full). A second
 * signal exits at once. An error nothing else caught is logged and drains too, with exit 1: the
 * server's state may no longer be sound.
 */
function drainOnSignal(server: GameServer, log: Logger, worker: boolean): Promise<number> {
  return new Promise((resolve) => {
    let code = 0;
    const drain = (reason: string): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      // A worker's SIGINT is the terminal's Ctrl-C, which may come after the SIGTERM that its
      // starter sent for that same Ctrl-C: it is no second signal (see below).
      if (!worker) process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      log.info({ reason, connections: server.connections, deadlineMs: server.config.shutdownTimeoutMs }, 'Shutting down');
      void server.shutdown().then(() => {
        log.info({}, 'Stopped');
        resolve(code);
      });
    };
    const onSignal = (signal: NodeJS.Signals): void => drain(signal);
    const onUncaught = (error: unknown): void => {
      log.fatal({ err: error }, 'Unexpected internal error; shutting down');
      if (code !== 0) return;
      code = 1;
      drain('internal-error');
    };
    // A worker's Ctrl-C comes from the process that started it, as a SIGTERM: the terminal's own
    // SIGINT, which reaches the whole group, would make that the second signal, which exits at once.
    if (worker) process.on('SIGINT', () => undefined);
    else process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
  });
}

/** `--teacher-key`, or a new random key: 144 bits, URL-safe, so the link needs no escaping. */
function teacherKeyFlag(values: ParsedArgs['values']): string {
  const given = stringFlag(values, 'teacher-key') ?? (workerNumber() === undefined ? undefined : process.env[TEACHER_KEY_ENV]);
  if (given === undefined) return randomBytes(18).toString('base64url');
  if (!/^[A-Za-z0-9_-]{8,128}$/.test(given)) throw new UsageError('--teacher-key must be 8 to 128 letters, digits, "-" or "_"');
  return given;
}

/** The resolved config, or the first bad flag as a usage error. */
function usable(options: ServerOptions): ServerConfig {
  try {
    return resolveConfig(options);
  } catch (error) {
    if (error instanceof TypeError) throw new UsageError(asFlags(error.message));
    throw error;
  }
}

/** The `--max-…` and `--…-timeout-ms` flags, by their config names. */
function limitFlags(values: ParsedArgs['values']): Partial<ServerConfig> {
  return definedOnly({
    maxConnections: intFlag(values, 'max-connections'),
    maxConnectionsPerIp: intFlag(values, 'max-connections-per-ip'),
    maxMessagesPerSecond: intFlag(values, 'max-messages-per-second'),
    limitLoopback: values['limit-loopback'] === true ? true : undefined,
    idleTimeoutMs: intFlag(values, 'idle-timeout-ms'),
    firstMessageTimeoutMs: intFlag(values, 'first-message-timeout-ms'),
    maxOutputBytes: intFlag(values, 'max-output-bytes'),
    writeTimeoutMs: intFlag(values, 'write-timeout-ms'),
    maxWsPayloadBytes: intFlag(values, 'max-ws-payload-bytes'),
    maxRooms: intFlag(values, 'max-rooms'),
    shutdownTimeoutMs: intFlag(values, 'shutdown-timeout-ms'),
  });
}

/** Config names in a message, as the flags a user types: `maxConnections` → `--max-connections`. */
function asFlags(message: string): string {
  return message.replace(/\b(max[A-Z]\w*|\w+TimeoutMs|retryAfterMs|keepResultsDays)\b/g, (name) => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
}

function fsyncFlag(values: ParsedArgs['values']): FsyncPolicy | undefined {
  const value = stringFlag(values, 'fsync');
  if (value === undefined || (FSYNC_POLICIES as readonly string[]).includes(value)) return value as FsyncPolicy | undefined;
  throw new UsageError(`--fsync must be ${FSYNC_POLICIES.join(' or ')}, got '${value}'`);
}

function stringFlag(values: ParsedArgs['values'], flag: string): string | undefined {
  const value = values[flag];
  return typeof value === 'string' ? value : undefined;
}

function definedOnly<T extends object>(object: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

function describeListenError(error: NodeJS.ErrnoException, host: string, port: number): string {
  switch (error.code) {
    case 'EADDRINUSE':
      return `port ${port} is in use — is another server running? Try --port`;
    case 'EACCES':
      return `not allowed to listen on port ${port} — ports below 1024 need privileges; try --port 65432`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot listen on ${host}: this machine has no such address — try --host 127.0.0.1 or --host 0.0.0.0`;
    default:
      return `cannot listen on ${host}:${port}: ${error.message}`;
  }
}

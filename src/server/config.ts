import { fileURLToPath } from 'node:url';
import { DEFAULT_RANGE, type Range } from '../core/game.js';
import type { RandomInt } from '../core/random.js';
import { rangeProblem } from '../core/range.js';
import { DEFAULT_RULES, type RoomRules } from '../core/room-rules.js';
import type { RoomRegistry } from './registry.js';
import type { SharedResults } from './shared-results.js';
import type { Store } from './store.js';

/** The part of a pino logger the server uses; any logger of that shape will do. */
export interface Log {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
  debug(fields: object, message: string): void;
  /** pino's: lets a connection skip building log lines nobody will see. Absent means yes. */
  isLevelEnabled?(level: 'info' | 'debug'): boolean;
}

export interface ServerConfig {
  /** Address to bind. Loopback unless told otherwise: the game is not exposed by accident. */
  readonly host: string;
  /** The chapter's port. 0 asks the OS for a free one (tests do). */
  readonly port: number;
  readonly range: Range;
  /** Where secrets come from: node:crypto by default, a seeded generator with `--seed`. */
  readonly random: RandomInt;
  /** Longest message in bytes, line ending excluded. A longer one is an error and closes the connection. */
  readonly maxLineBytes: number;
  /**
   * Milliseconds of silence after bytes with no line ending that make them one classic message
   * (the chapter's client sends `42` with no newline and waits). Long enough for the rest of a
   * line TCP split, short enough that a person never notices it.
   */
  readonly classicQuietMs: number;
  /**
   * Page origins, besides the server's own, allowed to open its WebSocket (`*` for any). A
   * browser's handshake from any other origin is refused (see origin.ts).
   */
  readonly allowedOrigins: readonly string[];
  /** The built web client's directory (dist/web). */
  readonly webRoot: string;
  /** Rooms: sizes and timings (seat kept for `resume`, pick timeout, bot pace, empty-room close). */
  readonly rooms: RoomRules;
  /** Open connections at most; one more is refused with one line in its dialect, then closed. */
  readonly maxConnections: number;
  /** Open connections from one IP address at most (loopback exempt unless `limitLoopback`). */
  readonly maxConnectionsPerIp: number;
  /** Messages per second one connection may send (loopback exempt unless `limitLoopback`). */
  readonly maxMessagesPerSecond: number;
  /** Apply the per-address and per-connection rate limits to loopback peers too. */
  readonly limitLoopback: boolean;
  /** A connection that sends nothing for this long is told so and closed. */
  readonly idleTimeoutMs: number;
  /** A new connection must have sent a whole first message (its dialect decided) within this. */
  readonly firstMessageTimeoutMs: number;
  /** Replies waiting unread for one connection at most, in bytes; past it the connection is dropped. */
  readonly maxOutputBytes: number;
  /** A peer whose replies have waited unread this long is dropped. */
  readonly writeTimeoutMs: number;
  /** Largest WebSocket message accepted, in bytes (`ws` maxPayload). */
  readonly maxWsPayloadBytes: number;
  /** How often each WebSocket is pinged; one that has not answered the previous ping is closed. */
  readonly wsPingMs: number;
  /** Rooms open at once on this server at most. */
  readonly maxRooms: number;
  /** After SIGINT/SIGTERM, how long clients get to take their goodbye before they are cut off. */
  readonly shutdownTimeoutMs: number;
  /** What the `shutdown` goodbye tells clients to wait before they reconnect: about what a restart takes. Seats are held at least this long. */
  readonly retryAfterMs: number;
  /** Finished rounds older than this many days are deleted (at start, then every hour); undefined keeps them forever. */
  readonly keepResultsDays: number | undefined;
  /** Where rooms, seats and events are kept; in memory (a restart forgets them) when undefined. */
  readonly store: Store | undefined;
  /** Where room codes are unique across servers (`--redis`); this server alone when undefined. */
  readonly registry: RoomRegistry | undefined;
  /** Where every server of the cluster keeps its finished rounds (`--redis`), so that all show one leaderboard. */
  readonly sharedResults: SharedResults | undefined;
  /** How long a room's guesses may be kept only in the store's journal before its record is rewritten. */
  readonly foldAfterMs: number;
  /**
   * When commits reach the disk. `second`: a reply waits for its commit (in the operating
   * system's hands, so it survives the server being killed) and the log is flushed to the disk
   * every second, so a power cut may lose the last second. `commit`: a reply also waits for the
   * flush, so it survives a power cut too; each reply then costs a disk flush.
   */
  readonly fsync: FsyncPolicy;
  readonly log: Log;
  /** Receives one `--trace` line per message on the wire; off when undefined. */
  readonly trace: ((line: string) => void) | undefined;
  /** Opens `/class`, the teacher's view of every room, to whoever has it; undefined keeps `/class` shut. */
  readonly teacherKey: string | undefined;
}

export const FSYNC_POLICIES = ['second', 'commit'] as const;
export type FsyncPolicy = (typeof FSYNC_POLICIES)[number];

/**
 * Where `npm run build` writes the bundled browser client (dist/web), seen from dist/src/server/.
 * Here rather than beside the code that serves it: the CLI's help reads these defaults, and
 * `guess play` should not load the server's compression and hashing to print them.
 */
const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));

export const DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 65432,
  range: DEFAULT_RANGE,
  // Every limit lives here, with its unit and why it has this value; docs/PROTOCOL.md "Limits"
  // shows the same table. Benchmarks open 10,000 connections from 127.0.0.1 and pipeline tens
  // of thousands of guesses per second on one connection: no default may get in their way.
  maxLineBytes: 1024, // bytes: a guess is a few digits and a JSON message a few hundred bytes
  classicQuietMs: 40, // ms: the rest of a split guess arrives well within it; no person notices it
  maxConnections: 16_384, // connections: the benchmark's 10,000 and room to spare, below a 20,000-fd ulimit
  maxConnectionsPerIp: 256, // connections: a classroom behind one NAT fits; loopback is exempt
  maxMessagesPerSecond: 10_000, // messages/s per connection: far above any person, loopback exempt
  limitLoopback: false, // the benchmark and acceptance tests run on loopback
  idleTimeoutMs: 600_000, // ms (10 min): a person may think a long time between guesses
  firstMessageTimeoutMs: 10_000, // ms: a real client sends its first message at once; slowloris does not
  maxOutputBytes: 4 * 1024 * 1024, // bytes: one 64 KiB read of empty lines yields 2.7 MB of replies
  writeTimeoutMs: 30_000, // ms: a reader that is merely slow drains well within it
  maxWsPayloadBytes: 1024, // bytes: a frame is one JSON message, so as long as a line (never less); ws's own default is 100 MiB
  wsPingMs: 30_000, // ms: a page that vanished (a laptop lid shut, Wi-Fi lost) is found within two of these
  maxRooms: 50_000, // rooms: 10,000 connections each in a room of its own, and again for the rooms of those who left, held for --seat-hold-ms
  shutdownTimeoutMs: 5_000, // ms: for goodbyes to flush to peers that read; a second signal skips it
  retryAfterMs: 3_000, // ms: a restart on the same store takes about a second; clients wait a little more
  foldAfterMs: 3_000, // ms: a restart replays at most about this much play (about 3 µs a guess: 0.4 s for 120,000); each room's record is rewritten once in it, not per guess, and at a thousand busy rooms a record a second per room cost 1.4 µs a guess
  fsync: 'second', // as SQLite's WAL mode advises and Redis does by default: a flush per reply would cost each reply a disk's latency
  allowedOrigins: Object.freeze([]),
  webRoot: DEFAULT_WEB_ROOT,
  rooms: DEFAULT_RULES,
});

export type ServerOptions = Partial<Omit<ServerConfig, 'rooms'>> & { readonly rooms?: Partial<RoomRules> } & Pick<ServerConfig, 'random' | 'log'>;

/** Fills in defaults, checks every value, and freezes the result. Throws a TypeError naming the bad option. */
export function resolveConfig(options: ServerOptions): ServerConfig {
  const config: ServerConfig = {
    host: options.host ?? DEFAULTS.host,
    port: options.port ?? DEFAULTS.port,
    range: options.range ?? DEFAULTS.range,
    random: options.random,
    maxLineBytes: options.maxLineBytes ?? DEFAULTS.maxLineBytes,
    classicQuietMs: options.classicQuietMs ?? DEFAULTS.classicQuietMs,
    allowedOrigins: Object.freeze([...(options.allowedOrigins ?? DEFAULTS.allowedOrigins)]),
    webRoot: options.webRoot ?? DEFAULTS.webRoot,
    rooms: Object.freeze({ ...DEFAULTS.rooms, ...options.rooms }),
    maxConnections: options.maxConnections ?? DEFAULTS.maxConnections,
    maxConnectionsPerIp: options.maxConnectionsPerIp ?? DEFAULTS.maxConnectionsPerIp,
    maxMessagesPerSecond: options.maxMessagesPerSecond ?? DEFAULTS.maxMessagesPerSecond,
    limitLoopback: options.limitLoopback ?? DEFAULTS.limitLoopback,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs,
    firstMessageTimeoutMs: options.firstMessageTimeoutMs ?? DEFAULTS.firstMessageTimeoutMs,
    maxOutputBytes: options.maxOutputBytes ?? DEFAULTS.maxOutputBytes,
    writeTimeoutMs: options.writeTimeoutMs ?? DEFAULTS.writeTimeoutMs,
    maxWsPayloadBytes: options.maxWsPayloadBytes ?? Math.max(DEFAULTS.maxWsPayloadBytes, options.maxLineBytes ?? DEFAULTS.maxLineBytes),
    wsPingMs: options.wsPingMs ?? DEFAULTS.wsPingMs,
    maxRooms: options.maxRooms ?? DEFAULTS.maxRooms,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? DEFAULTS.shutdownTimeoutMs,
    retryAfterMs: options.retryAfterMs ?? DEFAULTS.retryAfterMs,
    keepResultsDays: options.keepResultsDays,
    store: options.store,
    registry: options.registry,
    sharedResults: options.sharedResults,
    foldAfterMs: options.foldAfterMs ?? DEFAULTS.foldAfterMs,
    fsync: options.fsync ?? DEFAULTS.fsync,
    log: options.log,
    trace: options.trace,
    teacherKey: options.teacherKey,
  };
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) {
    throw new TypeError(`port must be an integer from 0 to 65535, got ${String(config.port)}`);
  }
  const problem = rangeProblem(config.range);
  if (problem !== undefined) throw new TypeError(problem);
  if (!Number.isInteger(config.maxLineBytes) || config.maxLineBytes < 16) {
    throw new TypeError(`maxLineBytes must be an integer of at least 16, got ${String(config.maxLineBytes)}`);
  }
  if (!Number.isFinite(config.classicQuietMs) || config.classicQuietMs <= 0) {
    throw new TypeError(`classicQuietMs must be a positive number of milliseconds, got ${String(config.classicQuietMs)}`);
  }
  for (const [name, value] of Object.entries(config.rooms)) {
    if (!Number.isSafeInteger(value) || value < (name === 'maxPlayers' ? 1 : 0)) {
      throw new TypeError(`rooms.${name} must be a non-negative integer, got ${String(value)}`);
    }
  }
  if (!Number.isSafeInteger(config.foldAfterMs) || config.foldAfterMs < 0) {
    throw new TypeError(`foldAfterMs must be a non-negative integer, got ${String(config.foldAfterMs)}`);
  }
  if (!FSYNC_POLICIES.includes(config.fsync)) {
    throw new TypeError(`fsync must be ${FSYNC_POLICIES.join(' or ')}, got ${JSON.stringify(config.fsync)}`);
  }
  for (const name of POSITIVE_INTEGERS) {
    const value = config[name];
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new TypeError(`${name} must be a positive integer, got ${String(value)}`);
    }
  }
  if (config.keepResultsDays !== undefined && (!Number.isSafeInteger(config.keepResultsDays) || config.keepResultsDays < 1)) {
    throw new TypeError(`keepResultsDays must be a positive integer, got ${String(config.keepResultsDays)}`);
  }
  if (config.maxWsPayloadBytes < config.maxLineBytes) {
    throw new TypeError(
      `maxWsPayloadBytes (${config.maxWsPayloadBytes}) must be at least maxLineBytes (${config.maxLineBytes}): a frame carries one message`,
    );
  }
  return Object.freeze(config);
}

const POSITIVE_INTEGERS = [
  'maxConnections',
  'maxConnectionsPerIp',
  'maxMessagesPerSecond',
  'idleTimeoutMs',
  'firstMessageTimeoutMs',
  'maxOutputBytes',
  'writeTimeoutMs',
  'maxWsPayloadBytes',
  'wsPingMs',
  'maxRooms',
  'shutdownTimeoutMs',
  'retryAfterMs',
] as const satisfies ReadonlyArray<keyof ServerConfig>;

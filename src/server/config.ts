import { DEFAULT_RANGE, type Range } from '../core/game.js';
import type { RandomInt } from '../core/random.js';
import { rangeProblem } from '../core/range.js';
import { DEFAULT_RULES, type RoomRules } from '../core/room.js';
import { DEFAULT_WEB_ROOT } from './web-assets.js';

/** The part of a pino logger the server uses; any logger of that shape will do. */
export interface Log {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
  debug(fields: object, message: string): void;
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
  readonly log: Log;
  /** Receives one `--trace` line per message on the wire; off when undefined. */
  readonly trace: ((line: string) => void) | undefined;
}

export const DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 65432,
  range: DEFAULT_RANGE,
  maxLineBytes: 1024, // bytes
  classicQuietMs: 40, // ms
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
    log: options.log,
    trace: options.trace,
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
  return Object.freeze(config);
}

import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { Range } from '../src/core/game.js';
import { BinarySearchBot } from './bot.js';
import type { BotDialect, DialectName, Link, Target } from './dialects.js';
import { DIALECTS } from './json-dialects.js';
import { Histogram } from './histogram.js';

export interface LoadOptions extends Target {
  readonly dialect: DialectName;
  readonly conns: number;
  /** Connects in flight at once: enough to connect 10,000 in seconds, few enough for the accept backlog. */
  readonly parallelConnects?: number;
  /** Attempts after the first for a connect that failed with a transient error. */
  readonly connectRetries?: number;
}

export interface ConnectReport {
  readonly connected: number;
  readonly failed: number;
  readonly retries: number;
  readonly firstFailure: string | undefined;
  readonly ms: number;
}

export interface LoadStats {
  readonly connected: number;
  /** Connections that got at least one reply since start(). */
  readonly served: number;
  /** Replies in the current window, and the window's length. */
  readonly replies: number;
  readonly windowMs: number;
  readonly rtt: Histogram;
  /** Errors since start(): inconsistent or unreadable replies, broken or closed connections. */
  readonly errors: number;
  readonly errorSamples: readonly string[];
}

/** Optional callbacks, for tests that wait on events rather than time. */
export interface LoadHooks {
  reply?(text: string): void;
  error?(message: string): void;
}

/** Transient connect failures under a burst of connects: worth another try. */
const RETRYABLE = new Set(['ECONNRESET', 'EAGAIN', 'ECONNREFUSED', 'ETIMEDOUT', 'EADDRNOTAVAIL']);
const MAX_SAMPLES = 5;

/**
 * Many bots, one connection each, one guess outstanding per connection. Every reply is timed and
 * checked by the bot; the first inconsistency on a connection counts as an error and retires it.
 */
export class Load {
  readonly options: LoadOptions;
  readonly #hooks: LoadHooks;
  readonly #dialect: BotDialect;
  readonly #players: Player[] = [];
  #rtt = new Histogram();
  #replies = 0;
  #windowStart = performance.now();
  #errors = 0;
  readonly #samples: string[] = [];
  #running = false;

  constructor(options: LoadOptions, hooks: LoadHooks = {}) {
    this.options = options;
    this.#hooks = hooks;
    this.#dialect = DIALECTS[options.dialect];
  }

  async connect(): Promise<ConnectReport> {
    const started = performance.now();
    const { conns, parallelConnects = 200, connectRetries = 5 } = this.options;
    let next = 0;
    let failed = 0;
    let retries = 0;
    let firstFailure: string | undefined;
    const worker = async (): Promise<void> => {
      while (next < conns) {
        next++;
        for (let attempt = 0; ; attempt++) {
          const player = new Player(this, this.#dialect, this.options.range);
          try {
            await player.open(this.options);
            this.#players.push(player);
            break;
          } catch (error) {
            const code = (error as NodeJS.ErrnoException).code ?? '';
            if (RETRYABLE.has(code) && attempt < connectRetries) {
              retries++;
              await delay(10 * 2 ** attempt);
              continue;
            }
            failed++;
            firstFailure ??= (error as Error).message;
            break;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallelConnects, conns) }, worker));
    return { connected: this.#players.length, failed, retries, firstFailure, ms: performance.now() - started };
  }

  /** Every bot sends its first guess. */
  start(): void {
    this.#running = true;
    this.mark();
    for (const player of this.#players) player.play();
  }

  /** Starts a new measuring window: replies and round trips before it are forgotten. */
  mark(): void {
    this.#rtt = new Histogram();
    this.#replies = 0;
    this.#windowStart = performance.now();
  }

  stats(): LoadStats {
    let served = 0;
    for (const player of this.#players) if (player.replies > 0) served++;
    return {
      connected: this.#players.length,
      served,
      replies: this.#replies,
      windowMs: performance.now() - this.#windowStart,
      rtt: this.#rtt,
      errors: this.#errors,
      errorSamples: [...this.#samples],
    };
  }

  close(): void {
    this.#running = false;
    for (const player of this.#players) player.close();
  }

  get running(): boolean {
    return this.#running;
  }

  /** Called by a player for every reply; `ns` is its round trip. */
  recordReply(ns: number, text: string): void {
    this.#replies++;
    this.#rtt.record(ns);
    this.#hooks.reply?.(text);
  }

  recordError(message: string): void {
    this.#errors++;
    if (this.#samples.length < MAX_SAMPLES) this.#samples.push(message);
    this.#hooks.error?.(message);
  }
}

class Player {
  readonly #load: Load;
  readonly #dialect: BotDialect;
  readonly #bot: BinarySearchBot;
  #link: Link | undefined;
  #sentAt = 0;
  #done = false;
  replies = 0;

  constructor(load: Load, dialect: BotDialect, range: Range) {
    this.#load = load;
    this.#dialect = dialect;
    this.#bot = new BinarySearchBot(range);
  }

  async open(target: Target): Promise<void> {
    this.#link = await this.#dialect.open(target, {
      reply: (text) => this.#onReply(text),
      error: (message) => this.#fail(message),
      closed: () => this.#fail(this.#load.running ? 'connection closed by the server' : 'connection closed before start'),
    });
  }

  play(): void {
    this.#send();
  }

  close(): void {
    this.#done = true;
    this.#link?.close();
  }

  #send(): void {
    this.#sentAt = performance.now();
    this.#link?.send(this.#dialect.encode(this.#bot.next()));
  }

  #onReply(text: string): void {
    if (this.#done) return;
    const reading = this.#dialect.read(text);
    if (reading === 'other') return;
    this.#load.recordReply((performance.now() - this.#sentAt) * 1e6, text);
    this.replies++;
    const problem = this.#bot.judge(reading, text);
    if (problem !== undefined) this.#fail(problem);
    else if (this.#load.running) this.#send();
  }

  #fail(message: string): void {
    if (this.#done) return;
    this.#load.recordError(message);
    this.close();
  }
}

import { randomBytes } from 'node:crypto';
import { createClient } from '@redis/client';
import { matches, rankLeaderboard, tallyResults, type Leaderboard, type LeaderboardQuery, type ResultFilter } from '../core/leaderboard.js';
import type { RoundResult } from '../core/results.js';
import type { SharedResults } from '../server/shared-results.js';
import type { RegistryLog } from './redis-registry.js';

/**
 * Every finished round of the cluster, in one sorted set scored by the time it ended: a period
 * is one range of scores, and retention one range deleted. Each member is `ID|JSON`, the id
 * (the server's and a count) keeping apart two rounds that are alike to the millisecond. The
 * leaderboard is ranked from those rounds by the same rules as a lone server's (core/leaderboard),
 * so the two can never disagree.
 */
const RESULTS = 'guess:results';

/** Sent together, in one command. */
const BATCH = 500;
/** Rounds kept while Redis does not answer; past this the oldest go (they stay in each server's own file). */
const QUEUE_LIMIT = 100_000;
const RETRY_MS = 1_000;

type Client = ReturnType<typeof createClient>;

export class RedisResults implements SharedResults {
  readonly #client: Client;
  readonly #prefix = randomBytes(6).toString('base64url');
  #count = 0;
  /** Score and member of each round not sent yet. */
  #queue: string[] = [];
  /** The send under way. */
  #flight: Promise<void> | undefined;
  /** Set while rounds wait for Redis to answer again. */
  #behind = false;
  readonly #log: RegistryLog;
  #retry: NodeJS.Timeout | undefined;

  constructor(url: string, log: RegistryLog) {
    this.#log = log;
    // Its own connection: reading a long board never holds up the heartbeat or the players' messages.
    this.#client = createClient({ url, disableOfflineQueue: true, socket: { connectTimeout: 2_000 } });
    // The registry says when Redis stops answering; here a failure only means "again later".
    this.#client.on('error', () => undefined);
    // Also after every reconnection: what queued up meanwhile goes.
    this.#client.on('ready', () => this.#send());
    this.#client.connect().catch(() => undefined);
  }

  append(result: RoundResult): void {
    this.#queue.push(String(result.endedAt), `${this.#prefix}.${++this.#count}|${JSON.stringify(result)}`);
    if (this.#queue.length > 2 * QUEUE_LIMIT && this.#flight === undefined) this.#queue.splice(0, this.#queue.length - 2 * QUEUE_LIMIT);
    this.#send();
  }

  async leaderboard(query: LeaderboardQuery, since: number | undefined): Promise<Leaderboard> {
    return rankLeaderboard(tallyResults(await this.#rounds(since), { mode: query.mode, since }), query);
  }

  async results(filter: ResultFilter): Promise<RoundResult[]> {
    return (await this.#rounds(filter.since)).filter((result) => matches(result, filter));
  }

  prune(before: number): void {
    if (this.#client.isReady) this.#client.sendCommand(['ZREMRANGEBYSCORE', RESULTS, '-inf', `(${before}`]).catch(() => undefined);
  }

  /** Sends what is still queued first, while Redis answers. */
  async close(): Promise<void> {
    clearTimeout(this.#retry);
    await this.#flight;
    await this.#sendAll();
    this.#client.destroy();
  }

  async #rounds(since: number | undefined): Promise<RoundResult[]> {
    const members = await this.#client.sendCommand<string[]>(['ZRANGE', RESULTS, since === undefined ? '-inf' : String(since), '+inf', 'BYSCORE']);
    return members.map((member) => JSON.parse(member.slice(member.indexOf('|') + 1)) as RoundResult);
  }

  /** Rounds wait for Redis: said once per outage. */
  #wait(): void {
    if (this.#behind) return;
    this.#behind = true;
    this.#log.info({ rounds: this.#queue.length / 2 }, 'A finished round waits for Redis to answer: the shared leaderboard lacks it until then');
  }

  /** Sends what is queued, a batch at a time, unless a send is under way; on a failure, again a second later. */
  #send(): void {
    this.#flight ??= this.#sendAll().finally(() => (this.#flight = undefined));
  }

  async #sendAll(): Promise<void> {
    if (!this.#client.isReady && this.#queue.length > 0) this.#wait();
    let sent = 0;
    while (this.#queue.length > 0 && this.#client.isReady) {
      const batch = this.#queue.slice(0, 2 * BATCH);
      try {
        await this.#client.sendCommand(['ZADD', RESULTS, ...batch]);
      } catch {
        this.#wait();
        this.#retry ??= setTimeout(() => {
          this.#retry = undefined;
          this.#send();
        }, RETRY_MS).unref();
        return;
      }
      this.#queue.splice(0, batch.length);
      sent += batch.length / 2;
    }
    if (this.#behind && this.#queue.length === 0) {
      this.#behind = false;
      this.#log.info({ rounds: sent }, `Sent Redis the ${sent} finished round${sent === 1 ? '' : 's'} that waited while it did not answer`);
    }
  }
}

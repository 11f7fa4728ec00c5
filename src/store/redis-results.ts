import { randomBytes } from 'node:crypto';
import { createClient } from '@redis/client';
import { matches, rankLeaderboard, tallyResults, type Leaderboard, type LeaderboardQuery, type ResultFilter } from '../core/leaderboard.js';
import { playerKey, type RoundResult } from '../core/results.js';
import { redisLocation } from '../server/registry.js';
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

  leaderboard(query: LeaderboardQuery, since: number | undefined): Promise<Leaderboard> {
    return leaderboardOf(this.#client, query, since);
  }

  results(filter: ResultFilter): Promise<RoundResult[]> {
    return resultsOf(this.#client, filter);
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

/** The rounds that ended at `since` or later, as kept: `ID|JSON`. */
function readMembers(client: Client, since: number | undefined): Promise<string[]> {
  return client.sendCommand<string[]>(['ZRANGE', RESULTS, since === undefined ? '-inf' : String(since), '+inf', 'BYSCORE']);
}

function roundOf(member: string): RoundResult {
  return JSON.parse(member.slice(member.indexOf('|') + 1)) as RoundResult;
}

// Ranked by the same rules as a lone server's (core/leaderboard), for a server and for `guess stats` alike.
async function leaderboardOf(client: Client, query: LeaderboardQuery, since: number | undefined): Promise<Leaderboard> {
  return rankLeaderboard(tallyResults((await readMembers(client, since)).map(roundOf), { mode: query.mode, since }), query);
}

async function resultsOf(client: Client, filter: ResultFilter): Promise<RoundResult[]> {
  return (await readMembers(client, filter.since)).map(roundOf).filter((result) => matches(result, filter));
}

/** Each change only if its round is still kept (retention may have dropped it meanwhile): `old new score`, new '' to drop. */
const REWRITE = `
local n = 0
for i = 1, #ARGV, 3 do
  if redis.call('ZSCORE', KEYS[1], ARGV[i]) then
    redis.call('ZREM', KEYS[1], ARGV[i])
    if ARGV[i + 1] ~= '' then redis.call('ZADD', KEYS[1], ARGV[i + 2], ARGV[i + 1]) end
    n = n + 1
  end
end
return n`;

/**
 * The cluster's rounds for `guess stats --redis`, read (and, for `--forget`, rewritten) while the
 * servers run: a round, once kept, never changes but by this, and a change to a round that
 * retention dropped meanwhile is skipped.
 */
export class ClusterRounds {
  readonly #client: Client;

  private constructor(client: Client) {
    this.#client = client;
  }

  /** Connected, or a one-line error naming where Redis was looked for. */
  static async open(url: string): Promise<ClusterRounds> {
    const client: Client = createClient({ url, socket: { connectTimeout: 2_000, reconnectStrategy: false } });
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      client.destroy();
      throw new Error(`cannot reach Redis at ${redisLocation(url)}: ${(error as Error).message || 'no answer'}`, { cause: error });
    }
    return new ClusterRounds(client);
  }

  leaderboard(query: LeaderboardQuery, since: number | undefined): Promise<Leaderboard> {
    return leaderboardOf(this.#client, query, since);
  }

  results(filter: ResultFilter): Promise<RoundResult[]> {
    return resultsOf(this.#client, filter);
  }

  /**
   * Deletes the person's part of every round (a bot of that name stays), and their name where they
   * won a pick match, as a lone server's file does. Returns the rounds they played.
   */
  async forget(name: string): Promise<number> {
    const key = playerKey(name);
    const changes: string[] = [];
    let played = 0;
    for (const member of await readMembers(this.#client, undefined)) {
      const round = roundOf(member);
      const players = round.players.filter((player) => player.bot !== null || playerKey(player.name) !== key);
      const winner = round.match?.winner;
      const wonMatch = winner !== null && winner !== undefined && !winner.bot && playerKey(winner.name) === key;
      if (players.length === round.players.length && !wonMatch) continue;
      if (players.length < round.players.length) played++;
      const kept: RoundResult = { ...round, players, match: wonMatch ? { winner: { ...winner, name: '' } } : round.match };
      // A round left with nobody in it goes; any other is kept without them.
      const rewritten = players.length === 0 && round.players.length > 0 ? '' : `${member.slice(0, member.indexOf('|'))}|${JSON.stringify(kept)}`;
      changes.push(member, rewritten, String(round.endedAt));
    }
    for (let i = 0; i < changes.length; i += 3 * BATCH) await this.#client.sendCommand(['EVAL', REWRITE, '1', RESULTS, ...changes.slice(i, i + 3 * BATCH)]);
    return played;
  }

  close(): void {
    this.#client.destroy();
  }
}

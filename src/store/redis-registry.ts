import { createClient } from '@redis/client';
import type { RandomInt } from '../core/random.js';
import { newRoomCode } from '../core/room-code.js';
import { redisLocation, type Owner, type RoomRegistry } from '../server/registry.js';
import { INBOX, LEASE, LEASE_MS, RENEW_MS, ROOMS, TOKENS, WORLD } from './redis-keys.js';

/** What the registry tells the operator about (the server's logger). */
export interface RegistryLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

// A server's codes stay held while its lease lives, and after: its rooms go on with the server
// that takes its world over (see RedisStore), and the codes follow them there.

// Codes reserved ahead, so that `create` never waits on the network: enough for a class creating
// rooms at once; refilled, in one round trip, once a quarter of them is used.
const POOL = 64;

/**
 * Takes a code for server ARGV[2] if it is free or (ARGV[3] = '1': taking back, after a restart or
 * after Redis lost it, what it had) already its own. One script, so that the check and the write
 * are one step for Redis: two servers never both get a code. A code stays held while its room may
 * still be restored, whatever became of its server's lease: only the room's closing frees it.
 */
const RESERVE = `
local owner = redis.call('HGET', KEYS[1], ARGV[1])
if owner == false or (ARGV[3] == '1' and owner == ARGV[2]) then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  return 1
end
return 0`;

/** Gives a code back, if it is still this server's. */
const RELEASE = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0`;

/**
 * The server that holds a field of a hash (a code, a token's hash): the one named there while its
 * lease lives, else the live server that took its world over; `{dead}` when the world of a dead
 * server is there for the taking; false for none.
 */
const OWNER = `
local owner = redis.call('HGET', KEYS[1], ARGV[1])
if not owner then return false end
for _ = 1, 8 do
  if redis.call('EXISTS', ARGV[2] .. owner) == 1 then return owner end
  local m = redis.call('HMGET', ARGV[3] .. owner, 'owner', 'gone')
  if not m[1] then return false end
  if m[1] == owner and not m[2] then return {owner} end
  owner = m[1]
end
return false`;

type Client = ReturnType<typeof createClient>;

/**
 * Room codes unique across servers, on Redis (`guess serve --redis URL`): a hash of every code and
 * its server, and a lease per server. Commands fail at once while Redis is unreachable (no queue
 * of them to replay later): the server then has no code to give and refuses new rooms, and once
 * Redis answers again it takes back its codes (a Redis that restarted empty has forgotten them).
 */
export class RedisRegistry implements RoomRegistry {
  readonly #client: Client;
  /** Subscribed to this server's inbox (a connection that subscribes can send nothing else). */
  readonly #inbox: Client;
  onMessage: ((message: string) => void) | undefined;
  readonly #random: RandomInt;
  readonly #log: RegistryLog;
  readonly #url: string;
  #server = '';
  /** Codes of this server's rooms. */
  readonly #held = new Set<string>();
  /** Hashes of the tokens of this server's players: taken back, as the codes, after Redis may have lost them. */
  readonly #tokens = new Set<string>();
  /** Codes reserved for rooms not created yet. */
  #pool: string[] = [];
  /** Codes of rooms closed while Redis did not answer: given back once it does. */
  readonly #freed = new Set<string>();
  #reachable = false;
  /** Set when Redis may have lost this server's codes (at start, after an outage). */
  #reclaim = true;
  #timer: NodeJS.Timeout | undefined;
  #busy = false;
  #beatStarted = 0;
  #upSince: number | undefined;
  #closed = false;
  #warned = false;
  /** The first heartbeat's outcome, and the inbox's subscription, each known (see ready); a failure settles both. */
  #beaten: () => void = () => undefined;
  #subscribed: () => void = () => undefined;
  readonly #started = Promise.all([new Promise<void>((resolve) => (this.#beaten = resolve)), new Promise<void>((resolve) => (this.#subscribed = resolve))]);

  constructor(url: string, random: RandomInt, log: RegistryLog) {
    this.#url = redisLocation(url);
    this.#random = random;
    this.#log = log;
    this.#client = createClient({ url, disableOfflineQueue: true, socket: { connectTimeout: 2_000 } });
    // The client reconnects by itself; each failure is one line, and the heartbeat says the rest.
    this.#client.on('error', (error: unknown) => this.#down(error));
    this.#inbox = this.#client.duplicate();
    this.#inbox.on('error', (error: unknown) => this.#down(error));
  }

  /** The URL without credentials, as printed and logged. */
  get location(): string {
    return this.#url;
  }

  get reachable(): boolean {
    return this.#reachable;
  }

  readonly leaseMs = LEASE_MS;

  get upSince(): number | undefined {
    return this.#upSince;
  }

  start(server: string, codes: readonly string[]): void {
    this.#server = server;
    const started = Date.now();
    for (const code of codes) this.#held.add(code);
    this.#client.connect().then(
      () => this.#beat(),
      (error: unknown) => this.#down(error),
    );
    // The client subscribes again by itself after a reconnection.
    this.#inbox
      .connect()
      .then(() => this.#inbox.subscribe(`${INBOX}${server}`, (message) => this.onMessage?.(message)))
      .then(() => this.#subscribed())
      .catch((error: unknown) => this.#down(error));
    this.#timer = setInterval(() => {
      // A Redis that holds the connection but stops answering (paused, swamped) is down too.
      if (this.#busy && Date.now() - this.#beatStarted > 2 * RENEW_MS) this.#down(new Error(`no answer in ${2 * RENEW_MS} ms`));
      // So is one that takes the connection at start and never says hello.
      else if (!this.#reachable && !this.#warned && Date.now() - started > 2 * RENEW_MS) this.#down(new Error(`no answer in ${2 * RENEW_MS} ms`));
      void this.#beat();
    }, RENEW_MS);
    this.#timer.unref();
  }

  async ready(): Promise<void> {
    await this.#started;
  }

  takeCode(): string | undefined {
    if (!this.#reachable) return undefined;
    const code = this.#pool.pop();
    if (code === undefined) return undefined;
    this.#held.add(code);
    if (this.#pool.length < (POOL * 3) / 4) void this.#beat();
    return code;
  }

  releaseCode(code: string): void {
    if (!this.#held.delete(code)) return;
    this.#freed.add(code);
    if (this.#reachable) this.#giveBack(code).catch((error: unknown) => this.#down(error));
  }

  async #giveBack(code: string): Promise<void> {
    await this.#client.sendCommand(['EVAL', RELEASE, '1', ROOMS, code, this.#server]);
    this.#freed.delete(code);
  }

  async roomOwner(code: string): Promise<Owner> {
    return this.#owner(ROOMS, code);
  }

  async tokenOwner(hash: string): Promise<Owner> {
    return this.#owner(TOKENS, hash);
  }

  async #owner(key: string, field: string): Promise<Owner> {
    if (!this.#reachable) throw new Error(`Redis at ${this.#url} does not answer`);
    try {
      const owner = await this.#client.sendCommand(['EVAL', OWNER, '1', key, field, LEASE, WORLD]);
      if (typeof owner === 'string') return { server: owner, alive: true };
      if (Array.isArray(owner) && typeof owner[0] === 'string') return { server: owner[0], alive: false };
      return undefined;
    } catch (error) {
      this.#down(error);
      throw error;
    }
  }

  async listening(server: string): Promise<boolean> {
    const reply = await this.#client.sendCommand(['PUBSUB', 'NUMSUB', `${INBOX}${server}`]);
    return Array.isArray(reply) && Number(reply[1]) > 0;
  }

  adoptCodes(codes: readonly string[]): void {
    for (const code of codes) this.#held.add(code);
    if (this.#reachable) for (const code of codes) this.#client.sendCommand(['HSET', ROOMS, code, this.#server]).catch((error: unknown) => this.#down(error));
    // Missed while Redis does not answer: the next heartbeat after it takes every held code.
    else this.#reclaim = true;
  }

  async alive(server: string): Promise<boolean | undefined> {
    if (!this.#reachable) return undefined;
    try {
      return Number(await this.#client.sendCommand(['EXISTS', `${LEASE}${server}`])) === 1;
    } catch (error) {
      this.#down(error);
      return undefined;
    }
  }

  claimToken(hash: string): void {
    this.#tokens.add(hash);
    if (this.#reachable) this.#client.sendCommand(['HSET', TOKENS, hash, this.#server]).catch((error: unknown) => this.#down(error));
  }

  releaseToken(hash: string): void {
    this.#tokens.delete(hash);
    if (this.#reachable) this.#client.sendCommand(['EVAL', RELEASE, '1', TOKENS, hash, this.#server]).catch((error: unknown) => this.#down(error));
  }

  async send(to: string, message: string): Promise<void> {
    if (!this.#reachable) throw new Error(`Redis at ${this.#url} does not answer`);
    // Nobody subscribed: that server is gone, and the message with it.
    if (Number(await this.#client.sendCommand(['PUBLISH', `${INBOX}${to}`, message])) === 0) throw new Error(`server ${to} does not listen`);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    const pool = this.#pool;
    this.#pool = [];
    if (this.#reachable) {
      try {
        for (const code of pool) await this.#client.sendCommand(['EVAL', RELEASE, '1', ROOMS, code, this.#server]);
      } catch {
        // Redis went away meanwhile: these few stay held, as a stopped server's rooms do.
      }
    }
    // Gone: the world this server leaves is taken over by another at once, not after its lease.
    if (this.#reachable) await this.#client.sendCommand(['DEL', `${LEASE}${this.#server}`]).catch(() => undefined);
    this.#client.destroy();
    this.#inbox.destroy();
  }

  /** Renews the lease; after an outage takes the codes back; fills the pool up. */
  async #beat(): Promise<void> {
    if (this.#busy || this.#closed || !this.#client.isReady) return;
    this.#busy = true;
    this.#beatStarted = Date.now();
    try {
      await this.#client.sendCommand(['SET', `${LEASE}${this.#server}`, '1', 'PX', String(LEASE_MS)]);
      if (this.#reclaim) await this.#takeBack();
      if (this.#freed.size > 0) await Promise.all([...this.#freed].map((code) => this.#giveBack(code)));
      // Stopped by close() too: its client no longer sends, and the failure ends the loop.
      while (this.#pool.length < POOL) {
        const wanted = new Set<string>();
        while (wanted.size < POOL - this.#pool.length) wanted.add(newRoomCode(this.#random, (c) => this.#held.has(c) || this.#pool.includes(c) || wanted.has(c)));
        // Sent together, in one round trip (the client pipelines what is sent in one tick).
        const codes = [...wanted];
        const taken = await Promise.all(codes.map((code) => this.#reserve(code, false)));
        for (const [i, code] of codes.entries()) if (taken[i] === 1) this.#pool.push(code);
      }
      if (!this.#reachable) this.#log.info({ redis: this.#url }, `Redis at ${this.#url} answers: new rooms are open`);
      // Up from the start, it has seen no outage: only after one do the others need time to renew.
      if (!this.#reachable) this.#upSince = this.#warned ? Date.now() : 0;
      this.#reachable = true;
    } catch (error) {
      this.#down(error);
    } finally {
      this.#busy = false;
      this.#beaten();
    }
  }

  /** Every code and token this server holds, asked for again in one round trip each (thousands of rooms included). */
  async #takeBack(): Promise<void> {
    const held = [...this.#held];
    const kept = await Promise.all(held.map((code) => this.#reserve(code, true)));
    for (const [i, code] of held.entries()) if (kept[i] === 0) this.#log.warn({ room: code }, `Room ${code}'s code is held by another server of the cluster`);
    await Promise.all([...this.#tokens].map((hash) => this.#client.sendCommand(['EVAL', RESERVE, '1', TOKENS, hash, this.#server, '1'])));
    const pool = this.#pool;
    this.#pool = [];
    const ours = await Promise.all(pool.map((code) => this.#reserve(code, true)));
    for (const [i, code] of pool.entries()) if (ours[i] === 1) this.#pool.push(code);
    this.#reclaim = false;
  }

  async #reserve(code: string, own: boolean): Promise<number> {
    return Number(await this.#client.sendCommand(['EVAL', RESERVE, '1', ROOMS, code, this.#server, own ? '1' : '0']));
  }

  /** One line per outage, not one per failed command or reconnect. */
  #down(error: unknown): void {
    if (this.#closed) return;
    this.#beaten();
    this.#subscribed();
    this.#reclaim = true;
    const news = this.#reachable || !this.#warned;
    this.#reachable = false;
    this.#upSince = undefined;
    if (!news) return;
    this.#warned = true;
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    this.#log.warn({ redis: this.#url }, `Redis at ${this.#url} does not answer (${reason}): new rooms are refused until it does`);
  }
}

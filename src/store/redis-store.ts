import { createHash, randomBytes } from 'node:crypto';
import { createClient, ErrorReply } from '@redis/client';
import type { Leaderboard, LeaderboardQuery, ResultFilter } from '../core/leaderboard.js';
import type { RoundResult } from '../core/results.js';
import { MemoryStore } from '../server/memory-store.js';
import { redisLocation } from '../server/registry.js';
import type { SharedStore, StoredRoom, StoredWorld, TakenWorld } from '../server/store.js';
import { LEASE, LEASE_MS, WORLD, WORLDS } from './redis-keys.js';

/** A world's epoch counts its owners: the server that made it writes in epoch 1, each takeover adds one. */
const FIRST_EPOCH = '1';
/** A world taken over leaves its marker this long, so that its server, should it wake up, finds it taken (not lost). */
const TOMBSTONE_MS = 7 * 24 * 3600 * 1000;

// Each script runs as one step of Redis: the fencing check and the writes it guards cannot be
// told apart by any other client. Commands follow the fixed arguments as `count name args…`.
const RUN_COMMANDS = `
local i = FIRST
while i <= #ARGV do
  local n = tonumber(ARGV[i])
  redis.call(unpack(ARGV, i + 1, i + n))
  i = i + n + 1
end`;

/** One turn's writes, if this world is still this server's in this epoch; LOST if Redis has forgotten it. */
const COMMIT = `
local m = redis.call('HMGET', KEYS[1], 'owner', 'epoch')
if not m[1] then return 'LOST' end
if m[1] ~= ARGV[1] or m[2] ~= ARGV[2] then return 'FENCED ' .. m[1] end
local FIRST = 3
${RUN_COMMANDS}
return 'OK'`;
/**
 * Commits name the script by its SHA1 (EVALSHA), not by its text: the text goes once, with each
 * whole write (SCRIPT LOAD), which every commit waits behind.
 */
const COMMIT_SHA = createHash('sha1').update(COMMIT).digest('hex');

/** The whole world written again (at start, after Redis forgot it or a failure), unless another server took it. */
const SNAPSHOT = `
local P = KEYS[1]
local owner = redis.call('HGET', P, 'owner')
if owner and owner ~= ARGV[1] then return 'FENCED ' .. owner end
for _, p in ipairs(redis.call('SMEMBERS', P .. ':players')) do redis.call('DEL', P .. ':ev:' .. p) end
redis.call('DEL', P .. ':rooms', P .. ':journal', P .. ':meta', P .. ':players')
redis.call('HSET', P, 'owner', ARGV[1], 'epoch', ARGV[2])
redis.call('SADD', ARGV[3], ARGV[1])
redis.call('SET', ARGV[4] .. ARGV[1], '1', 'PX', ARGV[5])
local FIRST = 6
${RUN_COMMANDS}
return 'OK'`;

/**
 * Takes world ARGV[1] for server ARGV[2] if its server's lease has lapsed and no live server took
 * it before (the epoch goes up), and returns what it holds.
 */
const CLAIM = `
local P = KEYS[1]
local m = redis.call('HMGET', P, 'owner', 'epoch', 'gone')
if not m[1] or m[3] then return 'GONE' end
if m[1] ~= ARGV[2] then
  if redis.call('EXISTS', ARGV[3] .. ARGV[1]) == 1 then return 'ALIVE' end
  if m[1] ~= ARGV[1] and redis.call('EXISTS', ARGV[3] .. m[1]) == 1 then return 'HELD' end
  redis.call('HSET', P, 'owner', ARGV[2], 'epoch', tonumber(m[2] or '0') + 1)
end
local ev = {}
for _, p in ipairs(redis.call('SMEMBERS', P .. ':players')) do
  table.insert(ev, p)
  table.insert(ev, redis.call('ZRANGE', P .. ':ev:' .. p, 0, -1))
end
return {redis.call('HGETALL', P .. ':rooms'), redis.call('ZRANGE', P .. ':journal', 0, -1), redis.call('HGETALL', P .. ':meta'), ev}`;

/** The worlds whose server's lease lapsed and that no live server took (a stray entry is cleared). */
const DEAD = `
local out = {}
for _, w in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if w ~= ARGV[1] and redis.call('EXISTS', ARGV[2] .. w) == 0 then
    local m = redis.call('HMGET', ARGV[3] .. w, 'owner', 'gone')
    if not m[1] or m[2] then redis.call('SREM', KEYS[1], w)
    elseif m[1] == w or (m[1] ~= ARGV[1] and redis.call('EXISTS', ARGV[2] .. m[1]) == 0) then table.insert(out, w) end
  end
end
return out`;

/** A commit not answered within this long counts Redis as down (paused, swamped, cut off). */
const ANSWER_MS = 1_000;

type Client = ReturnType<typeof createClient>;
type Done = (error: Error | undefined, nanos: number) => void;

/** One turn's commit: its commands (`count name args…`, flat), and whether Redis has it. */
interface Batch {
  readonly commands: string[];
  readonly done: Done;
  readonly started: bigint;
  state: 'waiting' | 'sent' | 'done';
  sentAt?: number;
  /** Stood for by a whole write under way: its own answer no longer counts. */
  whole?: boolean;
}

/**
 * The store of a server of a cluster, in the cluster's Redis (`guess serve --redis`): this
 * server's world is a few keys under `guess:world:ID`, a new id each start. Everything is also
 * kept in memory (reads never wait on the network); each turn's writes go to Redis as one script
 * that first checks the world is still this server's in its epoch (fencing), and the turn's
 * replies wait for its answer, in the order of the commits.
 *
 * While Redis does not answer, commits wait (their replies with them) and go once it does; if
 * Redis has lost the world (it restarted without its data), the world is written whole again
 * from memory. A commit refused because another server took the world fails: the server must
 * stop, for its rooms are now that server's.
 */
export class RedisStore implements SharedStore {
  readonly server: string;
  readonly location: string;
  /** Every commit is one round trip, whatever it holds: results are kept at once. */
  readonly journalOnly = false;
  readonly #client: Client;
  readonly #memory = new MemoryStore();
  readonly #world: string;
  /** The open turn's commands. */
  #commands: string[] = [];
  readonly #batches: Batch[] = [];
  /** The world must be written whole before any commit goes (at start; after a failure or a loss). */
  #whole = true;
  #writingWhole = false;
  #wholeSentAt = 0;
  /** Redis did not answer lately: commits are reported done from memory. */
  #down = false;
  /** Commits reported done from memory, counted: a whole write made before the last of them does not hold it. */
  #fromMemoryCount = 0;
  readonly #watch: NodeJS.Timeout;
  #ticks = 0;
  #fenced: Error | undefined;
  /** Worlds taken over and deleted, with the players whose events they hold: deleted again by a whole write. */
  readonly #dropped = new Map<string, readonly string[]>();
  readonly #taken = new Map<string, readonly string[]>();
  #settled: (() => void)[] = [];
  /** Whether a commit by SHA1 went through since the script was last loaded (undefined: not yet). */
  #shaWorks: boolean | undefined;
  /** A Redis that will not keep the script (SCRIPT LOAD refused): commits send its text. */
  #textOnly = false;

  constructor(url: string) {
    this.server = randomBytes(9).toString('base64url');
    this.location = redisLocation(url);
    this.#world = `${WORLD}${this.server}`;
    this.#client = createClient({ url, disableOfflineQueue: true, socket: { connectTimeout: 2_000 } });
    // The registry reports outages; commits just wait for the client's next 'ready'.
    this.#client.on('error', () => undefined);
    // Ready again after a reconnection: Redis may have restarted without its data, so the world goes whole.
    this.#client.on('ready', () => {
      this.#whole = true;
      this.#pump();
    });
    this.#memory.setMeta('cluster-id', this.server);
    this.#client.connect().catch(() => undefined);
    this.#watch = setInterval(() => this.#watchAnswers(), ANSWER_MS / 4);
    this.#watch.unref();
  }

  #watchAnswers(): void {
    // A Redis that forgot everything without dropping the connection (FLUSHALL, a failover) is
    // found within a second even by a server whose rooms are idle: the world goes whole.
    if (++this.#ticks % 4 === 0 && this.#client.isReady && !this.#whole && !this.#down) {
      this.#client.sendCommand(['EXISTS', this.#world]).then(
        (exists) => {
          if (Number(exists) === 0 && !this.#whole) {
            this.#whole = true;
            this.#pump();
          }
        },
        () => undefined,
      );
    }
    const late = Date.now() - ANSWER_MS;
    const waiting = (this.#writingWhole && this.#wholeSentAt < late) || this.#batches.some((b) => b.state === 'sent' && b.whole !== true && (b.sentAt ?? Infinity) < late);
    if (waiting || (this.#batches.length > 0 && !this.#client.isReady)) {
      this.#down = true;
      this.#whole = true;
    }
    if (this.#down) this.#pump();
  }

  load(): StoredWorld {
    return this.#memory.load();
  }

  begin(): void {}

  #add(...command: string[]): void {
    this.#commands.push(String(command.length), ...command);
  }

  putRoom(code: string, record: string, savedAt: number, applied: number): void {
    this.#memory.putRoom(code, record, savedAt, applied);
    this.#addRoom({ code, record, savedAt, applied });
  }

  deleteRoom(code: string): void {
    this.#memory.deleteRoom(code);
    this.#add('HDEL', `${this.#world}:rooms`, code);
  }

  appendJournal(body: string): number {
    const id = this.#memory.appendJournal(body);
    this.#addJournal(id, body);
    return id;
  }

  dropJournal(id: number): void {
    this.#memory.dropJournal(id);
    this.#add('ZREMRANGEBYSCORE', `${this.#world}:journal`, '-inf', String(id));
  }

  appendEvents(player: string, seq: number, body: string): void {
    this.#memory.appendEvents(player, seq, body);
    this.#add('SADD', `${this.#world}:players`, player);
    this.#addEvents(player, seq, body);
  }

  // Each row is written by its command here, from a turn or a whole write, and read back by claim().
  #addRoom(room: StoredRoom): void {
    this.#add('HSET', `${this.#world}:rooms`, room.code, numbered(room.savedAt, numbered(room.applied, room.record)));
  }

  #addJournal(id: number, body: string): void {
    this.#add('ZADD', `${this.#world}:journal`, String(id), numbered(id, body));
  }

  #addEvents(player: string, seq: number, body: string): void {
    this.#add('ZADD', `${this.#world}:ev:${player}`, String(seq), numbered(seq, body));
  }

  eventsAfter(player: string, seq: number): string[] {
    return this.#memory.eventsAfter(player, seq);
  }

  pruneEvents(player: string, seq: number): void {
    this.#memory.pruneEvents(player, seq);
    this.#add('ZREMRANGEBYSCORE', `${this.#world}:ev:${player}`, '-inf', String(seq));
  }

  forgetPlayer(player: string): void {
    this.#memory.forgetPlayer(player);
    this.#add('DEL', `${this.#world}:ev:${player}`);
    this.#add('SREM', `${this.#world}:players`, player);
  }

  retainEvents(players: readonly string[]): void {
    const kept = new Set(players);
    for (const player of [...this.#memory.keptEvents.keys()]) if (!kept.has(player)) this.forgetPlayer(player);
  }

  setMeta(key: string, value: string): void {
    this.#memory.setMeta(key, value);
    this.#add('HSET', `${this.#world}:meta`, key, value);
  }

  // Rounds are the cluster's, in Redis through SharedResults; this server's are kept in memory too.
  appendResult(result: RoundResult): void {
    this.#memory.appendResult(result);
  }

  leaderboard(query: LeaderboardQuery, since: number | undefined): Leaderboard {
    return this.#memory.leaderboard(query, since);
  }

  results(filter: ResultFilter): RoundResult[] {
    return this.#memory.results(filter);
  }

  pruneResults(before: number): void {
    this.#memory.pruneResults(before);
  }

  commit(done: Done): void {
    const batch: Batch = { commands: this.#commands, done, started: process.hrtime.bigint(), state: 'waiting' };
    this.#commands = [];
    if (this.#fenced !== undefined) {
      done(this.#fenced, 0);
      return;
    }
    this.#batches.push(batch);
    this.#pump();
  }

  // A commit answered by Redis is in Redis's hands, as durable as Redis is configured to be
  // (appendonly with fsync, for a power loss): there is no file of ours to sync.
  sync(done: (error: Error | undefined) => void): void {
    done(undefined);
  }

  syncNow(): void {}

  settled(): Promise<void> {
    if (this.#isSettled()) return Promise.resolve();
    return new Promise((resolve) => this.#settled.push(resolve));
  }

  /** Everything kept in memory is in Redis (or can never be: the world was taken). */
  #isSettled(): boolean {
    return this.#fenced !== undefined || (this.#batches.length === 0 && !this.#whole && !this.#writingWhole);
  }

  close(): void {
    clearInterval(this.#watch);
    this.#client.destroy();
  }

  async deadWorlds(): Promise<string[]> {
    const dead = await this.#client.sendCommand(['EVAL', DEAD, '1', WORLDS, this.server, LEASE, WORLD]);
    return Array.isArray(dead) ? dead.map(String) : [];
  }

  async claim(world: string): Promise<TakenWorld | 'alive' | 'held' | 'gone'> {
    const reply: unknown = await this.#client.sendCommand(['EVAL', CLAIM, '1', `${WORLD}${world}`, world, this.server, LEASE]);
    if (reply === 'ALIVE') return 'alive';
    if (reply === 'HELD') return 'held';
    if (!Array.isArray(reply)) return 'gone';
    const [rooms = [], journal = [], meta = [], events = []] = reply as unknown as string[][];
    const taken: TakenWorld = {
      rooms: pairs(rooms).map(([code, value]) => {
        const [savedAt, rest] = unnumbered(value);
        const [applied, record] = unnumbered(rest);
        return { code, record, savedAt, applied };
      }),
      journal: journal.map((member) => {
        const [id, body] = unnumbered(member);
        return { id, body };
      }),
      lastJournal: 0,
      meta: new Map(pairs(meta)),
      events: (pairs(events as unknown as (string | string[])[]) as [string, string[]][]).flatMap(([player, rows]) =>
        rows.map((row) => {
          const [seq, body] = unnumbered(row);
          return { player, seq, body };
        }),
      ),
    };
    this.#taken.set(world, [...new Set(taken.events.map((e) => e.player))]);
    return taken;
  }

  dropWorld(world: string): void {
    const players = this.#taken.get(world) ?? [];
    this.#taken.delete(world);
    this.#dropped.set(world, players);
    this.#addDrop(world, players);
  }

  #addDrop(world: string, players: readonly string[]): void {
    const key = `${WORLD}${world}`;
    for (const player of players) this.#add('DEL', `${key}:ev:${player}`);
    this.#add('DEL', `${key}:rooms`, `${key}:journal`, `${key}:meta`, `${key}:players`);
    this.#add('HSET', key, 'gone', '1');
    this.#add('PEXPIRE', key, String(TOMBSTONE_MS));
    this.#add('SREM', WORLDS, world);
  }

  /** Sends what waits, in order: the whole world first when it must be written whole. */
  #pump(): void {
    if (this.#fenced !== undefined) return;
    if (this.#down) this.#fromMemory();
    if (!this.#client.isReady || this.#writingWhole) return;
    if (this.#whole) {
      this.#writeWhole();
      return;
    }
    for (const batch of this.#batches) {
      if (batch.state !== 'waiting') continue;
      batch.state = 'sent';
      batch.sentAt = Date.now();
      const script = this.#textOnly ? ['EVAL', COMMIT] : ['EVALSHA', COMMIT_SHA];
      this.#client.sendCommand([...script, '1', this.#world, this.server, FIRST_EPOCH, ...batch.commands]).then(
        (reply) => this.#answered(batch, reply),
        (error: unknown) => {
          if (batch.whole !== true) this.#failed(error);
        },
      );
    }
    this.#finish();
  }

  /**
   * Every write so far, from memory, in one script: it stands for every commit asked for until
   * now, whatever became of them.
   */
  #writeWhole(): void {
    const covered = this.#batches.slice();
    for (const batch of covered) {
      batch.state = 'sent';
      batch.whole = true;
    }
    const open = this.#commands;
    this.#commands = [];
    const world = this.#memory.load();
    for (const room of world.rooms) this.#addRoom(room);
    for (const { id, body } of world.journal) this.#addJournal(id, body);
    for (const [key, value] of world.meta) this.#add('HSET', `${this.#world}:meta`, key, value);
    for (const [player, rows] of this.#memory.keptEvents) {
      if (rows.length === 0) continue;
      this.#add('SADD', `${this.#world}:players`, player);
      for (const { seq, body } of rows) this.#addEvents(player, seq, body);
    }
    for (const [taken, players] of this.#dropped) this.#addDrop(taken, players);
    const commands = this.#commands;
    this.#commands = open;
    this.#writingWhole = true;
    this.#wholeSentAt = Date.now();
    const fromMemory = this.#fromMemoryCount;
    // Redis runs commands in the order they come, so every commit sent after this finds the script.
    if (!this.#textOnly) this.#client.sendCommand(['SCRIPT', 'LOAD', COMMIT]).catch(() => undefined);
    this.#shaWorks = undefined;
    this.#client.sendCommand(['EVAL', SNAPSHOT, '1', this.#world, this.server, FIRST_EPOCH, WORLDS, LEASE, String(LEASE_MS), ...commands]).then(
      (reply: unknown) => {
        this.#writingWhole = false;
        if (reply !== 'OK') {
          this.#fence(reply);
          return;
        }
        // Commits reported done from memory while it ran are not in it: another whole write follows.
        this.#whole = this.#fromMemoryCount !== fromMemory;
        this.#down = this.#whole;
        for (const batch of covered) batch.state = 'done';
        this.#finish();
        this.#pump();
      },
      (error: unknown) => {
        this.#writingWhole = false;
        this.#failed(error);
      },
    );
  }

  #answered(batch: Batch, reply: unknown): void {
    if (batch.state === 'done' || batch.whole === true) return;
    if (reply === 'OK') {
      this.#shaWorks = true;
      batch.state = 'done';
      this.#finish();
    } else if (reply === 'LOST') {
      // Redis restarted without its data: the world goes again whole, this turn's writes in it.
      this.#whole = true;
      this.#pump();
    } else this.#fence(reply);
  }

  /** Redis did not answer (or refused the script): whether the writes were made is unknown, so the world goes whole. */
  #failed(error: unknown): void {
    // Redis forgot its scripts (SCRIPT FLUSH, a restart): this commit did nothing, nor did any
    // sent after it; the whole write that follows stands for them all, and loads the script again.
    if (error instanceof ErrorReply && error.message.startsWith('NOSCRIPT')) {
      // Not even once since it was loaded: this Redis does not keep it.
      if (this.#shaWorks === undefined) this.#textOnly = true;
      this.#whole = true;
      this.#pump();
      return;
    }
    if (error instanceof ErrorReply) {
      this.#fail(new Error(`Redis refused a commit (${error.message.split('\n')[0] ?? ''})`));
      return;
    }
    // The next whole write stands for every commit not known done.
    this.#whole = true;
    this.#down = true;
    this.#pump();
  }

  /**
   * Redis does not answer: the rooms play on, their commits reported done from memory; they go
   * with the next whole write once Redis answers (or, if another server took the rooms over
   * meanwhile, that write is refused and this server stops).
   */
  #fromMemory(): void {
    let count = 0;
    for (const batch of this.#batches) {
      if (batch.state === 'done') continue;
      batch.state = 'done';
      batch.whole = true;
      count++;
    }
    if (count === 0) return;
    this.#fromMemoryCount++;
    this.#whole = true;
    this.#finish();
  }

  #fence(reply: unknown): void {
    const owner = String(reply).replace(/^FENCED /, '');
    this.#fail(new Error(`another server of the cluster (${owner}) took this server's rooms over while it did not answer`));
  }

  #fail(error: Error): void {
    this.#fenced = error;
    const batches = this.#batches.splice(0);
    for (const batch of batches) batch.done(error, 0);
    this.#finish();
  }

  /** Reports the commits done, in order. */
  #finish(): void {
    while (this.#batches[0]?.state === 'done') {
      const batch = this.#batches.shift() as Batch;
      batch.done(undefined, Number(process.hrtime.bigint() - batch.started));
    }
    if (this.#settled.length > 0 && this.#isSettled()) {
      const settled = this.#settled;
      this.#settled = [];
      for (const resolve of settled) resolve();
    }
  }
}

function pairs<T>(flat: readonly T[]): [string, T][] {
  const out: [string, T][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([String(flat[i]), flat[i + 1] as T]);
  return out;
}

/** A row as Redis keeps it: `N rest…`, its number first (a room's row is `savedAt applied record`). */
function numbered(n: number, rest: string): string {
  return `${n} ${rest}`;
}

function unnumbered(row: string): [number, string] {
  const space = row.indexOf(' ');
  return [Number(row.slice(0, space)), row.slice(space + 1)];
}

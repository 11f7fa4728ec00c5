import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { createServer, connect, type Socket } from 'node:net';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import type { Range } from '../src/core/game.js';
import { Histogram } from './histogram.js';
import { measureLoad } from './measure.js';
import { startOurs, type ServerProcess } from './servers.js';

/** Players in the race room: enough that half of them sit on the other server. */
const PLAYERS = 8;
/** Plain connections for the workers' comparison, as in the main table's middle row. */
const PLAIN_CONNS = 100;

export interface RaceFigures {
  readonly setup: string;
  readonly guessesPerSecond: number;
  /** Round trip of a guess to its `result`, in microseconds. */
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

export interface WorkersFigures {
  readonly setup: string;
  readonly guessesPerSecond: number;
  readonly p50: number;
  readonly errors: number;
}

export interface ClusterFigures {
  readonly race: readonly RaceFigures[];
  readonly workers: readonly WorkersFigures[];
}

/**
 * Several servers sharing one Redis (Debian's `redis-server`, started here on a free loopback
 * port): one race room played with every player on its server, then with half of them on a
 * second server, whose every message goes through Redis to the room's; and plain games against
 * `--workers 2` and against one process. Returns why not when there is no `redis-server` here.
 */
export async function measureCluster(range: Range, warmupMs: number, windowMs: number): Promise<ClusterFigures | string> {
  if (spawnSync('redis-server', ['--version']).status !== 0) return 'no redis-server on this machine (apt-get install redis-server)';
  const redis = await startRedis();
  const started: ServerProcess[] = [];
  try {
    const serve = async (...flags: string[]): Promise<ServerProcess> => {
      const server = await startOurs({ range, flags: ['--redis', redis.url, ...flags] });
      started.push(server);
      return server;
    };
    const a = await serve();
    const b = await serve();
    const race = [
      await playRace('one room, every player on its server', [a], range, warmupMs, windowMs),
      await playRace('the same room, half of the players on a second server', [a, b], range, warmupMs, windowMs),
    ];
    const workers: WorkersFigures[] = [];
    for (const [setup, flags] of [
      ['plain, one process (--redis)', []],
      ['plain, --workers 2', ['--workers', '2']],
    ] as const) {
      const server = await serve(...flags);
      const load = await measureLoad(server, { dialect: 'plain', conns: PLAIN_CONNS, processes: 1, range, warmupMs, windowMs });
      workers.push({ setup, guessesPerSecond: load.guessesPerSecond, p50: load.p50, errors: load.errors });
      await server.stop();
    }
    return { race, workers };
  } finally {
    await Promise.all(started.map((server) => server.stop()));
    await redis.stop();
  }
}

/** The section of docs/BENCHMARKS.md about several servers. */
export function clusterMarkdown(figures: ClusterFigures | string): string {
  if (typeof figures === 'string') return `\n### Several servers sharing one Redis\n\nNot measured: ${figures}.\n`;
  const rows = figures.race.map(
    (r) => `| ${r.setup} | ${PLAYERS} | ${Math.round(r.guessesPerSecond).toLocaleString('en-US')} | ${Math.round(r.p50).toLocaleString('en-US')} | ${Math.round(r.p99).toLocaleString('en-US')} | ${r.errors} |`,
  );
  const workers = figures.workers.map((w) => `| ${w.setup} | ${PLAIN_CONNS} | ${Math.round(w.guessesPerSecond).toLocaleString('en-US')} | ${Math.round(w.p50).toLocaleString('en-US')} | ${w.errors} |`);
  return [
    '',
    '### Several servers sharing one Redis',
    '',
    `A race room of ${PLAYERS} players, each with one guess in flight, all connected to the room's server, then half of them to a second server, which relays their messages through Redis (\`guess serve --redis\`, the games kept in Redis):`,
    '',
    '| setup | players | guesses/s | RTT p50 (µs) | p99 (µs) | errors |',
    '|---|--:|--:|--:|--:|--:|',
    ...rows,
    '',
    `Plain games, ${PLAIN_CONNS} connections, against one process and against \`--workers 2\` (both with \`--redis\`). This machine has ${cpus().length} cores, and the load generator runs on them too: two workers share them with it, so what they gain here is a lower bound; with a core per worker and the players on other machines, each worker would serve its games alone.`,
    '',
    '| setup | conns | guesses/s | RTT p50 (µs) | errors |',
    '|---|--:|--:|--:|--:|',
    ...workers,
    '',
  ].join('\n');
}

interface RunningRedis {
  readonly url: string;
  stop(): Promise<void>;
}

async function startRedis(): Promise<RunningRedis> {
  const port = await freePort();
  const child: ChildProcessWithoutNullStreams = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited (${String(code)}) before it was ready`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * One race room: the first player creates it on the first server, the others join it, every other
 * one through the next server given; each plays binary search with one guess in flight, and the
 * creator starts the next round when one ends. Guesses answered in the window count, with their
 * round trips.
 */
async function playRace(setup: string, servers: readonly ServerProcess[], range: Range, warmupMs: number, windowMs: number): Promise<RaceFigures> {
  const players: RacePlayer[] = [];
  try {
    for (let i = 0; i < PLAYERS; i++) players.push(await RacePlayer.connect(servers[i % servers.length]?.port ?? 0, `P${i}`, range));
    const [host, ...others] = players;
    if (host === undefined) throw new Error('no players');
    const code = await host.create();
    for (const player of others) await player.join(code);
    host.host = true;
    host.send({ type: 'start' });
    await delay(warmupMs);
    for (const player of players) player.counting = true;
    const started = performance.now();
    await delay(windowMs);
    const seconds = (performance.now() - started) / 1000;
    for (const player of players) player.counting = false;
    const rtt = new Histogram();
    let guesses = 0;
    let errors = 0;
    for (const player of players) {
      rtt.add(player.rtt);
      guesses += player.answered;
      errors += player.errors;
    }
    return { setup, guessesPerSecond: guesses / seconds, p50: rtt.quantile(0.5) / 1000, p99: rtt.quantile(0.99) / 1000, errors };
  } finally {
    for (const player of players) player.close();
  }
}

type Message = { readonly type: string } & Record<string, unknown>;

class RacePlayer {
  readonly #socket: Socket;
  readonly #range: Range;
  #low: number;
  #high: number;
  #sentAt = 0n;
  /** One guess in flight at most: a `round_start` that comes with a `result` must not start a second. */
  #inFlight = false;
  #waiting: ((message: Message) => boolean) | undefined;
  host = false;
  counting = false;
  answered = 0;
  errors = 0;
  readonly rtt = new Histogram();

  private constructor(socket: Socket, range: Range) {
    this.#socket = socket;
    this.#range = range;
    this.#low = range.min;
    this.#high = range.max;
    createInterface({ input: socket }).on('line', (line) => this.#receive(JSON.parse(line) as Message));
  }

  static async connect(port: number, name: string, range: Range): Promise<RacePlayer> {
    const socket = connect({ host: '127.0.0.1', port, noDelay: true });
    await once(socket, 'connect');
    const player = new RacePlayer(socket, range);
    await player.#ask({ type: 'hello', name }, 'welcome');
    return player;
  }

  async create(): Promise<string> {
    return String((await this.#ask({ type: 'create', mode: 'race' }, 'room')).code);
  }

  async join(code: string): Promise<void> {
    await this.#ask({ type: 'join', code }, 'room');
  }

  send(message: object): void {
    this.#socket.write(`${JSON.stringify(message)}\n`);
  }

  close(): void {
    this.#socket.destroy();
  }

  #ask(message: object, type: string): Promise<Message> {
    return new Promise((resolve, reject) => {
      this.#waiting = (reply) => {
        if (reply.type === 'error') reject(new Error(`${String(reply.code)}: ${String(reply.message)}`));
        else if (reply.type === type) resolve(reply);
        else return false;
        return true;
      };
      this.send(message);
    });
  }

  #receive(message: Message): void {
    if (this.#waiting?.(message) === true) {
      this.#waiting = undefined;
      return;
    }
    switch (message.type) {
      case 'round_start':
        this.#low = this.#range.min;
        this.#high = this.#range.max;
        this.#guess();
        return;
      case 'result': {
        this.#inFlight = false;
        if (this.counting) {
          this.answered++;
          this.rtt.record(Number(process.hrtime.bigint() - this.#sentAt));
        }
        const value = Number(message.value);
        if (message.outcome === 'low') this.#low = value + 1;
        else if (message.outcome === 'high') this.#high = value - 1;
        else return;
        // Hints that contradict binary search: the server answered wrong.
        if (this.#low > this.#high) this.errors++;
        else this.#guess();
        return;
      }
      case 'round_end':
        if (this.host) this.send({ type: 'start' });
        return;
      case 'error':
        this.#inFlight = false;
        // A guess that crossed the round's end: the next round_start restarts the search.
        if (message.code !== 'E_NO_ROUND' && message.code !== 'E_NOT_YOUR_TURN') this.errors++;
    }
  }

  #guess(): void {
    if (this.#inFlight) return;
    this.#inFlight = true;
    this.#sentAt = process.hrtime.bigint();
    this.send({ type: 'guess', value: this.#low + Math.floor((this.#high - this.#low) / 2) });
  }
}

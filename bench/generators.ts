import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Histogram } from './histogram.js';
import type { Command, Event, WireStats } from './ipc.js';
import type { ConnectReport, LoadOptions } from './load.js';
import { pinned, pinning } from './pinning.js';

const LOADGEN = fileURLToPath(new URL('./loadgen.js', import.meta.url));

export interface MergedStats {
  readonly connected: number;
  readonly served: number;
  /** Sum over generators of replies / window. */
  readonly guessesPerSecond: number;
  readonly rtt: Histogram;
  readonly errors: number;
  readonly errorSamples: readonly string[];
}

/** One generator process, answering each command with exactly one event. */
class Generator {
  readonly #child: ChildProcess;
  readonly #waiting: Array<{ resolve: (event: Event) => void; reject: (error: Error) => void }> = [];

  constructor() {
    // Pinned, fork runs `taskset -c CORES node loadgen.js`; the IPC channel survives the exec.
    const node = pinned(pinning?.generators, []);
    this.#child = fork(LOADGEN, [], { execPath: node.command, execArgv: node.args, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.#child.on('message', (event: Event) => {
      const waiter = this.#waiting.shift();
      if (waiter === undefined) return;
      if (event.evt === 'failed') waiter.reject(new Error(`load generator: ${event.message}`));
      else waiter.resolve(event);
    });
    this.#child.on('exit', (code, signal) => {
      for (const waiter of this.#waiting.splice(0)) {
        waiter.reject(new Error(`load generator exited (${signal ?? String(code)}) before answering`));
      }
    });
  }

  ask(command: Command): Promise<Event> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      this.#child.send(command);
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  kill(): void {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
  }
}

/**
 * The generator processes of one measurement. Connections are split evenly between them, and
 * every command goes to all of them at once, so their windows line up to within an IPC hop.
 */
export class Generators {
  readonly #all: Generator[];

  constructor(processes: number) {
    this.#all = Array.from({ length: processes }, () => new Generator());
  }

  async connect(options: LoadOptions): Promise<ConnectReport> {
    const n = this.#all.length;
    const events = await Promise.all(
      this.#all.map((generator, i) =>
        generator.ask({ cmd: 'connect', options: { ...options, conns: share(options.conns, n, i) } }),
      ),
    );
    const reports = events.map((event) => (event.evt === 'connected' ? event.report : unexpected(event)));
    return {
      connected: sum(reports.map((r) => r.connected)),
      failed: sum(reports.map((r) => r.failed)),
      retries: sum(reports.map((r) => r.retries)),
      firstFailure: reports.find((r) => r.firstFailure !== undefined)?.firstFailure,
      ms: Math.max(...reports.map((r) => r.ms)),
    };
  }

  async start(): Promise<void> {
    await Promise.all(this.#all.map((generator) => generator.ask({ cmd: 'start' })));
  }

  async mark(): Promise<void> {
    await Promise.all(this.#all.map((generator) => generator.ask({ cmd: 'mark' })));
  }

  /** The window since the last mark; the bots play on. */
  read(): Promise<MergedStats> {
    return this.#stats('read');
  }

  /** The window since the last mark; the bots close and the processes exit. */
  stop(): Promise<MergedStats> {
    return this.#stats('stop');
  }

  async #stats(cmd: 'read' | 'stop'): Promise<MergedStats> {
    const events = await Promise.all(this.#all.map((generator) => generator.ask({ cmd })));
    const stats: WireStats[] = events.map((event) => (event.evt === 'stats' ? event.stats : unexpected(event)));
    const rtt = new Histogram();
    for (const one of stats) rtt.add(Histogram.fromSparse(one.rtt));
    return {
      connected: sum(stats.map((s) => s.connected)),
      served: sum(stats.map((s) => s.served)),
      guessesPerSecond: sum(stats.map((s) => (s.windowMs > 0 ? (s.replies * 1000) / s.windowMs : 0))),
      rtt,
      errors: sum(stats.map((s) => s.errors)),
      errorSamples: stats.flatMap((s) => s.errorSamples).slice(0, 5),
    };
  }

  /** The processes' ids, once started (undefined for one that could not start). */
  get pids(): Array<number | undefined> {
    return this.#all.map((generator) => generator.pid);
  }

  kill(): void {
    for (const generator of this.#all) generator.kill();
  }
}

/** Connections for generator i of n: as even as possible, the first ones taking the remainder. */
function share(total: number, n: number, i: number): number {
  return Math.floor(total / n) + (i < total % n ? 1 : 0);
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function unexpected(event: Event): never {
  throw new Error(`load generator answered ${event.evt} out of turn`);
}

import { setTimeout as delay } from 'node:timers/promises';
import type { Range } from '../src/core/game.js';
import type { DialectName } from './dialects.js';
import { Generators } from './generators.js';
import { Load } from './load.js';
import type { ConnectReport } from './load.js';
import { CpuMeter, cpuSeconds, openFds, rssBytes } from './proc.js';
import { readHealth, type Health, type ServerName, type ServerProcess } from './servers.js';

export interface LoadResult {
  readonly server: ServerName;
  readonly dialect: DialectName;
  readonly conns: number;
  readonly processes: number;
  readonly connect: ConnectReport;
  /**
   * The server's CPU time while the bots connected, in seconds: where the load generator sets the
   * pace of connecting, the connect time hides what each connection costs the server.
   */
  readonly connectCpu: number;
  readonly served: number;
  readonly guessesPerSecond: number;
  /** Round trips in microseconds. */
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  /** Server CPU over the window, in percent of one core. */
  readonly cpu: number;
  /**
   * The load generators' CPU over the window, in percent of one core, summed over their
   * processes: a process near 100 % sets the pace as much as the server does.
   */
  readonly generatorCpu: number;
  readonly rss: number;
  /** Our server's store over the window, from `/healthz` before and after it. */
  readonly store?: StoreFigures;
  /** Inconsistent replies, broken connections and failed connects. */
  readonly errors: number;
  readonly errorSamples: readonly string[];
}

export interface StoreFigures {
  readonly commitsPerSecond: number;
  /** Mean wall time of one commit, in microseconds (NaN without commits). */
  readonly meanCommitUs: number;
  /** Share of the window the server spent committing (the event loop waits on each commit). */
  readonly commitShare: number;
  readonly syncsPerSecond: number;
  /** Mean wall time of one sync (fsync of the log, off the event loop), in microseconds. */
  readonly meanSyncUs: number;
}

export interface LoadPlan {
  readonly dialect: DialectName;
  readonly conns: number;
  readonly processes: number;
  readonly range: Range;
  readonly warmupMs: number;
  readonly windowMs: number;
}

/** Connects the bots, lets them warm up, then measures one window of play. */
export async function measureLoad(server: ServerProcess, plan: LoadPlan): Promise<LoadResult> {
  const generators = new Generators(plan.processes);
  try {
    const cpuBefore = cpuSeconds(server.pid);
    const connect = await generators.connect({
      host: '127.0.0.1',
      port: server.port,
      dialect: plan.dialect,
      conns: plan.conns,
      range: plan.range,
    });
    const connectCpu = cpuSeconds(server.pid) - cpuBefore;
    await generators.start();
    await delay(plan.warmupMs);
    await generators.mark();
    const cpu = new CpuMeter(server.pid);
    const generatorMeters = generators.pids.flatMap((pid) => (pid === undefined ? [] : [new CpuMeter(pid)]));
    // Read while the bots play, at both ends of the window (closing them would commit too).
    const healthBefore = server.name === 'ours' ? timedHealth(server.port) : undefined;
    // Handled here so that a failure waits for the await below, which fails the run.
    healthBefore?.catch(() => undefined);
    await delay(plan.windowMs);
    const cpuPercent = cpu.percent();
    const generatorCpu = generatorMeters.reduce((total, meter) => total + meter.percent(), 0);
    const rss = rssBytes(server.pid);
    const store = healthBefore === undefined ? undefined : storeFigures(await healthBefore, await timedHealth(server.port));
    const stats = await generators.stop();
    const samples = [...stats.errorSamples];
    if (connect.firstFailure !== undefined) samples.unshift(`connect failed: ${connect.firstFailure}`);
    return {
      server: server.name,
      dialect: plan.dialect,
      conns: plan.conns,
      processes: plan.processes,
      connect,
      connectCpu,
      served: stats.served,
      guessesPerSecond: stats.guessesPerSecond,
      p50: stats.rtt.quantile(0.5) / 1000,
      p99: stats.rtt.quantile(0.99) / 1000,
      p999: stats.rtt.quantile(0.999) / 1000,
      cpu: cpuPercent,
      generatorCpu,
      rss,
      ...(store === undefined ? {} : { store }),
      errors: stats.errors + connect.failed,
      errorSamples: samples,
    };
  } finally {
    generators.kill();
  }
}

async function timedHealth(port: number): Promise<Health & { at: number }> {
  const health = await readHealth(port);
  return { ...health, at: performance.now() };
}

function storeFigures(before: Health & { at: number }, after: Health & { at: number }): StoreFigures {
  const commits = after.commits - before.commits;
  const ms = after.commitMs - before.commitMs;
  const windowMs = after.at - before.at;
  const syncs = after.syncs - before.syncs;
  return {
    commitsPerSecond: (commits / windowMs) * 1000,
    meanCommitUs: commits === 0 ? NaN : (ms / commits) * 1000,
    commitShare: ms / windowMs,
    syncsPerSecond: (syncs / windowMs) * 1000,
    meanSyncUs: syncs === 0 ? NaN : ((after.syncMs - before.syncMs) / syncs) * 1000,
  };
}

export interface IdleResult {
  readonly server: ServerName;
  /** plain: bare TCP connections; ws: WebSocket players, each holding a solo round. */
  readonly dialect: DialectName;
  readonly conns: number;
  readonly connected: number;
  readonly rssBefore: number;
  readonly rssAfter: number;
  readonly bytesPerConn: number;
  readonly errors: number;
  readonly errorSamples: readonly string[];
}

/**
 * RSS per idle connection: a fresh server's RSS, then `conns` connections that never send a byte
 * (plain), or WebSocket bots that set up a solo game and then stay silent, as an open page does
 * (ws); then its RSS again once the server holds them all and its memory has settled.
 */
export async function measureIdle(server: ServerProcess, conns: number, processes: number, dialect: DialectName = 'plain'): Promise<IdleResult> {
  await settle(server.pid);
  const rssBefore = rssBytes(server.pid);
  const fdsBefore = openFds(server.pid);
  const generators = new Generators(processes);
  try {
    const connect = await generators.connect({
      host: '127.0.0.1',
      port: server.port,
      dialect,
      conns,
      range: { min: 1, max: 2 },
    });
    // The client's connect completes in the kernel; wait until the server has accepted them all.
    for (let i = 0; i < 200 && openFds(server.pid) < fdsBefore + connect.connected; i++) await delay(50);
    const rssAfter = await settle(server.pid);
    const stats = await generators.stop();
    return {
      server: server.name,
      dialect,
      conns,
      connected: connect.connected,
      rssBefore,
      rssAfter,
      bytesPerConn: (rssAfter - rssBefore) / Math.max(1, connect.connected),
      errors: stats.errors + connect.failed,
      errorSamples: connect.firstFailure === undefined ? stats.errorSamples : [`connect failed: ${connect.firstFailure}`],
    };
  } finally {
    generators.kill();
  }
}

/** Waits (at most ~3 s) until RSS stops moving by more than 1 %, and returns it. */
async function settle(pid: number): Promise<number> {
  let last = rssBytes(pid);
  for (let i = 0; i < 12; i++) {
    await delay(250);
    const now = rssBytes(pid);
    if (Math.abs(now - last) <= last * 0.01) return now;
    last = now;
  }
  return last;
}

/** Whether the server plays `dialect` yet: undefined if one bot can set up a game, else why not. */
export async function probe(server: ServerProcess, dialect: DialectName, range: Range): Promise<string | undefined> {
  const load = new Load({ host: '127.0.0.1', port: server.port, dialect, conns: 1, range, connectRetries: 0 });
  try {
    const report = await load.connect();
    return report.connected === 1 ? undefined : (report.firstFailure ?? 'could not connect');
  } finally {
    load.close();
  }
}

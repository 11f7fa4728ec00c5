/**
 * `npm run bench`: our server and the bare baselines (`node:net` for plain, `ws` for WebSocket) as
 * separate processes, driven by the same binary-search bots, in one run; prints a markdown table
 * with the targets and writes it to docs/BENCHMARKS.md. Exit status: 0 all good, 1 errors (any reply inconsistent with binary
 * search, any failed connection), 2 bad usage, 3 a target failed.
 *
 *   npm run bench                      the full matrix (a few minutes)
 *   npm run bench -- --quick           1, 100 and 1,000 connections, short windows, nothing written
 *   npm run bench -- --conns 100 --dialects plain --reps 1 --cpu-prof /tmp/prof
 */
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FSYNC_POLICIES } from '../src/server/config.js';
import { DIALECT_NAMES, type DialectName } from './dialects.js';
import { aggregate, cellKey } from './aggregate.js';
import { measureIdle, measureLoad, probe, type IdleResult, type LoadPlan, type LoadResult } from './measure.js';
import { pinningLine } from './pinning.js';
import { fileLimits } from './proc.js';
import { markdown, verdicts, type Results } from './report.js';
import { killServers, ROOT, startBareJson, startBareWs, startBaseline, startOurs, type ServerProcess } from './servers.js';
import { measureStartup } from './startup.js';
import { positiveInt, rangeOf, UsageError } from './args.js';
import { clusterMarkdown, measureCluster } from './cluster.js';

const USAGE = `Usage: npm run bench -- [options]
  --quick             1, 100, 1,000 conns, 1 s windows, 1 repetition; no idle, start-up or generator check; writes nothing
  --conns LIST        connection counts (default 1,100,1000,10000)
  --dialects LIST     plain,json,ws (default: every one the generator speaks)
  --reps N            repetitions of each cell, interleaved; the median is shown (default 5; 1 at 10,000 conns)
  --window MS         measured window per cell (default 1500)
  --warmup MS         play before the window (default 500)
  --min A --max B     the servers' range (default 1..1000000)
  --no-idle           skip the idle-RSS measurement
  --no-startup        skip the start-up timing
  --no-cluster        skip the servers sharing one Redis (a race room across two, --workers 2)
  --write / --no-write   write docs/BENCHMARKS.md (default: yes, except with --quick)
  --cpu-prof DIR      run our server under node --cpu-prof, profiles into DIR
  --fsync WHEN        our server's --fsync (second, its default, or commit: each reply waits for the disk)
  --no-store          our server keeps its games in memory (--db :memory:): what the store costs
                      (either of these two measures something other than what a user runs: nothing is written)
`;

interface Options {
  readonly conns: readonly number[];
  readonly dialects: readonly DialectName[];
  readonly reps: number;
  readonly windowMs: number;
  readonly warmupMs: number;
  readonly range: { readonly min: number; readonly max: number };
  readonly idle: boolean;
  readonly startupRuns: number;
  readonly cluster: boolean;
  readonly generatorCheck: boolean;
  readonly write: boolean;
  readonly cpuProf: string | undefined;
  /** Our server's flags beyond OUR_FLAGS: a configuration other than the default, for analysis. */
  readonly variant: readonly string[];
}

const IDLE_CONNS = 10_000;
/** Five: on a shared machine whose speed drifts from minute to minute, the median of three paired ratios still moved by a tenth between runs. */
const DEFAULT_REPS = 5;
/** 10,000 connections take seconds to open; two repetitions show they all work without doubling the run. */
const MAX_REPS_AT_10K = 1;
/**
 * Every JSON bot opens a solo room, and a room outlives its dropped player for the seat hold
 * (60 s): a run opens tens of thousands of rooms within a minute, so rooms are given up after a
 * second. Nothing else changes (loopback is exempt from the slowloris deadline by default).
 */
const OUR_FLAGS = ['--seat-hold-ms', '1000'];
/** A whole run must end; past this something is stuck and the run fails. */
const DEADLINE_MS = 10 * 60_000;

function parseOptions(argv: readonly string[]): Options {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean' },
      conns: { type: 'string' },
      dialects: { type: 'string' },
      reps: { type: 'string' },
      window: { type: 'string' },
      warmup: { type: 'string' },
      min: { type: 'string' },
      max: { type: 'string' },
      'no-idle': { type: 'boolean' },
      'no-startup': { type: 'boolean' },
      'no-cluster': { type: 'boolean' },
      write: { type: 'boolean' },
      'no-write': { type: 'boolean' },
      'cpu-prof': { type: 'string' },
      fsync: { type: 'string' },
      'no-store': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help === true) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const quick = values.quick === true;
  const numbers = (text: string | undefined, fallback: readonly number[]): number[] =>
    text === undefined ? [...fallback] : text.split(',').map((part) => positiveInt(part, 'a count'));
  const dialects = values.dialects === undefined ? [...DIALECT_NAMES] : values.dialects.split(',');
  for (const name of dialects) {
    if (!(DIALECT_NAMES as readonly string[]).includes(name)) usage(`unknown dialect '${name}' (plain, json, ws)`);
  }
  const range = rangeOf(values.min === undefined ? 1 : Number(values.min), values.max === undefined ? 1_000_000 : Number(values.max));
  if (values.fsync !== undefined && !(FSYNC_POLICIES as readonly string[]).includes(values.fsync)) usage(`--fsync must be ${FSYNC_POLICIES.join(' or ')}, got '${values.fsync}'`);
  const variant = [...(values.fsync === undefined ? [] : ['--fsync', values.fsync]), ...(values['no-store'] === true ? ['--db', ':memory:'] : [])];
  if (variant.length > 0 && values.write === true) usage('--fsync and --no-store measure another configuration than a user runs: they write nothing');
  return {
    conns: numbers(values.conns, quick ? [1, 100, 1000] : [1, 100, 1000, 10_000]),
    dialects: dialects as DialectName[],
    reps: values.reps === undefined ? (quick ? 1 : DEFAULT_REPS) : positiveInt(values.reps, '--reps'),
    windowMs: values.window === undefined ? (quick ? 1000 : 1500) : positiveInt(values.window, '--window'),
    warmupMs: values.warmup === undefined ? (quick ? 300 : 500) : positiveInt(values.warmup, '--warmup'),
    range,
    idle: !quick && values['no-idle'] !== true,
    startupRuns: quick || values['no-startup'] === true ? 0 : 15,
    cluster: !quick && values['no-cluster'] !== true,
    generatorCheck: !quick,
    write: variant.length > 0 || values['no-write'] === true ? false : values.write === true || !quick,
    cpuProf: values['cpu-prof'],
    variant,
  };
}

function usage(message: string): never {
  process.stderr.write(`bench: ${message}\n${USAGE}`);
  process.exit(2);
}

/**
 * Generator processes for `conns` connections: `wanted`, or more if one process may not hold its
 * share. Node raises its soft open-file limit to the hard one at start-up, so the hard limit is
 * what counts; undefined when even the server could not hold them.
 */
function processesFor(conns: number, wanted: number): number | undefined {
  const { hard } = fileLimits();
  const perProcess = hard - 100;
  if (conns > perProcess) return undefined;
  return Math.max(wanted, Math.ceil(conns / perProcess));
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) usage(error.message);
    throw error;
  }
  const started = Date.now();
  const { soft, hard } = fileLimits();
  log(`bench: open-file limit ${soft} (hard ${hard}); range ${options.range.min}..${options.range.max}`);

  const conns = options.conns.filter((n) => {
    if (processesFor(n, 1) !== undefined) return true;
    log(
      `bench: skipping ${n} connections: each side needs an open-file limit above ${n + 100}, and the hard limit here is ${hard}. ` +
        `Raise it (as root: ulimit -Hn ${n + 1000}, or LimitNOFILE= for a service) and run again.`,
    );
    return false;
  });

  const machine = {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    ramGiB: totalmem() / 2 ** 30,
    node: process.version,
    kernel: release(),
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    loadAverage: loadavg(),
    pinning: pinningLine(),
  };
  if (options.cpuProf !== undefined) mkdirSync(options.cpuProf, { recursive: true });
  const nodeArgs = options.cpuProf === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${options.cpuProf}`];

  if (options.variant.length > 0) process.stdout.write(`bench: our server runs with ${options.variant.join(' ')}, not as a user runs it\n`);
  const ours = await startOurs({ range: options.range, nodeArgs, flags: [...OUR_FLAGS, ...options.variant] });
  const baseline = await startBaseline({ range: options.range });
  const unavailable: Array<{ dialect: DialectName; reason: string }> = [];
  for (const dialect of options.dialects.filter((d) => d !== 'plain')) {
    const reason = await probe(ours, dialect, options.range);
    if (reason === undefined) continue;
    unavailable.push({ dialect, reason });
    log(`bench: our server does not play ${dialect} yet (${reason}): reported as not available`);
  }
  const dialects = options.dialects.filter((d) => !unavailable.some((u) => u.dialect === d));
  const bareWs = dialects.includes('ws') ? await startBareWs({ range: options.range }) : undefined;
  const bareJson = dialects.includes('json') ? await startBareJson({ range: options.range }) : undefined;
  // A fresh process runs its hot path unoptimised for a while: neither server is timed before it
  // has played a while in every dialect. Errors here count like any other.
  let warmupErrors = 0;
  const warmups: Array<[ServerProcess, DialectName]> = [[baseline, 'plain'], ...dialects.map((d): [ServerProcess, DialectName] => [ours, d])];
  if (bareWs !== undefined) warmups.push([bareWs, 'ws']);
  if (bareJson !== undefined) warmups.push([bareJson, 'json']);
  for (const [server, dialect] of warmups) {
    const warm = await measureLoad(server, { dialect, conns: 100, processes: 1, range: options.range, warmupMs: 0, windowMs: 1000 });
    warmupErrors += warm.errors;
    for (const sample of warm.errorSamples) log(`   warm-up error: ${sample}`);
  }
  const runs = new Map<string, LoadResult[]>();
  try {
    for (let rep = 1; rep <= options.reps; rep++) {
      for (const n of conns.filter((c) => c < 10_000 || rep <= MAX_REPS_AT_10K)) {
        const cells: Array<{ server: ServerProcess; plan: LoadPlan }> = [];
        const plan = (dialect: DialectName, processes: number): LoadPlan => ({
          dialect,
          conns: n,
          processes: processesFor(n, processes) ?? processes,
          range: options.range,
          warmupMs: options.warmupMs,
          windowMs: options.windowMs,
        });
        // Each ratio pairs two cells of one repetition: they run back to back, so that a machine
        // whose speed drifts (a shared host) moves both alike. JSON's is to our plain, and to the
        // bare JSON server right after it (not at 10,000 connections: the bare ws server there
        // stands for what a handshake costs, which JSON's lines do not have).
        if (dialects.includes('plain')) {
          cells.push({ server: baseline, plan: plan('plain', 1) });
          cells.push({ server: ours, plan: plan('plain', 1) });
        }
        if (dialects.includes('json')) cells.push({ server: ours, plan: plan('json', 1) });
        if (bareJson !== undefined && n < 10_000) cells.push({ server: bareJson, plan: plan('json', 1) });
        if (dialects.includes('plain') && options.generatorCheck && (n === 100 || n === 1000)) cells.push({ server: baseline, plan: plan('plain', 2) });
        if (dialects.includes('ws')) {
          if (bareWs !== undefined) cells.push({ server: bareWs, plan: plan('ws', 1) });
          cells.push({ server: ours, plan: plan('ws', 1) });
        }
        for (const { server, plan: p } of cells) {
          const result = await measureLoad(server, p);
          const key = cellKey(server.name, p.dialect, p.conns, p.processes);
          runs.set(key, [...(runs.get(key) ?? []), result]);
          log(
            `rep ${rep}/${options.reps} ${server.name.padEnd(8)} ${p.dialect.padEnd(5)} ${String(n).padStart(5)} conns, ${p.processes} gen: ` +
              `${Math.round(result.guessesPerSecond)} guesses/s, p50 ${result.p50.toFixed(1)} µs, cpu ${result.cpu.toFixed(0)} %, ` +
              `${result.connect.connected} connected (${result.connect.retries} retries, ${result.connect.ms.toFixed(0)} ms), ` +
              `${result.served} served, ${result.errors} errors`,
          );
          for (const sample of result.errorSamples) log(`   error: ${sample}`);
        }
      }
    }
  } finally {
    await ours.stop();
    await baseline.stop();
    await bareWs?.stop();
    await bareJson?.stop();
  }

  const idle: IdleResult[] = [];
  if (options.idle) {
    const processes = processesFor(IDLE_CONNS, 1);
    if (processes === undefined) log(`bench: skipping idle RSS: ${IDLE_CONNS} connections need a higher open-file limit (hard ${hard})`);
    else {
      const idlers: Array<[typeof startOurs, DialectName]> = [[startBaseline, 'plain'], [startOurs, 'plain']];
      if (dialects.includes('ws')) idlers.push([startBareWs, 'ws'], [startOurs, 'ws']);
      for (const [start, dialect] of idlers) {
        const server = await start({ range: options.range, flags: OUR_FLAGS });
        try {
          const result = await measureIdle(server, IDLE_CONNS, processes, dialect);
          idle.push(result);
          log(`idle ${server.name} ${dialect}: ${result.connected} connected, ${(result.bytesPerConn / 1024).toFixed(2)} KiB each, ${result.errors} errors`);
          for (const sample of result.errorSamples) log(`   error: ${sample}`);
        } finally {
          await server.stop();
        }
      }
    }
  }

  const startup = options.startupRuns > 0 ? await measureStartup(options.startupRuns) : [];
  const cluster = options.cluster ? await measureCluster(options.range, options.warmupMs, Math.max(options.windowMs, 3000)) : undefined;
  if (typeof cluster === 'string') log(`bench: skipping the servers sharing one Redis: ${cluster}`);
  else if (cluster !== undefined) {
    for (const r of [...cluster.race, ...cluster.workers]) log(`cluster: ${r.setup}: ${Math.round(r.guessesPerSecond)} guesses/s, p50 ${r.p50.toFixed(0)} µs, ${r.errors} errors`);
  }
  const loads = aggregate(runs);
  const results: Results = {
    machine,
    settings: {
      range: options.range,
      warmupMs: options.warmupMs,
      windowMs: options.windowMs,
      reps: options.reps,
      repsAt10k: Math.min(options.reps, MAX_REPS_AT_10K),
      command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    },
    loads,
    idle,
    startup,
    unavailable,
  };
  const table = markdown(results) + (cluster === undefined ? '' : clusterMarkdown(cluster));
  process.stdout.write(`\n${table}`);
  if (options.write) {
    writeBenchmarks(table);
    log('bench: wrote docs/BENCHMARKS.md');
  }
  log(`bench: finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);

  const clusterErrors = cluster === undefined || typeof cluster === 'string' ? 0 : [...cluster.race, ...cluster.workers].reduce((n, r) => n + r.errors, 0);
  const errors = warmupErrors + loads.reduce((n, r) => n + r.errors, 0) + idle.reduce((n, r) => n + r.errors, 0) + clusterErrors;
  if (errors > 0) {
    log(`bench: FAILED: ${errors} errors (replies inconsistent with binary search, or broken connections)`);
    return 1;
  }
  const failed = verdicts(results).filter((v) => v.result === 'FAIL');
  if (failed.length > 0) {
    log(`bench: targets missed: ${failed.map((v) => v.target).join('; ')}`);
    return 3;
  }
  return 0;
}

const BEGIN = '<!-- bench:begin (written by npm run bench) -->';
const END = '<!-- bench:end -->';

/** Replaces the generated part of docs/BENCHMARKS.md, keeping whatever is written around it. */
function writeBenchmarks(table: string): void {
  const file = join(ROOT, 'docs', 'BENCHMARKS.md');
  const block = `${BEGIN}\n${table}${END}`;
  const old = existsSync(file) ? readFileSync(file, 'utf8') : `# Benchmarks\n\n${BEGIN}\n${END}\n`;
  const from = old.indexOf(BEGIN);
  const to = old.indexOf(END);
  const next = from === -1 || to === -1 ? `${old.trimEnd()}\n\n${block}\n` : `${old.slice(0, from)}${block}${old.slice(to + END.length)}`;
  writeFileSync(file, next);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killServers();
    process.exit(1);
  });
}

const deadline = setTimeout(() => {
  log(`bench: FAILED: still running after ${DEADLINE_MS / 60_000} minutes`);
  killServers();
  process.exit(1);
}, DEADLINE_MS);
deadline.unref();

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    log(`bench: FAILED: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);

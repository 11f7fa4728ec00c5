import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import WebSocket from 'ws';
import { aggregate, cellKey, type Row } from '../bench/aggregate.js';
import type { DialectName } from '../bench/dialects.js';
import { measureIdle, measureLoad, type IdleResult, type LoadResult } from '../bench/measure.js';
import { markdown, verdicts, type Results } from '../bench/report.js';
import { Generators } from '../bench/generators.js';
import { pinning, pinningLine } from '../bench/pinning.js';
import { readHealth, startBareWs, startBaseline, startOurs, type ServerName } from '../bench/servers.js';
import { playsWithoutError } from './helpers/bench-load.js';
import { startRedis } from './helpers/redis.js';

interface Figures {
  readonly gps: number;
  readonly p50?: number;
  /** Server CPU in % of one core. */
  readonly cpu?: number;
  /** The generators' CPU in % of one core. */
  readonly generatorCpu?: number;
  readonly connectMs?: number;
  /** Server CPU seconds while connecting. */
  readonly connectCpu?: number;
}

function cell(server: ServerName, dialect: DialectName, conns: number, f: Figures): LoadResult {
  return {
    server,
    dialect,
    conns,
    processes: 1,
    connect: { connected: conns, failed: 0, retries: 0, firstFailure: undefined, ms: f.connectMs ?? 10 },
    connectCpu: f.connectCpu ?? 0.001,
    served: conns,
    guessesPerSecond: f.gps,
    p50: f.p50 ?? 50,
    p99: 100,
    p999: 200,
    cpu: f.cpu ?? 100,
    generatorCpu: f.generatorCpu ?? 90,
    rss: 50 * 2 ** 20,
    errors: 0,
    errorSamples: [],
  };
}

/** Cells measured repetition by repetition, as the run interleaves them. */
function runs(...cells: ReadonlyArray<readonly LoadResult[]>): Map<string, LoadResult[]> {
  const map = new Map<string, LoadResult[]>();
  for (const reps of cells) {
    const first = reps[0];
    if (first !== undefined) map.set(cellKey(first.server, first.dialect, first.conns, first.processes), [...reps]);
  }
  return map;
}

function idle(server: ServerName, dialect: DialectName, bytesPerConn: number): IdleResult {
  return { server, dialect, conns: 10_000, connected: 10_000, rssBefore: 0, rssAfter: bytesPerConn * 10_000, bytesPerConn, errors: 0, errorSamples: [] };
}

function results(loads: readonly Row[], idleResults: readonly IdleResult[] = []): Results {
  return {
    machine: { cpu: 'test', cores: 2, ramGiB: 1, node: 'v20', kernel: '6', date: '2026-01-01T00:00:00Z', loadAverage: [0, 0, 0], pinning: 'Nothing is pinned.' },
    settings: { range: { min: 1, max: 1_000_000 }, warmupMs: 1, windowMs: 1, reps: 3, repsAt10k: 1, command: 'npm run bench' },
    loads,
    idle: idleResults,
    startup: [],
    unavailable: [],
  };
}

function row(rows: readonly Row[], server: ServerName, conns: number): Row {
  const found = rows.find((r) => r.server === server && r.dialect === 'ws' && r.conns === conns);
  assert.ok(found, `no ${server} ws row at ${conns}`);
  return found;
}

function verdict(res: Results, target: string): { measured: string; result: string } {
  const found = verdicts(res).find((v) => v.target === target);
  assert.ok(found, `no verdict '${target}' among ${verdicts(res).map((v) => v.target).join('; ')}`);
  return found;
}

describe('the benchmark report, JSON against plain', () => {
  const json = (ratio100: number, ratio1000: number): Results =>
    results(
      aggregate(
        runs(
          [cell('ours', 'plain', 100, { gps: 1000 })],
          [cell('ours', 'json', 100, { gps: 1000 * ratio100 })],
          [cell('ours', 'plain', 1000, { gps: 1000 })],
          [cell('ours', 'json', 1000, { gps: 1000 * ratio1000 })],
        ),
      ),
    );

  it('judges both bounds the issues set, 0.75 × and 0.85 ×, at 100 and 1,000 connections alike', () => {
    const between = json(0.9, 0.8);
    assert.deepEqual(verdict(between, 'JSON dialect, 100 and 1,000 conns: ≥ 0.75 × plain guesses/s'), {
      target: 'JSON dialect, 100 and 1,000 conns: ≥ 0.75 × plain guesses/s',
      measured: '100: 0.90 ×, 1,000: 0.80 ×',
      result: 'PASS',
    });
    assert.equal(verdict(between, 'JSON dialect, 100 and 1,000 conns: ≥ 0.85 × plain guesses/s').result, 'FAIL');
    assert.equal(verdict(json(0.85, 0.86), 'JSON dialect, 100 and 1,000 conns: ≥ 0.85 × plain guesses/s').result, 'PASS');
    assert.equal(verdict(json(0.74, 0.9), 'JSON dialect, 100 and 1,000 conns: ≥ 0.75 × plain guesses/s').result, 'FAIL');
  });
});

describe('the benchmark report, WebSocket against bare ws', () => {
  it('pairs each repetition of ours with the bare ws cell of the same repetition, and takes the median of those ratios', () => {
    // Medians of each side: 900 vs 1,000 (0.9); ratios paired by repetition: 1.0, 0.75, 1.2 (median 1.0).
    const rows = aggregate(
      runs(
        [cell('bare-ws', 'ws', 100, { gps: 1000, cpu: 100 }), cell('bare-ws', 'ws', 100, { gps: 1200, cpu: 100 }), cell('bare-ws', 'ws', 100, { gps: 500, cpu: 50 })],
        [cell('ours', 'ws', 100, { gps: 1000, cpu: 110 }), cell('ours', 'ws', 100, { gps: 900, cpu: 100 }), cell('ours', 'ws', 100, { gps: 600, cpu: 90 })],
      ),
    );
    const ours = row(rows, 'ours', 100);
    assert.equal(ours.vs.bareWs, 1.0);
    // CPU per guess, paired: 1.1, 1.333…, 1.5 → 1.333…
    assert.ok(Math.abs((ours.vs.cpuPerGuessBareWs ?? NaN) - 4 / 3) < 1e-9, String(ours.vs.cpuPerGuessBareWs));
    assert.equal(ours.vs.p50BareWs, 1);
    assert.deepEqual(row(rows, 'bare-ws', 100).vs, {});
  });

  it('judges the WebSocket targets against bare ws, each at its bound', () => {
    const rows = aggregate(
      runs(
        [cell('bare-ws', 'ws', 1, { gps: 10_000, p50: 100 })],
        [cell('ours', 'ws', 1, { gps: 9000, p50: 130 })],
        [cell('bare-ws', 'ws', 100, { gps: 1000, cpu: 100 })],
        [cell('ours', 'ws', 100, { gps: 900, cpu: 103.5 })],
        [cell('bare-ws', 'ws', 1000, { gps: 1000, cpu: 100 })],
        [cell('ours', 'ws', 1000, { gps: 899, cpu: 104 })],
        [cell('bare-ws', 'ws', 10_000, { gps: 1000, connectMs: 2400, connectCpu: 3.9 })],
        [cell('ours', 'ws', 10_000, { gps: 1000, connectMs: 2999, connectCpu: 6.1 })],
      ),
    );
    const res = results(rows);
    assert.equal(verdict(res, 'WebSocket, 100 conns: ≥ 0.9 × bare ws guesses/s').result, 'PASS');
    assert.equal(verdict(res, 'WebSocket, 1,000 conns: ≥ 0.9 × bare ws guesses/s').result, 'FAIL');
    assert.match(verdict(res, 'WebSocket, 1,000 conns: ≥ 0.9 × bare ws guesses/s').measured, /^0\.90 × \(medians 899 vs 1,000\)$/);
    // 103.5 % for 900 guesses/s against 100 % for 1,000: 1.15 × the CPU per guess, just within.
    assert.equal(verdict(res, 'WebSocket, 100 conns: server CPU per guess ≤ 1.15 × bare ws').result, 'PASS');
    assert.equal(verdict(res, 'WebSocket, 1,000 conns: server CPU per guess ≤ 1.15 × bare ws').result, 'FAIL');
    assert.equal(verdict(res, 'WebSocket, 1 conn: p50 round trip ≤ 1.3 × bare ws').result, 'PASS');
    assert.equal(verdict(res, 'WebSocket, 10,000 conns: all connect in < 3 s and are served, 0 errors').result, 'PASS');
    // Bare ws's time from the same run, beside ours: it tells a slow machine from a slow server.
    // And what each connection cost each server meanwhile: where the generator sets the pace, the times alone hide it.
    assert.match(
      verdict(res, 'WebSocket, 10,000 conns: all connect in < 3 s and are served, 0 errors').measured,
      /^10000\/10000 connected in 3\.00 s, 610 µs of server CPU each, .*; bare ws: 2\.40 s, 390 µs of server CPU each$/,
    );
    assert.deepEqual(verdict(res, 'WebSocket: RSS per idle connection reported'), {
      target: 'WebSocket: RSS per idle connection reported',
      measured: 'not measured',
      result: 'n/a',
    });

    const slow = results(
      aggregate(
        runs(
          [cell('bare-ws', 'ws', 1, { gps: 10_000, p50: 100 })],
          [cell('ours', 'ws', 1, { gps: 9000, p50: 131 })],
          [cell('ours', 'ws', 10_000, { gps: 1000, connectMs: 3000 })],
        ),
      ),
    );
    assert.equal(verdict(slow, 'WebSocket, 1 conn: p50 round trip ≤ 1.3 × bare ws').result, 'FAIL');
    assert.equal(verdict(slow, 'WebSocket, 10,000 conns: all connect in < 3 s and are served, 0 errors').result, 'FAIL');
    assert.match(verdict(slow, 'WebSocket, 10,000 conns: all connect in < 3 s and are served, 0 errors').measured, /connected in 3\.00 s, [\d.]+ µs of server CPU each, 10000 served, 0 errors$/);
    assert.deepEqual(
      [verdict(slow, 'WebSocket, 100 conns: ≥ 0.9 × bare ws guesses/s'), verdict(slow, 'WebSocket, 100 conns: server CPU per guess ≤ 1.15 × bare ws')].map((v) => [v.measured, v.result]),
      [['not measured', 'n/a'], ['not measured', 'n/a']],
    );
  });

  it('reports RSS per idle WebSocket beside bare ws, and keeps the plain idle target to plain connections', () => {
    const res = results([], [idle('ours', 'ws', 9 * 1024), idle('bare-ws', 'ws', 3 * 1024), idle('ours', 'plain', 4 * 1024)]);
    assert.deepEqual(verdict(res, 'WebSocket: RSS per idle connection reported'), {
      target: 'WebSocket: RSS per idle connection reported',
      measured: '9.00 KiB (10,000 idle, each in a solo round); bare ws 3.00 KiB',
      result: 'reported',
    });
    assert.deepEqual(verdict(res, 'idle connections: ≤ 5 KiB RSS each'), {
      target: 'idle connections: ≤ 5 KiB RSS each',
      measured: '4.00 KiB (10,000 idle)',
      result: 'PASS',
    });
    assert.match(markdown(res), /^\| ours \| ws \| 10,000 \| 0\.0 MiB \| 87\.9 MiB \| 9\.00 KiB \|$/m);
  });

  it('keeps the plain targets against bare node:net beside the WebSocket ones', () => {
    const res = results(
      aggregate(
        runs(
          [cell('baseline', 'plain', 100, { gps: 1000 })],
          [cell('ours', 'plain', 100, { gps: 950, generatorCpu: 97 })],
          [cell('bare-ws', 'ws', 100, { gps: 2000 })],
          [cell('ours', 'ws', 100, { gps: 1000 })],
        ),
      ),
    );
    assert.equal(verdict(res, 'plain, 100 conns: ≥ 0.9 × baseline guesses/s').result, 'PASS');
    assert.equal(verdict(res, 'WebSocket, 100 conns: ≥ 0.9 × bare ws guesses/s').result, 'FAIL');
    const table = markdown(res);
    // The main table's ratio is against each row's own bare server: 0.95 for plain, 0.50 for ws.
    assert.match(table, /^\| plain \| 100 \| ours \| 1 \| 950 \| 0\.95 \|/m);
    // The generators' CPU beside the server's: 97 % says the bots, not only the server, set plain's pace.
    assert.match(table, /^\| plain \| 100 \| ours \| 1 \|( [^|]+ \|){7} 97 % \|/m);
    assert.match(table, /^\| ws \| 100 \| ours \| 1 \| 1,000 \| 0\.50 \|/m);
    assert.match(table, /^\| 100 \| 1,000 \| 2,000 \| 0\.50 \| 1\.00 \| 1,000 µs \| 500 µs \| 2\.00 \|$/m);
  });
});

/** The cores a process may run on, as `taskset -c` lists them. */
function coresOf(pid: number): string {
  const line = /^Cpus_allowed_list:\s*(\S+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(line !== null, `no Cpus_allowed_list for ${pid}`);
  return line[1] as string;
}

describe('the benchmark\u2019s cores', () => {
  const mine = coresOf(process.pid);

  it('runs each measured server on a core of its own and the generators on the others, and says so in the report', async () => {
    const servers = [await startBaseline({ range: { min: 1, max: 16 } }), await startOurs({ range: { min: 1, max: 16 } })];
    const generators = new Generators(1);
    try {
      for (const server of servers) assert.equal(coresOf(server.pid), pinning?.server ?? mine, server.name);
      // Answering a command, the generator is node itself, past taskset's exec.
      await generators.mark();
      const [pid] = generators.pids;
      assert.ok(pid !== undefined);
      assert.equal(coresOf(pid), pinning?.generators ?? mine);
    } finally {
      generators.kill();
      await Promise.all(servers.map((server) => server.stop()));
    }
    if (pinning !== undefined) assert.notEqual(pinning.server, pinning.generators);
    const report = markdown({ ...results([]), machine: { ...results([]).machine, pinning: pinningLine() } });
    assert.ok(report.includes(pinning === undefined ? 'Nothing is pinned' : `The server runs on core ${pinning.server} alone`), report.slice(0, 800));
  });

  it('leaves a cluster\u2019s workers free to use every core', async () => {
    const redis = await startRedis();
    try {
      const server = await startOurs({ range: { min: 1, max: 16 }, flags: ['--redis', redis.url, '--workers', '2'] });
      try {
        assert.equal(coresOf(server.pid), mine);
      } finally {
        await server.stop();
      }
    } finally {
      await redis.stop();
    }
  });
});

describe('a measured window', () => {
  it('reads the generators\u2019 CPU as well as the server\u2019s', async () => {
    const server = await startBaseline({ range: { min: 1, max: 16 } });
    try {
      const result = await measureLoad(server, { dialect: 'plain', conns: 4, processes: 1, range: { min: 1, max: 16 }, warmupMs: 50, windowMs: 300 });
      assert.deepEqual([result.errors, result.served], [0, 4]);
      // Four bots that never wait but for their replies keep their process busy: never 0 %.
      assert.ok(result.generatorCpu > 0 && result.generatorCpu <= 150, `generators' CPU ${result.generatorCpu} %`);
    } finally {
      await server.stop();
    }
  });
});

describe('the bare ws server', () => {
  it('plays the generator\u2019s ws bots without an error', async () => {
    const server = await startBareWs({ range: { min: 1, max: 16 } });
    try {
      await playsWithoutError(server.port, 'ws', (reply) => reply.includes('"outcome":"win"'));
    } finally {
      await server.stop();
    }
  });

  it('sends the frames of our solo round: a result per guess, then round_end and the next round_start', async () => {
    const server = await startBareWs({ range: { min: 1, max: 1_000_000 } });
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, { perMessageDeflate: false });
    const inbox: Array<Record<string, unknown>> = [];
    let wake = (): void => {};
    ws.on('message', (data: Buffer) => {
      inbox.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>);
      wake();
    });
    const next = async (): Promise<Record<string, unknown>> => {
      while (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      return inbox.shift() as Record<string, unknown>;
    };
    try {
      await once(ws, 'open');
      ws.send('{"type":"hello","name":"bench"}');
      assert.equal((await next()).type, 'welcome');
      ws.send(JSON.stringify({ type: 'create', mode: 'solo', min: 1, max: 1_000_000 }));
      assert.equal((await next()).type, 'room');
      let start = await next();
      for (let round = 1; round <= 2; round++) {
        assert.deepEqual([start.type, start.round, start.min, start.max], ['round_start', round, 1, 1_000_000]);
        let [low, high] = [1, 1_000_000];
        let result: Record<string, unknown>;
        do {
          const guess = Math.floor((low + high) / 2);
          ws.send(`{"type":"guess","value":${guess}}`);
          result = await next();
          assert.equal(result.type, 'result');
          if (result.outcome === 'low') low = guess + 1;
          else if (result.outcome === 'high') high = guess - 1;
          else assert.equal(result.outcome, 'win');
        } while (result.outcome !== 'win');
        const end = await next();
        assert.deepEqual([end.type, end.round, end.secret], ['round_end', round, result.value]);
        assert.equal(end.commitment, createHash('sha256').update(`${String(end.salt)}:${String(end.secret)}`).digest('hex'));
        start = await next();
      }
    } finally {
      ws.terminate();
      await server.stop();
    }
  });

  it('holds idle WebSocket players for the idle RSS measurement, on bare ws and on ours', async () => {
    for (const start of [startBareWs, startOurs]) {
      const server = await start({ range: { min: 1, max: 1_000_000 }, flags: ['--seat-hold-ms', '1000'] });
      try {
        const before = server.name === 'ours' ? await readHealth(server.port) : undefined;
        const result = await measureIdle(server, 20, 1, 'ws');
        assert.deepEqual([result.server, result.dialect, result.connected, result.errors, result.errorSamples], [server.name, 'ws', 20, 0, []]);
        // The bots' solo rooms are committed before their round_start; silent TCP connections commit nothing.
        if (before !== undefined) assert.ok((await readHealth(server.port)).commits > before.commits);
      } finally {
        await server.stop();
      }
    }
  });
});

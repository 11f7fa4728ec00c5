import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import WebSocket from 'ws';
import { aggregate, cellKey, type Row } from '../bench/aggregate.js';
import type { DialectName } from '../bench/dialects.js';
import { measureIdle, measureLoad, type IdleResult, type LoadResult } from '../bench/measure.js';
import { markdown, verdicts, type Results } from '../bench/report.js';
import { Generators } from '../bench/generators.js';
import { pinning, pinningLine } from '../bench/pinning.js';
import { readHealth, startBareJson, startBareWs, startBaseline, startOurs, type ServerName } from '../bench/servers.js';
import { inTurns, measureStartup } from '../bench/startup.js';
import { playsWithoutError } from './helpers/bench-load.js';
import { coresOf } from './helpers/process.js';
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

  it('never shows a ratio that misses its bound as the bound: 0.897 × is not "0.90 ×"', () => {
    const plain = (ratio: number): Results =>
      results(aggregate(runs([cell('baseline', 'plain', 1000, { gps: 10_000 })], [cell('ours', 'plain', 1000, { gps: 10_000 * ratio })])));
    assert.deepEqual(verdict(plain(0.897), 'plain, 1,000 conns: ≥ 0.9 × baseline guesses/s'), {
      target: 'plain, 1,000 conns: ≥ 0.9 × baseline guesses/s',
      measured: '0.897 × (medians 8,970 vs 10,000)',
      result: 'FAIL',
    });
    assert.match(verdict(plain(0.9004), 'plain, 1,000 conns: ≥ 0.9 × baseline guesses/s').measured, /^0\.9004 × /);
    assert.match(verdict(plain(0.9), 'plain, 1,000 conns: ≥ 0.9 × baseline guesses/s').measured, /^0\.90 × /);
    assert.match(verdict(plain(0.894), 'plain, 1,000 conns: ≥ 0.9 × baseline guesses/s').measured, /^0\.89 × /);
    const close = json(0.7496, 0.8);
    assert.deepEqual(verdict(close, 'JSON dialect, 100 and 1,000 conns: ≥ 0.75 × plain guesses/s'), {
      target: 'JSON dialect, 100 and 1,000 conns: ≥ 0.75 × plain guesses/s',
      measured: '100: 0.7496 ×, 1,000: 0.80 ×',
      result: 'FAIL',
    });
  });
});

describe('the benchmark report, JSON against a bare JSON server', () => {
  const rows = (): Row[] =>
    aggregate(
      runs(
        [cell('baseline', 'plain', 100, { gps: 2000 }), cell('baseline', 'plain', 100, { gps: 1000 }), cell('baseline', 'plain', 100, { gps: 2000 })],
        [cell('ours', 'plain', 100, { gps: 1600 }), cell('ours', 'plain', 100, { gps: 900 }), cell('ours', 'plain', 100, { gps: 1800 })],
        [cell('ours', 'json', 100, { gps: 1200, cpu: 90, p50: 60 }), cell('ours', 'json', 100, { gps: 700, cpu: 100, p50: 80 }), cell('ours', 'json', 100, { gps: 1400, cpu: 100, p50: 50 })],
        [cell('bare-json', 'json', 100, { gps: 1000, cpu: 100, p50: 50 }), cell('bare-json', 'json', 100, { gps: 500, cpu: 100, p50: 100 }), cell('bare-json', 'json', 100, { gps: 1100, cpu: 100, p50: 50 })],
      ),
    );
  const find = (all: readonly Row[], server: ServerName): Row => {
    const found = all.find((r) => r.server === server && r.dialect === 'json');
    assert.ok(found, `no ${server} json row`);
    return found;
  };

  it('pairs our JSON with the bare JSON server repetition by repetition, and the bare server with the baseline', () => {
    const all = rows();
    const ours = find(all, 'ours');
    // Paired: 1.2, 1.4, 1.27… → 1.27…; our plain stays JSON's other ratio (0.75, 0.78, 0.78 → 0.78).
    assert.ok(Math.abs((ours.vs.bare ?? NaN) - 1400 / 1100) < 1e-9, String(ours.vs.bare));
    assert.ok(Math.abs((ours.vs.plain ?? NaN) - 1400 / 1800) < 1e-9, String(ours.vs.plain));
    // CPU per guess, paired: 0.75, 0.71…, 0.79 → 0.75; round trips: 1.2, 0.8, 1.0 → 1.0.
    assert.ok(Math.abs((ours.vs.cpuPerGuessBare ?? NaN) - 0.75) < 1e-9, String(ours.vs.cpuPerGuessBare));
    assert.equal(ours.vs.p50Bare, 1);
    // What JSON's messages cost a bare server: 0.5, 0.5, 0.55 of the baseline → 0.5.
    assert.deepEqual(find(all, 'bare-json').vs, { baseline: 0.5 });
  });

  it('reports it beside the targets against plain, and shows each JSON row against the bare JSON server', () => {
    const res = results(rows());
    assert.deepEqual(verdict(res, 'JSON dialect: × a bare JSON server (guesses/s; CPU per guess), which plays at × the baseline'), {
      target: 'JSON dialect: × a bare JSON server (guesses/s; CPU per guess), which plays at × the baseline',
      measured: '100: 1.27 × (0.75 ×), bare JSON 0.50 × the baseline',
      result: 'reported',
    });
    const table = markdown(res);
    // The main table: our JSON against the bare JSON server, the bare JSON server against the baseline.
    assert.match(table, /^\| json \| 100 \| ours \| 1 \| 1,200 \| 1\.27 \|/m);
    assert.match(table, /^\| json \| 100 \| bare-json \| 1 \| 1,000 \| 0\.50 \|/m);
    assert.match(table, /^\| 100 \| 1,200 \| 1,000 \| 1\.27 \| 1\.00 \| 750 µs \| 1,000 µs \| 0\.75 \| 0\.50 \|$/m);
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
    assert.equal(ours.vs.bare, 1.0);
    // CPU per guess, paired: 1.1, 1.333…, 1.5 → 1.333…
    assert.ok(Math.abs((ours.vs.cpuPerGuessBare ?? NaN) - 4 / 3) < 1e-9, String(ours.vs.cpuPerGuessBare));
    assert.equal(ours.vs.p50Bare, 1);
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
    assert.match(verdict(res, 'WebSocket, 1,000 conns: ≥ 0.9 × bare ws guesses/s').measured, /^0\.899 × \(medians 899 vs 1,000\)$/);
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

/** One connection to a bare server: messages sent as text, received parsed, in order. */
interface Peer {
  send(text: string): void;
  next(): Promise<Record<string, unknown>>;
  close(): void;
}

function inbox(): { push: (text: string) => void; next: () => Promise<Record<string, unknown>> } {
  const messages: Array<Record<string, unknown>> = [];
  let wake = (): void => {};
  return {
    push: (text) => {
      messages.push(JSON.parse(text) as Record<string, unknown>);
      wake();
    },
    next: async () => {
      while (messages.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      return messages.shift() as Record<string, unknown>;
    },
  };
}

async function wsPeer(port: number): Promise<Peer> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { perMessageDeflate: false });
  const box = inbox();
  ws.on('message', (data: Buffer) => box.push(data.toString('utf8')));
  await once(ws, 'open');
  return { send: (text) => ws.send(text), next: box.next, close: () => ws.terminate() };
}

async function linePeer(port: number): Promise<Peer> {
  const socket = connect({ host: '127.0.0.1', port });
  const box = inbox();
  let pending = '';
  socket.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString('utf8')).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) box.push(line);
  });
  await once(socket, 'connect');
  return { send: (text) => socket.write(`${text}\n`), next: box.next, close: () => socket.destroy() };
}

for (const [label, start, dialect, open] of [
  ['ws', startBareWs, 'ws', wsPeer],
  ['JSON', startBareJson, 'json', linePeer],
] as const) {
  describe(`the bare ${label} server`, () => {
    it('plays the generator\u2019s bots without an error', async () => {
      const server = await start({ range: { min: 1, max: 16 } });
      try {
        await playsWithoutError(server.port, dialect, (reply) => reply.includes('"outcome":"win"'));
      } finally {
        await server.stop();
      }
    });

    it('sends the messages of our solo round: a result per guess, then round_end and the next round_start', async () => {
      const server = await start({ range: { min: 1, max: 1_000_000 } });
      const peer = await open(server.port);
      try {
        peer.send('{"type":"hello","name":"bench"}');
        assert.equal((await peer.next()).type, 'welcome');
        peer.send(JSON.stringify({ type: 'create', mode: 'solo', min: 1, max: 1_000_000 }));
        assert.equal((await peer.next()).type, 'room');
        let next = await peer.next();
        for (let round = 1; round <= 2; round++) {
          assert.deepEqual([next.type, next.round, next.min, next.max], ['round_start', round, 1, 1_000_000]);
          let [low, high] = [1, 1_000_000];
          let result: Record<string, unknown>;
          do {
            const guess = Math.floor((low + high) / 2);
            peer.send(`{"type":"guess","value":${guess}}`);
            result = await peer.next();
            assert.equal(result.type, 'result');
            if (result.outcome === 'low') low = guess + 1;
            else if (result.outcome === 'high') high = guess - 1;
            else assert.equal(result.outcome, 'win');
          } while (result.outcome !== 'win');
          const end = await peer.next();
          assert.deepEqual([end.type, end.round, end.secret], ['round_end', round, result.value]);
          assert.equal(end.commitment, createHash('sha256').update(`${String(end.salt)}:${String(end.secret)}`).digest('hex'));
          next = await peer.next();
        }
      } finally {
        peer.close();
        await server.stop();
      }
    });
  });
}

describe('the bare ws server, idle', () => {
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

describe('the start-up timing', () => {
  it('times the commands in turns, so that Node itself is timed beside ours under the same load', async () => {
    const order: string[] = [];
    let clock = 0;
    const results = await inTurns(
      [
        { label: 'node', args: [] },
        { label: 'guess', args: [] },
      ],
      3,
      (command) => {
        order.push(command.label);
        // Each run slower than the one before, as a machine getting busier: both commands see it.
        return Promise.resolve(++clock);
      },
    );
    assert.deepEqual(order, ['node', 'guess', 'node', 'guess', 'node', 'guess']);
    assert.deepEqual(
      results.map((r) => [r.label, r.runs, r.medianMs, r.maxMs]),
      [
        ['node', 3, 3, 5],
        ['guess', 3, 4, 6],
      ],
    );
  });

  it('times Node, guess --help and guess play as whole processes', async () => {
    const results = await measureStartup(1);
    assert.deepEqual(
      results.map((r) => r.label),
      ['node -e 0 (Node itself)', 'guess --help', 'guess play'],
    );
    for (const r of results) assert.ok(r.medianMs > 0 && r.medianMs === r.maxMs, `${r.label}: ${r.medianMs} ms`);
  });
});

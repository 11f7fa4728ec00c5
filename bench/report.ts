import type { DialectName } from './dialects.js';
import { BARE, type Row } from './aggregate.js';
import type { IdleResult } from './measure.js';
import type { StartupResult } from './startup.js';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  /** Which cores the server and the generators ran on (see pinning.ts). */
  readonly pinning: string;
  readonly ramGiB: number;
  readonly node: string;
  readonly kernel: string;
  readonly date: string;
  readonly loadAverage: readonly number[];
}

export interface Settings {
  readonly range: { readonly min: number; readonly max: number };
  readonly warmupMs: number;
  readonly windowMs: number;
  readonly reps: number;
  readonly repsAt10k: number;
  readonly command: string;
}

export interface Results {
  readonly machine: Machine;
  readonly settings: Settings;
  /** One row per measured cell: the median repetition by guesses/s, with errors of all of them. */
  readonly loads: readonly Row[];
  readonly idle: readonly IdleResult[];
  readonly startup: readonly StartupResult[];
  /** Dialects our server does not play yet, with the reason the probe got. */
  readonly unavailable: ReadonlyArray<{ readonly dialect: DialectName; readonly reason: string }>;
}

export interface Verdict {
  readonly target: string;
  readonly measured: string;
  readonly result: 'PASS' | 'FAIL' | 'n/a' | 'reported';
}

const JSON_TARGET_CONNS: readonly number[] = [100, 1000];

/** Every target of the benchmark, checked against this run's figures. */
export function verdicts(results: Results): Verdict[] {
  const load = (server: string, dialect: DialectName, conns: number, processes = 1): Row | undefined =>
    results.loads.find((r) => r.server === server && r.dialect === dialect && r.conns === conns && r.processes === processes);
  const out: Verdict[] = [];

  for (const conns of [100, 1000]) {
    const ours = load('ours', 'plain', conns);
    const base = load('baseline', 'plain', conns);
    const ratio = ours?.vs.baseline ?? NaN;
    out.push({
      target: `plain, ${conns.toLocaleString('en-US')} conns: ≥ 0.9 × baseline guesses/s`,
      measured: Number.isNaN(ratio) ? 'not measured' : `${nearBound(ratio, 0.9)} × (medians ${rate(ours?.guessesPerSecond)} vs ${rate(base?.guessesPerSecond)})`,
      result: Number.isNaN(ratio) ? 'n/a' : ratio >= 0.9 ? 'PASS' : 'FAIL',
    });
  }

  const ours1 = load('ours', 'plain', 1);
  const base1 = load('baseline', 'plain', 1);
  const rttRatio = ours1?.vs.p50Baseline ?? NaN;
  out.push({
    target: '1 conn: p50 round trip ≤ 1.2 × baseline',
    measured: Number.isNaN(rttRatio) ? 'not measured' : `${nearBound(rttRatio, 1.2)} × (medians ${us(ours1?.p50)} vs ${us(base1?.p50)} µs)`,
    result: Number.isNaN(rttRatio) ? 'n/a' : rttRatio <= 1.2 ? 'PASS' : 'FAIL',
  });

  const big = results.loads.filter((r) => r.server === 'ours' && r.conns === 10_000);
  out.push({
    target: '10,000 conns: all connected and served, 0 errors',
    measured:
      big.length === 0
        ? 'not measured'
        : big.map((r) => `${r.dialect}: ${r.connect.connected}/${r.conns} connected, ${r.served} served, ${r.errors} errors`).join('; '),
    result: big.length === 0 ? 'n/a' : big.every((r) => r.connect.connected === r.conns && r.served === r.conns && r.errors === 0) ? 'PASS' : 'FAIL',
  });

  const idle = results.idle.find((r) => r.server === 'ours' && r.dialect === 'plain');
  out.push({
    target: 'idle connections: ≤ 5 KiB RSS each',
    measured: idle === undefined ? 'not measured' : `${kib(idle.bytesPerConn)} KiB (${idle.connected.toLocaleString('en-US')} idle)`,
    result: idle === undefined ? 'n/a' : idle.bytesPerConn <= 5 * 1024 && idle.errors === 0 ? 'PASS' : 'FAIL',
  });

  // Every JSON guess waits for a commit, which at one connection is most of its round trip: the
  // target holds where group commit shares it among many (and is reported everywhere else).
  const jsonRows = results.loads.filter((r) => r.server === 'ours' && r.dialect === 'json');
  const jsonRatios = jsonRows.flatMap((json) => (json.vs.plain === undefined ? [] : [{ conns: json.conns, ratio: json.vs.plain }]));
  const targeted = jsonRatios.filter((r) => JSON_TARGET_CONNS.includes(r.conns));
  const list = (ratios: typeof jsonRatios, bound?: number): string =>
    ratios.map((r) => `${r.conns.toLocaleString('en-US')}: ${bound === undefined ? r.ratio.toFixed(2) : nearBound(r.ratio, bound)} ×`).join(', ');
  // The store's issue asked for 0.75 ×; the WebSocket one, for JSON over TCP to rise with it to 0.85 ×.
  for (const bound of [0.75, 0.85]) {
    out.push({
      target: `JSON dialect, 100 and 1,000 conns: ≥ ${bound} × plain guesses/s`,
      measured: targeted.length === 0
        ? results.unavailable.some((u) => u.dialect === 'json') ? 'JSON dialect not available yet' : 'not measured'
        : list(targeted, bound),
      result: targeted.length === 0 ? 'n/a' : targeted.every((r) => r.ratio >= bound) ? 'PASS' : 'FAIL',
    });
  }
  const others = jsonRatios.filter((r) => !JSON_TARGET_CONNS.includes(r.conns));
  if (others.length > 0) out.push({ target: 'JSON dialect, other counts: × plain guesses/s', measured: list(others), result: 'reported' });
  // What speaking JSON costs a bare server, beside what ours costs around the game.
  const bareJson = jsonRows.flatMap((json) => {
    const bare = load('bare-json', 'json', json.conns);
    return json.vs.bare === undefined || bare?.vs.baseline === undefined ? [] : [{ conns: json.conns, ours: json.vs.bare, cpu: json.vs.cpuPerGuessBare, bare: bare.vs.baseline }];
  });
  if (bareJson.length > 0) {
    out.push({
      target: 'JSON dialect: × a bare JSON server (guesses/s; CPU per guess), which plays at × the baseline',
      measured: bareJson
        .map((r) => `${r.conns.toLocaleString('en-US')}: ${r.ours.toFixed(2)} × (${ratioText(r.cpu)} ×), bare JSON ${r.bare.toFixed(2)} × the baseline`)
        .join('; '),
      result: 'reported',
    });
  }

  const ws = results.loads.filter((r) => r.server === 'ours' && r.dialect === 'ws');
  const wsMissing = results.unavailable.some((u) => u.dialect === 'ws') ? 'WebSocket not available yet' : 'not measured';
  out.push({
    target: 'WebSocket: reported',
    measured: ws.length > 0 ? ws.map((r) => `${r.conns.toLocaleString('en-US')}: ${rate(r.guessesPerSecond)}/s`).join(', ') : wsMissing,
    result: ws.length > 0 ? 'reported' : 'n/a',
  });
  out.push(...wsVerdicts(load, wsMissing, results.idle));

  for (const start of results.startup.filter((s) => s.label.startsWith('guess'))) {
    out.push({
      target: `\`${start.label}\` starts in < 150 ms (whole process)`,
      measured: `median ${start.medianMs.toFixed(0)} ms of ${start.runs}`,
      result: start.medianMs < 150 ? 'PASS' : 'FAIL',
    });
  }

  const errors = results.loads.reduce((n, r) => n + r.errors, 0) + results.idle.reduce((n, r) => n + r.errors, 0);
  out.push({ target: 'no errors anywhere in the run', measured: `${errors} errors`, result: errors === 0 ? 'PASS' : 'FAIL' });
  return out;
}

/** WebSocket against bare `ws`, each ratio paired within a repetition like plain against bare `node:net`. */
function wsVerdicts(load: (server: string, dialect: DialectName, conns: number) => Row | undefined, missing: string, idle: readonly IdleResult[]): Verdict[] {
  const out: Verdict[] = [];
  const check = (target: string, ratio: number | undefined, ours: string, bare: string, bound: number, atMost: boolean): void => {
    out.push({
      target,
      measured: ratio === undefined ? missing : `${nearBound(ratio, bound)} × (medians ${ours} vs ${bare})`,
      result: ratio === undefined ? 'n/a' : (atMost ? ratio <= bound : ratio >= bound) ? 'PASS' : 'FAIL',
    });
  };
  for (const conns of [100, 1000]) {
    const ours = load('ours', 'ws', conns);
    const bare = load('bare-ws', 'ws', conns);
    const n = conns.toLocaleString('en-US');
    check(`WebSocket, ${n} conns: ≥ 0.9 × bare ws guesses/s`, ours?.vs.bare, rate(ours?.guessesPerSecond), rate(bare?.guessesPerSecond), 0.9, false);
    check(`WebSocket, ${n} conns: server CPU per guess ≤ 1.15 × bare ws`, ours?.vs.cpuPerGuessBare, `${us(cpuPerGuess(ours))} µs`, `${us(cpuPerGuess(bare))} µs`, 1.15, true);
  }
  const ours1 = load('ours', 'ws', 1);
  const bare1 = load('bare-ws', 'ws', 1);
  check('WebSocket, 1 conn: p50 round trip ≤ 1.3 × bare ws', ours1?.vs.p50Bare, `${us(ours1?.p50)} µs`, `${us(bare1?.p50)} µs`, 1.3, true);

  const big = load('ours', 'ws', 10_000);
  // The same handshake against bare `ws` in the same run tells a slow machine from a slow server.
  const bigBare = load('bare-ws', 'ws', 10_000);
  out.push({
    target: 'WebSocket, 10,000 conns: all connect in < 3 s and are served, 0 errors',
    measured:
      big === undefined
        ? missing
        : `${big.connect.connected}/${big.conns} connected in ${connectFigures(big)}, ${big.served} served, ${big.errors} errors` +
          (bigBare === undefined ? '' : `; bare ws: ${connectFigures(bigBare)}`),
    result:
      big === undefined ? 'n/a' : big.connect.connected === big.conns && big.connect.ms < 3000 && big.served === big.conns && big.errors === 0 ? 'PASS' : 'FAIL',
  });
  const ours = idle.find((r) => r.server === 'ours' && r.dialect === 'ws');
  const bare = idle.find((r) => r.server === 'bare-ws' && r.dialect === 'ws');
  out.push({
    target: 'WebSocket: RSS per idle connection reported',
    measured:
      ours === undefined
        ? missing
        : `${kib(ours.bytesPerConn)} KiB (${ours.connected.toLocaleString('en-US')} idle, each in a solo round)` +
          (bare === undefined ? '' : `; bare ws ${kib(bare.bytesPerConn)} KiB`),
    result: ours === undefined ? 'n/a' : ours.errors === 0 ? 'reported' : 'FAIL',
  });
  return out;
}

export function markdown(results: Results): string {
  const { machine: m, settings: s } = results;
  const lines: string[] = [];
  lines.push(
    `Run on ${m.date}: ${m.cpu}, ${m.cores} cores, ${m.ramGiB.toFixed(1)} GiB RAM, Node ${m.node}, Linux ${m.kernel}; ` +
      `load average at start ${m.loadAverage.map((x) => x.toFixed(2)).join(' ')}.`,
    '',
    `Command: \`${s.command}\`. Range ${s.range.min}..${s.range.max}; each cell: ${s.warmupMs} ms warm-up, then a ${s.windowMs} ms window; ` +
      `${s.reps} repetition${s.reps === 1 ? '' : 's'} (${s.repsAt10k} at 10,000 connections), interleaved; each row shows the median repetition, ` +
      'each ratio is the median of ratios paired within a repetition, errors are summed over all.',
    'Our server runs as `guess serve --db FILE --log-level warn --seat-hold-ms 1000`, FILE in a temporary directory ' +
      '(at info it logs two lines per connection; every JSON bot opens a solo room, and rooms outlive dropped players for the seat hold). ' +
      '`ours / bare`: against bare `ws` (bare-ws) for WebSocket rows, against the bare JSON server (bare-json) for JSON rows, ' +
      'against the bare `node:net` baseline for the others (the bare JSON server\'s own row included). ' +
      `${m.pinning} Loopback only. RTT in µs; CPU in % of one core, and per guess (CPU time ÷ guesses: steadier than guesses/s on a busy machine); ` +
      "the generators' CPU in % of one core, summed over their processes: where a process nears 100 %, the bots set the pace as much as the server.",
    '',
    '| dialect | conns | server | gen procs | guesses/s | ours / bare | RTT p50 | p99 | p99.9 | server CPU | CPU per guess | generators\' CPU | server RSS | served | errors |',
    '|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  );
  for (const r of results.loads) {
    const bare = r.server === 'ours' && BARE[r.dialect] !== undefined ? r.vs.bare : r.vs.baseline;
    const ratio = bare === undefined ? '' : bare.toFixed(2);
    lines.push(
      `| ${r.dialect} | ${r.conns.toLocaleString('en-US')} | ${r.server} | ${r.processes} | ${rate(r.guessesPerSecond)} | ${ratio} | ` +
        `${us(r.p50)} | ${us(r.p99)} | ${us(r.p999)} | ${r.cpu.toFixed(0)} % | ${us(cpuPerGuess(r))} µs | ${r.generatorCpu.toFixed(0)} % | ${mib(r.rss)} MiB | ${r.served.toLocaleString('en-US')} | ${r.errors} |`,
    );
  }
  for (const { dialect } of results.unavailable) lines.push(`| ${dialect} | – | ours | – | not available yet | | | | | | | | | | |`);
  for (const { dialect, reason } of results.unavailable) lines.push('', `${dialect}: not available: ${reason.replaceAll('|', '\\|')}`);

  const stored = results.loads.filter((r) => r.store !== undefined);
  if (stored.length > 0) {
    lines.push(
      '',
      'The store, as `guess serve` runs by default (`--fsync second`): every turn of the event loop that changed a room is one commit, on the event loop, and the replies of that turn ' +
        'wait for it (a turn of guesses alone is one write to the side journal beside the file, the others a transaction); a sync (an fsync of the log and the side journal, off the event loop) puts every commit before it on disk, a second after the first one it lacks. ' +
        'Read from `/healthz` at both ends of the window, in the median repetition; a plain game writes nothing.',
      '',
      '| dialect | conns | commits/s | guesses per commit | mean commit | event loop committing | syncs/s | mean sync |',
      '|---|--:|--:|--:|--:|--:|--:|--:|',
    );
    for (const r of stored) {
      const store = r.store;
      if (store === undefined) continue;
      const perCommit = store.commitsPerSecond > 0 ? (r.guessesPerSecond / store.commitsPerSecond).toFixed(1) : '–';
      lines.push(
        `| ${r.dialect} | ${r.conns.toLocaleString('en-US')} | ${rate(store.commitsPerSecond)} | ${perCommit} | ${us(store.meanCommitUs)} µs | ${(store.commitShare * 100).toFixed(0)} % | ` +
          `${rate(store.syncsPerSecond)} | ${us(store.meanSyncUs)} µs |`,
      );
    }
  }

  lines.push(
    ...againstBare(
      results,
      'ws',
      'WebSocket against bare `ws` (the same solo game on `ws` alone, the same frames of about the same sizes), each ratio the median of ratios paired within a repetition:',
    ),
    ...againstBare(
      results,
      'json',
      'JSON against a bare JSON server (the same solo game, one JSON object per line on `node:net` alone, JSON.parse and JSON.stringify per message), ' +
        'each ratio the median of ratios paired within a repetition; the last column is what speaking JSON costs a bare server, against the bare `node:net` baseline:',
    ),
  );

  const comparison = generatorComparison(results);
  if (comparison.length > 0) {
    lines.push(
      '',
      'Is the generator the bottleneck? The baseline driven by one generator process and by two:',
      '',
      '| conns | 1 gen proc | 2 gen procs | 2 / 1 |',
      '|--:|--:|--:|--:|',
      ...comparison,
      '',
      'A second generator process that adds little (2 / 1 near 1.0) means one process already drives the server as hard as it goes.',
    );
  }

  if (results.idle.length > 0) {
    lines.push(
      '',
      'Idle: plain connections never send a byte; WebSocket ones each say hello and set up a solo round, then stay silent, as an open page does.',
      '',
      '| idle connections | dialect | connected | RSS before | RSS after | per connection |',
      '|---|---|--:|--:|--:|--:|',
    );
    for (const r of results.idle) {
      lines.push(
        `| ${r.server} | ${r.dialect} | ${r.connected.toLocaleString('en-US')} | ${mib(r.rssBefore)} MiB | ${mib(r.rssAfter)} MiB | ${kib(r.bytesPerConn)} KiB |`,
      );
    }
  }

  if (results.startup.length > 0) {
    lines.push('', '| start-up (whole process) | median | max | runs |', '|---|--:|--:|--:|');
    for (const r of results.startup) lines.push(`| \`${r.label}\` | ${r.medianMs.toFixed(0)} ms | ${r.maxMs.toFixed(0)} ms | ${r.runs} |`);
  }

  lines.push('', '| target | measured | result |', '|---|---|---|');
  for (const v of verdicts(results)) lines.push(`| ${v.target} | ${v.measured} | ${v.result} |`);
  return `${lines.join('\n')}\n`;
}

/** A table of our rows of one dialect against its bare server (BARE), if the run measured both. */
function againstBare(results: Results, dialect: DialectName, intro: string): string[] {
  const name = BARE[dialect];
  const rows = results.loads.filter((r) => r.server === 'ours' && r.dialect === dialect && r.vs.bare !== undefined);
  if (name === undefined || rows.length === 0) return [];
  const label = dialect === 'ws' ? 'bare ws' : 'bare JSON';
  const json = dialect === 'json';
  const lines = [
    '',
    intro,
    '',
    `| conns | ours guesses/s | ${label} | ours / ${label} | RTT p50 ours / ${label} | CPU per guess: ours | ${label} | ours / ${label} |${json ? ' bare JSON / baseline |' : ''}`,
    `|--:|--:|--:|--:|--:|--:|--:|--:|${json ? '--:|' : ''}`,
  ];
  for (const r of rows) {
    const bare = results.loads.find((b) => b.server === name && b.dialect === dialect && b.conns === r.conns && b.processes === r.processes);
    lines.push(
      `| ${r.conns.toLocaleString('en-US')} | ${rate(r.guessesPerSecond)} | ${rate(bare?.guessesPerSecond)} | ${ratioText(r.vs.bare)} | ${ratioText(r.vs.p50Bare)} | ` +
        `${us(cpuPerGuess(r))} µs | ${us(cpuPerGuess(bare))} µs | ${ratioText(r.vs.cpuPerGuessBare)} |${json ? ` ${ratioText(bare?.vs.baseline)} |` : ''}`,
    );
  }
  return lines;
}

function generatorComparison(results: Results): string[] {
  const rows: string[] = [];
  for (const two of results.loads.filter((r) => r.server === 'baseline' && r.processes === 2)) {
    const one = results.loads.find((r) => r.server === 'baseline' && r.dialect === two.dialect && r.conns === two.conns && r.processes === 1);
    if (one === undefined || two.vs.oneGenerator === undefined) continue;
    rows.push(
      `| ${two.conns.toLocaleString('en-US')} | ${rate(one.guessesPerSecond)} | ${rate(two.guessesPerSecond)} | ${two.vs.oneGenerator.toFixed(2)} |`,
    );
  }
  return rows;
}

/** Server CPU time per guess, in microseconds. */
function cpuPerGuess(r: Row | undefined): number | undefined {
  return r === undefined ? undefined : (r.cpu / 100 / r.guessesPerSecond) * 1e6;
}

/** `5.44 s, 610 µs of server CPU each`: the time the generator took, and what each connection cost the server meanwhile. */
function connectFigures(r: Row): string {
  return `${(r.connect.ms / 1000).toFixed(2)} s, ${us((r.connectCpu / Math.max(1, r.connect.connected)) * 1e6)} µs of server CPU each`;
}

/**
 * A ratio judged against `bound`, with two decimals, or as many more as it takes for the figure
 * not to read as the bound itself or beyond it: 0.897 against 0.9 is "0.897", not "0.90".
 */
export function nearBound(ratio: number, bound: number): string {
  for (let digits = 2; digits < 8; digits++) {
    const shown = Number(ratio.toFixed(digits));
    if (Math.sign(shown - bound) === Math.sign(ratio - bound)) return ratio.toFixed(digits);
  }
  return String(ratio);
}

function ratioText(value: number | undefined): string {
  return value === undefined ? '–' : value.toFixed(2);
}

function rate(value: number | undefined): string {
  return value === undefined ? '–' : Math.round(value).toLocaleString('en-US');
}

function us(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? '–' : value < 100 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US');
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

function kib(bytes: number): string {
  return (bytes / 1024).toFixed(2);
}

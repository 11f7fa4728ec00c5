import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { measurePair, pairRatios, pairReport, type PairResult } from '../bench/paired.js';
import { pinning } from '../bench/pinning.js';
import { startBareJson, startBaseline } from '../bench/servers.js';
import { coresOf, finished } from './helpers/process.js';
import { ROOT } from './helpers/paths.js';

const PAIR = fileURLToPath(new URL('../bench/pair.js', import.meta.url));

describe('a paired measurement', () => {
  it('measures both servers in every window, each on the same core, each with its own bots', async () => {
    const range = { min: 1, max: 1_000_000 };
    const servers = [await startBaseline({ range }), await startBareJson({ range })] as const;
    try {
      // The point of pairing: both servers see the same core at the same moment.
      assert.equal(coresOf(servers[0].pid), coresOf(servers[1].pid));
      if (pinning !== undefined) assert.equal(coresOf(servers[0].pid), pinning.server);
      const result = await measurePair(
        [
          { label: 'baseline plain', server: servers[0], dialect: 'plain' },
          { label: 'bare-json json', server: servers[1], dialect: 'json' },
        ],
        { conns: 4, range, warmupMs: 100, windowMs: 300, windows: 2 },
      );
      assert.deepEqual([result.errors, result.errorSamples, result.windows.length], [0, [], 2]);
      for (const window of result.windows) {
        for (const i of [0, 1] as const) {
          assert.ok(window.guessesPerSecond[i] > 0, `side ${i} played: ${window.guessesPerSecond[i]}`);
          assert.ok(Number.isFinite(window.cpuPerGuessUs[i]) && window.cpuPerGuessUs[i] > 0, `side ${i}'s CPU per guess: ${window.cpuPerGuessUs[i]}`);
        }
      }
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
  });

  it('reports B over A, window by window, and their median', () => {
    const result: PairResult = {
      labels: ['old', 'new'],
      windows: [
        { cpuPerGuessUs: [20, 19], guessesPerSecond: [1000, 1000] },
        { cpuPerGuessUs: [25, 24], guessesPerSecond: [800, 800] },
        { cpuPerGuessUs: [10, 12], guessesPerSecond: [2000, 1700] },
      ],
      errors: 0,
      errorSamples: [],
    };
    assert.deepEqual(pairRatios(result), [0.95, 0.96, 1.2]);
    const lines = pairReport(result);
    assert.equal(lines[2], 'window 3: old 10.0 µs (2000/s), new 12.0 µs (1700/s), new / old 1.200');
    assert.equal(lines[3], 'server CPU per guess, median of 3 windows: old 20.0 µs, new 19.0 µs; new / old: 0.960 (0.950..1.200); 0 errors');
  });

  it('runs as npm run bench:pair, and says how to use it when asked wrong', async () => {
    const run = (args: string[]): ReturnType<typeof finished> => finished(spawn(process.execPath, [PAIR, ...args], { cwd: ROOT }));
    const ok = await run(['baseline:plain', 'bare-json:json', '--conns', '2', '--windows', '1', '--window', '300', '--warmup', '100']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^server CPU per guess, median of 1 windows: baseline plain [\d.]+ µs, bare-json json [\d.]+ µs; bare-json json \/ baseline plain: [\d.]+ .*; 0 errors$/m);
    for (const bad of [['ours:plain'], ['ours:smoke', 'baseline:plain'], ['other:plain', 'ours:plain'], ['ours:plain', 'baseline:plain', '--conns', '0']]) {
      const refused = await run(bad);
      assert.equal(refused.code, 2, bad.join(' '));
      assert.match(refused.stderr, /^bench:pair: .+\nUsage: npm run bench:pair/, bad.join(' '));
    }
  });
});

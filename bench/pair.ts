/**
 * `npm run bench:pair -- A B`: two servers' CPU per guess, measured at once and window by window
 * (see paired.ts), for an A/B test of a change that `npm run bench`'s noise would hide.
 *
 *   npm run bench:pair -- baseline:plain ours:plain
 *   npm run bench:pair -- other:json ours:json --other ../before   (another checkout, built)
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { positiveInt, rangeOf, UsageError } from './args.js';
import { DIALECT_NAMES, type DialectName } from './dialects.js';
import { measurePair, pairReport, type PairSide } from './paired.js';
import { pinning } from './pinning.js';
import { killServers, startBareJson, startBareWs, startBaseline, startOurs, type ServerOptions, type ServerProcess } from './servers.js';

const USAGE = `Usage: npm run bench:pair -- A B [options]
  A, B            SERVER:DIALECT; SERVER is ours, baseline, bare-json, bare-ws, or other (our server as
                  built in the checkout --other names); DIALECT is plain, json or ws
  --conns N       connections to each server (default 100)
  --windows N     measured windows (default 8)
  --window MS     each window (default 1000)
  --warmup MS     play before the first window (default 1500)
  --other DIR     a checkout of this project, built (npm run build), for SERVER other
  --min A --max B the servers' range (default 1..1000000)
Both servers run at once, on the core the bench gives its server (the generators on the others),
so each window's ratio of B's CPU per guess to A's is measured under the same conditions.
Exit status: 0, 1 errors (a reply inconsistent with binary search, a failed connection), 2 bad usage.
`;

type Starter = (options: ServerOptions) => Promise<ServerProcess>;
const STARTERS: Readonly<Record<string, Starter>> = { ours: startOurs, baseline: startBaseline, 'bare-json': startBareJson, 'bare-ws': startBareWs, other: startOurs };

function side(spec: string | undefined, other: string | undefined): { server: string; dialect: DialectName } {
  const [server = '', dialect = ''] = (spec ?? '').split(':');
  if (!Object.hasOwn(STARTERS, server) || !(DIALECT_NAMES as readonly string[]).includes(dialect)) throw new UsageError(`not SERVER:DIALECT: ${spec ?? '(missing)'}`);
  if (server === 'other' && other === undefined) throw new UsageError('other needs --other DIR');
  return { server, dialect: dialect as DialectName };
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      conns: { type: 'string', default: '100' },
      windows: { type: 'string', default: '8' },
      window: { type: 'string', default: '1000' },
      warmup: { type: 'string', default: '1500' },
      other: { type: 'string' },
      min: { type: 'string', default: '1' },
      max: { type: 'string', default: '1000000' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length !== 2) throw new UsageError('give two servers, A and B');
  const specs = [side(positionals[0], values.other), side(positionals[1], values.other)] as const;
  const range = rangeOf(Number(values.min), Number(values.max));
  const plan = {
    conns: positiveInt(values.conns, '--conns'),
    windows: positiveInt(values.windows, '--windows'),
    windowMs: positiveInt(values.window, '--window'),
    warmupMs: positiveInt(values.warmup, '--warmup'),
    range,
  };
  const bin = values.other === undefined ? undefined : resolve(values.other, 'bin/guess.js');

  const started: ServerProcess[] = [];
  try {
    const sides: PairSide[] = [];
    for (const spec of specs) {
      const server = await (STARTERS[spec.server] as Starter)({ range, ...(spec.server === 'other' && bin !== undefined ? { bin } : {}) });
      started.push(server);
      sides.push({ label: `${spec.server === 'other' ? `ours (${values.other ?? ''})` : spec.server} ${spec.dialect}`, server, dialect: spec.dialect });
    }
    const [a, b] = sides as [PairSide, PairSide];
    process.stdout.write(`${pinning === undefined ? 'Nothing is pinned: both servers and the generators share every core.' : `Both servers on core ${pinning.server}, the generators on ${pinning.generators}.`}\n`);
    const result = await measurePair([a, b], plan);
    for (const line of pairReport(result)) process.stdout.write(`${line}\n`);
    for (const sample of result.errorSamples) process.stdout.write(`   error: ${sample}\n`);
    return result.errors === 0 ? 0 : 1;
  } finally {
    await Promise.all(started.map((server) => server.stop()));
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killServers();
    process.exit(1);
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench:pair: ${error instanceof Error ? error.message : String(error)}\n`);
    if (error instanceof UsageError) process.stderr.write(USAGE);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);

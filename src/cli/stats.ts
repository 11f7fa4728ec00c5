import { parseModeFilter, parsePeriod, periodStart, MIN_ROUNDS, type Leaderboard, type LeaderboardQuery, type Sections } from '../core/leaderboard.js';
import type { RoundResult } from '../core/results.js';
import { barLabel, shownBars, statistics, type Histogram, type Statistics } from '../core/statistics.js';
import type { ClusterRounds } from '../store/redis-results.js';
import { forgetPlayer, readStats } from '../store/stats.js';
import { intFlag, redisFlag, UsageError, type ParsedArgs } from './args.js';
import { sourcePath } from './db.js';

const MODE_NAMES = { all: 'every mode', race: 'race', pick: 'pick', solo: 'solo' } as const;
const PERIOD_NAMES = { all: 'all time', '7d': 'the last 7 days', today: 'today' } as const;

/**
 * `guess stats`: the leaderboard of the games a server kept, read from its file (even while it
 * runs), or those of every server of a cluster, read from its Redis (`--redis`).
 */
export async function stats(args: ParsedArgs): Promise<number> {
  const { values } = args;
  const redis = redisFlag(values);
  if (redis !== undefined && (values.db !== undefined || values.port !== undefined)) throw new UsageError('give --redis, or --db or --port, not both');
  if (typeof values.forget === 'string') {
    const name = values.forget.trim();
    if (name === '') throw new UsageError('--forget needs the name of the player to forget');
    const rounds = redis === undefined ? forgetPlayer(sourcePath(values), name) : await clusterRounds(redis, (cluster) => cluster.forget(name));
    process.stdout.write(`Forgot ${name}: removed from ${rounds} ${rounds === 1 ? 'round' : 'rounds'}${redis === undefined ? '' : ' of the cluster'}\n`);
    return 0;
  }
  const mode = parseModeFilter(stringFlag(values.mode));
  if (mode === undefined) throw new UsageError(`--mode must be race, pick, solo or all, got '${String(values.mode)}'`);
  const period = parsePeriod(stringFlag(values.period));
  if (period === undefined) throw new UsageError(`--period must be today, 7d or all, got '${String(values.period)}'`);
  const minRounds = intFlag(values, 'min-rounds') ?? MIN_ROUNDS;
  if (minRounds < 1) throw new UsageError(`--min-rounds must be 1 or more, got ${minRounds}`);
  const query = { mode, period, minRounds };
  const { leaderboard, results } = redis === undefined ? readStats(sourcePath(values), query, Date.now()) : await clusterStats(redis, query, Date.now());
  const stats = statistics(results);
  process.stdout.write(values.json === true ? `${JSON.stringify({ ...leaderboard, statistics: stats }, null, 2)}\n` : `${formatLeaderboard(leaderboard)}\n${formatStatistics(stats)}`);
  return 0;
}

/** Redis's client is loaded only for a cluster. */
async function clusterRounds<T>(url: string, use: (cluster: ClusterRounds) => Promise<T>): Promise<T> {
  const cluster = await (await import('../store/redis-results.js')).ClusterRounds.open(url);
  try {
    return await use(cluster);
  } finally {
    cluster.close();
  }
}

function clusterStats(url: string, query: LeaderboardQuery, now: number): Promise<{ leaderboard: Leaderboard; results: RoundResult[] }> {
  const since = periodStart(query.period, now);
  return clusterRounds(url, async (cluster) => ({ leaderboard: await cluster.leaderboard(query, since), results: await cluster.results({ mode: query.mode, since }) }));
}

function stringFlag(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The leaderboard as tables for a terminal. */
export function formatLeaderboard(board: Leaderboard): string {
  const lines = [
    `Leaderboard: ${MODE_NAMES[board.mode]}, ${PERIOD_NAMES[board.period]}`,
    'Players are their names, compared regardless of case (an honour system).',
    '',
    ...sections(board.players, board.minRounds, ''),
    'Bots',
    ...sections(board.bots, board.minRounds, '  '),
  ];
  return lines.map((line) => `${line}\n`).join('');
}

function sections(s: Sections, minRounds: number, indent: string): string[] {
  return [
    `${indent}Race rounds won`,
    ...table(indent, ['#', 'Name', 'Wins', 'Rounds'], s.raceWins.map((l) => [l.rank, l.name, l.wins, l.rounds])),
    `${indent}Pick matches won`,
    ...table(indent, ['#', 'Name', 'Wins', 'Rounds'], s.matchWins.map((l) => [l.rank, l.name, l.wins, l.rounds])),
    `${indent}Efficiency: attempts \u00f7 the binary-search bound, lower is better (${minRounds}+ rounds found)`,
    ...table(indent, ['#', 'Name', 'Rounds', 'vs bound'], s.efficiency.map((l) => [l.rank, l.name, l.rounds, l.vsBound.toFixed(2)])),
  ];
}

/** Columns padded to their widest cell: names left, numbers right. */
function table(indent: string, head: readonly string[], rows: readonly (readonly (string | number)[])[]): string[] {
  if (rows.length === 0) return [`${indent}  (nobody yet)`, ''];
  const cells = [head, ...rows.map((row) => row.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]): string =>
    `${indent}  ${row.map((cell, i) => (i === 1 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ')}`.trimEnd();
  return [...cells.map(line), ''];
}

const BAR_WIDTH = 30;

/** The histograms and the players' lines, for a terminal: the bound is marked on its bar. */
export function formatStatistics(stats: Statistics): string {
  if (stats.histograms.length === 0) return 'Attempts per round: no round found yet.\n';
  const lines = stats.histograms.flatMap((h) => histogramLines(h));
  lines.push('Per player: rounds found, how many within the bound, attempts per round');
  lines.push(
    ...table('', ['', 'Name', 'Found', 'Within', 'Attempts'], stats.players.map((p) => [p.bot ? 'bot' : '', p.name, p.found, p.withinBound, p.meanAttempts.toFixed(1)])),
  );
  return lines.map((line) => `${line}\n`).join('');
}

function histogramLines(h: Histogram): string[] {
  const most = Math.max(1, ...h.people, ...h.bots);
  const bar = (count: number, mark: string): string => (count === 0 ? '' : `${mark.repeat(Math.max(1, Math.round((count / most) * BAR_WIDTH)))} ${count}`);
  const label = Math.max(...h.people.map((_, i) => barLabel(h, i).length));
  const rows = h.people.map((people, i) => {
    const bots = h.bots[i] ?? 0;
    const mark = i + 1 === h.bound ? '  \u2190 binary search needs at most this' : '';
    return `  ${barLabel(h, i).padStart(label)} | ${bar(people, '#').padEnd(BAR_WIDTH + 6)}${bar(bots, '*')}${mark}`.trimEnd();
  });
  return [`Attempts per round found, ${h.ranges.join(', ')}: people #, bots *`, ...rows.slice(0, shownBars(h)), ''];
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { MIN_ROUNDS, parseModeFilter, parsePeriod, periodStart, type LeaderboardQuery } from '../core/leaderboard.js';
import { statistics } from '../core/statistics.js';
import { leaderboardPage, type PageAssets } from './leaderboard-page.js';
import { resultsCsv } from './results-csv.js';
import type { Leaderboard, ResultFilter } from '../core/leaderboard.js';
import type { RoundResult } from '../core/results.js';

/** What the result routes read: the store, or in a cluster the rounds every server shares (see SharedResults). */
export interface ResultsSource {
  leaderboard(query: LeaderboardQuery, since: number | undefined): Leaderboard | Promise<Leaderboard>;
  results(filter: ResultFilter): RoundResult[] | Promise<RoundResult[]>;
}

export const RESULT_PATHS: ReadonlySet<string> = new Set(['/leaderboard', '/api/leaderboard', '/api/results.csv']);

/** `/leaderboard` (HTML), `/api/leaderboard` (JSON) and `/api/results.csv`, each for `?mode=…&period=…`. */
export async function serveResults(source: ResultsSource, assets: PageAssets, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  res.setHeader('Cache-Control', 'no-store');
  const query = parseQuery(new URL(req.url ?? '/', 'http://host').searchParams);
  if (typeof query === 'string') {
    res.statusCode = 400;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(`${query}\n`);
    return;
  }
  const since = periodStart(query.period, Date.now());
  // Each read only when the answer needs it: the board's JSON needs no rounds, the CSV no board.
  let results: RoundResult[] = [];
  let board: Leaderboard | undefined;
  try {
    if (path !== '/api/leaderboard') results = await source.results({ mode: query.mode, since });
    if (path !== '/api/results.csv') board = await source.leaderboard(query, since);
  } catch {
    // Shared through Redis, which does not answer: no board rather than this server's part of it.
    res.statusCode = 503;
    res.setHeader('Retry-After', '5');
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end('The results are shared through Redis, which does not answer: try again in a few seconds.\n');
    return;
  }
  if (board === undefined) {
    res.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
    res.setHeader('Content-Disposition', 'attachment; filename="results.csv"');
    res.end(resultsCsv(results));
    return;
  }
  if (path === '/api/leaderboard') {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(board));
    return;
  }
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(leaderboardPage(board, statistics(results), assets));
}

/** The query's mode, period and minimum rounds, or what is wrong with it in one sentence. */
function parseQuery(params: URLSearchParams): LeaderboardQuery | string {
  const mode = parseModeFilter(params.get('mode') ?? undefined);
  if (mode === undefined) return 'mode must be race, pick, solo or all';
  const period = parsePeriod(params.get('period') ?? undefined);
  if (period === undefined) return 'period must be today, 7d or all';
  const min = params.get('min');
  const minRounds = min === null ? MIN_ROUNDS : Number(min);
  if (!/^[0-9]+$/.test(min ?? '1') || !Number.isSafeInteger(minRounds) || minRounds < 1) return 'min must be a whole number of rounds, 1 or more';
  return { mode, period, minRounds };
}

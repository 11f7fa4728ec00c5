import { parseModeFilter, parsePeriod, MIN_ROUNDS, type Leaderboard, type Sections } from '../core/leaderboard.js';
import { readStats } from '../store/stats.js';
import { intFlag, UsageError, type ParsedArgs } from './args.js';
import { sourcePath } from './db.js';

const MODE_NAMES = { all: 'every mode', race: 'race', pick: 'pick', solo: 'solo' } as const;
const PERIOD_NAMES = { all: 'all time', '7d': 'the last 7 days', today: 'today' } as const;

/** `guess stats`: the leaderboard of the games a server kept, read from its file (even while it runs). */
export function stats(args: ParsedArgs): Promise<number> {
  const { values } = args;
  const mode = parseModeFilter(stringFlag(values.mode));
  if (mode === undefined) throw new UsageError(`--mode must be race, pick, solo or all, got '${String(values.mode)}'`);
  const period = parsePeriod(stringFlag(values.period));
  if (period === undefined) throw new UsageError(`--period must be today, 7d or all, got '${String(values.period)}'`);
  const minRounds = intFlag(values, 'min-rounds') ?? MIN_ROUNDS;
  if (minRounds < 1) throw new UsageError(`--min-rounds must be 1 or more, got ${minRounds}`);
  const { leaderboard } = readStats(sourcePath(values), { mode, period, minRounds }, Date.now());
  process.stdout.write(values.json === true ? `${JSON.stringify(leaderboard, null, 2)}\n` : formatLeaderboard(leaderboard));
  return Promise.resolve(0);
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

import type { RoundResult } from '../core/results.js';
import { boundOf } from '../core/results.js';

export const CSV_HEADER = [
  'ended_at',
  'room',
  'mode',
  'dialect',
  'round',
  'min',
  'max',
  'secret',
  'binary_search_bound',
  'name',
  'bot',
  'attempts',
  'seconds',
  'found',
  'won',
  'match_winner',
] as const;

/**
 * The rounds as CSV for a spreadsheet: a header row, then one row per player per round, lines
 * ending in CRLF (RFC 4180). Names are whatever players typed, so each text cell is made inert.
 */
export function resultsCsv(results: Iterable<RoundResult>): string {
  const lines = [CSV_HEADER.join(',')];
  for (const r of results) {
    const winner = r.match?.winner;
    for (const p of r.players) {
      lines.push(
        [
          new Date(r.endedAt).toISOString(),
          text(r.room ?? ''),
          r.mode,
          r.dialect,
          r.round,
          r.range.min,
          r.range.max,
          r.secret,
          boundOf(r),
          text(p.name),
          p.bot ?? '',
          p.attempts,
          p.ms === null ? '' : (p.ms / 1000).toFixed(3),
          p.found ? 'yes' : 'no',
          p.won ? 'yes' : 'no',
          winner == null ? '' : text(winner.name),
        ].join(','),
      );
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * One text cell. A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return
 * before one) as a formula: such a cell gets a leading apostrophe, which shows it as text. A
 * comma, quote or line break is quoted, quotes doubled.
 */
export function text(value: string): string {
  const inert = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(inert) ? `"${inert.replaceAll('"', '""')}"` : inert;
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { RoundResult } from '../src/core/results.js';
import { CSV_HEADER, resultsCsv, text } from '../src/server/results-csv.js';
import { parseCsv } from './helpers/csv.js';

const FORMULA = /^[=+\-@\t\r]/;

function result(names: string[]): RoundResult {
  return {
    endedAt: Date.UTC(2026, 0, 2, 3, 4, 5),
    room: 'ABCDE',
    mode: 'race',
    dialect: 'json',
    round: 3,
    range: { min: -5, max: 100 },
    secret: -2,
    reason: 'found',
    match: { winner: { name: names[0] ?? '', bot: false } },
    players: names.map((name, i) => ({ name, bot: null, attempts: i + 1, ms: i === 0 ? 1234 : null, found: i === 0, won: i === 0 })),
  };
}

describe('the results CSV', () => {
  it('a header row, then one row per player per round, numbers as they are', () => {
    const csv = resultsCsv([result(['Ada', 'Bob']), { ...result([]), round: 4 }]);
    assert.equal(csv.split('\r\n').length, 4, 'every line ends in CRLF');
    assert.doesNotMatch(csv, /[^\r]\n/);
    const rows = parseCsv(csv);
    assert.deepEqual(rows, [
      [...CSV_HEADER],
      ['2026-01-02T03:04:05.000Z', 'ABCDE', 'race', 'json', '3', '-5', '100', '-2', '7', 'Ada', '', '1', '1.234', 'yes', 'yes', 'Ada'],
      ['2026-01-02T03:04:05.000Z', 'ABCDE', 'race', 'json', '3', '-5', '100', '-2', '7', 'Bob', '', '2', '', 'no', 'no', 'Ada'],
    ]);
  });

  it('names that a spreadsheet would run or split come out as the text typed', () => {
    const names = ['=HYPERLINK("http://evil.example","click")', '+1', '-2+3', '@SUM(A1)', 'a,b', 'say "hi"', 'two\nlines', 'cr\rhere'];
    const rows = parseCsv(resultsCsv([result(names)]));
    assert.equal(rows.length, names.length + 1);
    assert.deepEqual(
      rows.slice(1).map((row) => row[9]),
      names.map((name) => (FORMULA.test(name) ? `'${name}` : name)),
    );
    assert.equal(rows[1]?.[15], `'${names[0] ?? ''}`);
  });

  it('any text: one cell, read back as written, never starting a formula', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', ',', '"', "'", 'a', ' ', '\u00e9') }), (value) => {
        const rows = parseCsv(`${text(value)},x\r\n`);
        assert.equal(rows.length, 1);
        const [cell, next] = rows[0] ?? [];
        assert.equal(next, 'x');
        assert.equal(cell, FORMULA.test(value) ? `'${value}` : value);
        assert.doesNotMatch(cell, FORMULA);
      }),
      { seed: 4, numRuns: 500 },
    );
  });
});

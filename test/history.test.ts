import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { HISTORY_LIMIT, History } from '../src/core/history.js';
import type { HistoryEntry } from '../src/core/room-events.js';

const entry = fc
  .record({ value: fc.integer(), outcome: fc.constantFrom('low' as const, 'high' as const, 'win' as const) })
  .map((e): HistoryEntry => ({ value: e.value, outcome: e.outcome }));

describe('a seat’s history', () => {
  it('keeps the last HISTORY_LIMIT guesses, oldest first, whatever was pushed', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: HISTORY_LIMIT * 3, size: 'max' }), (pushed) => {
        const history = new History();
        for (const e of pushed) history.push(e.value, e.outcome);
        const kept: HistoryEntry[] = pushed.slice(-HISTORY_LIMIT);
        assert.deepEqual(history.entries(), kept);
        assert.equal(history.length, kept.length);
      }),
    );
  });

  it('reads back what a record kept, and starts a new round empty', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: HISTORY_LIMIT }), (entries) => {
        const history = History.from(entries);
        assert.deepEqual(history.entries(), entries);
        history.clear();
        assert.deepEqual(history.entries(), []);
        history.push(7, 'low');
        assert.deepEqual(history.entries(), [{ value: 7, outcome: 'low' }]);
      }),
    );
  });
});

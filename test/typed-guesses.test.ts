import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HUGE_GUESS } from '../src/core/guess.js';
import { abbreviated, TypedGuesses } from '../src/protocol/integer-message.js';

describe('a huge guess shown as typed', () => {
  it('shows each echo of ±2^53 as the literal of the same sign sent before it, in order', () => {
    const typed = new TypedGuesses();
    for (const literal of ['50', '9007199254740993', '-99999999999999999', '123456789012345678']) typed.sent(literal);
    assert.equal(typed.shown(50), '50');
    assert.equal(typed.shown(HUGE_GUESS), '9007199254740993');
    assert.equal(typed.shown(-HUGE_GUESS), '-99999999999999999');
    assert.equal(typed.shown(HUGE_GUESS), '123456789012345678');
    assert.equal(typed.shown(HUGE_GUESS), String(HUGE_GUESS), 'nothing left to show: the number itself');
  });

  it('forgets what a new round never answered', () => {
    const typed = new TypedGuesses();
    typed.sent('9007199254740993');
    typed.forget();
    assert.equal(typed.shown(HUGE_GUESS), String(HUGE_GUESS));
  });

  it('cuts a long literal to its ends and its length', () => {
    assert.equal(abbreviated('1'.repeat(30)), '1'.repeat(30));
    assert.equal(abbreviated(`-1234567890123${'0'.repeat(100)}456789`), '-123456789012…456789 [119 digits]');
  });
});

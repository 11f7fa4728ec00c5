import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { announce, commit, judgeReveal, verdictLine, type Announced, type Reveal, type Verdict } from '../src/core/commitment.js';
import { sha256Hex } from '../src/protocol/sha256.js';

const salt = 'ab'.repeat(16);
const otherSalt = 'f0'.repeat(16);
const commitment = commit(sha256Hex, 37, salt);
const held = announce(undefined, 1, commitment);
const reveal = (overrides: Partial<Reveal> = {}): Reveal => ({ round: 1, secret: 37, salt, commitment, ...overrides });
const judge = (r: Reveal, announced: Announced | undefined = held): Verdict => judgeReveal(sha256Hex, announced, r);
const SWAPPED = /^WARNING: the revealed secret -?\d+ does NOT match: the secret was changed\./;

describe('the reveal\u2019s check against the commitment announced (shared by the page and the terminal)', () => {
  it('matches when the secret and salt open the commitment announced when the round started', () => {
    assert.deepEqual(judge(reveal()), { kind: 'match' });
    assert.equal(verdictLine(judge(reveal()), reveal()), 'Fair: sha256(37 \u2016 salt) matches the commitment announced when round 1 started.');
  });

  it('does not match a secret swapped together with its salt and commitment, though the reveal opens its own commitment', () => {
    const swapped = reveal({ secret: 38, salt: otherSalt, commitment: commit(sha256Hex, 38, otherSalt) });
    assert.ok(judgeReveal(sha256Hex, announce(undefined, 1, swapped.commitment), swapped).kind === 'match', 'the lie is consistent with itself');
    const verdict = judge(swapped);
    assert.deepEqual(verdict, { kind: 'changed', announced: commitment });
    assert.match(verdictLine(verdict, swapped), SWAPPED);
    assert.match(verdictLine(verdict, swapped), /names commitment [0-9a-f]{12}\u2026, not [0-9a-f]{12}\u2026 announced when it started/);
  });

  it('does not match a changed secret or salt under the announced commitment, nor a salt or secret of the wrong form', () => {
    const unsafe = 2 ** 53;
    const beyond = announce(undefined, 1, commit(sha256Hex, unsafe, salt));
    assert.deepEqual(judge(reveal({ secret: unsafe, commitment: beyond.commitment }), beyond), { kind: 'mismatch' }, 'a secret past 2^53 is not taken');
    for (const changed of [reveal({ secret: 38 }), reveal({ salt: otherSalt }), reveal({ salt: 'AB'.repeat(16) })]) {
      const verdict = judge(changed);
      assert.deepEqual(verdict, { kind: 'mismatch' }, JSON.stringify(changed));
      assert.match(verdictLine(verdict, changed), SWAPPED);
    }
  });

  it('fails when no commitment was announced for the round: none at all, or only an earlier round\u2019s', () => {
    for (const announced of [undefined, announce(undefined, 2, commitment)]) {
      const verdict = judgeReveal(sha256Hex, announced, reveal());
      assert.deepEqual(verdict, { kind: 'missing' });
      assert.match(verdictLine(verdict, reveal()), /^WARNING: no commitment was announced when round 1 started/);
    }
  });

  it('keeps the first commitment announced for a round, and takes a new one for the next round', () => {
    const other = commit(sha256Hex, 38, otherSalt);
    assert.equal(announce(held, 1, other), held, 'a second word on round 1 does not replace the first');
    assert.deepEqual(announce(held, 2, other), { round: 2, commitment: other });
    assert.deepEqual(announce(undefined, 1, commitment.toUpperCase()), held);
  });

  it('matches exactly the honest reveal, for any secret, salt and lie (property)', () => {
    const hex32 = fc.stringMatching(/^[0-9a-f]{32}$/);
    fc.assert(
      fc.property(fc.integer(), hex32, fc.integer(), hex32, fc.boolean(), (secret, s, fake, t, coverUp) => {
        const honest: Reveal = { round: 3, secret, salt: s, commitment: commit(sha256Hex, secret, s) };
        const announced = announce(undefined, 3, honest.commitment);
        assert.equal(judgeReveal(sha256Hex, announced, honest).kind, 'match');
        if (fake === secret && t === s) return;
        const lie: Reveal = { ...honest, secret: fake, salt: t, commitment: coverUp ? commit(sha256Hex, fake, t) : honest.commitment };
        const verdict = judgeReveal(sha256Hex, announced, lie);
        assert.notEqual(verdict.kind, 'match');
        assert.match(verdictLine(verdict, lie), SWAPPED);
      }),
    );
  });
});

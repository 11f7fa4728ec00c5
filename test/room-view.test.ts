import assert from 'node:assert/strict';
import { describe as suite, it } from 'node:test';
import type { RoundEndMessage } from '../src/core/room-events.js';
import type { RoomMessage, RoundEndMessage as End } from '../src/core/room-events.js';
import { describe, emptyView, fairnessLine } from '../src/client/room-view.js';
import { sha256 } from './helpers/lobby.js';

const salt = 'ab'.repeat(16);
const commitment = sha256(`37${salt}`);
const end = (secret: number, overrides: Partial<RoundEndMessage> = {}): RoundEndMessage => ({
  type: 'round_end',
  round: 1,
  reason: 'found',
  winner: { id: 'p2', name: 'Bob' },
  secret,
  salt,
  commitment,
  standings: [{ id: 'p2', name: 'Bob', wins: 1, rounds: 1, guesses: 1 }],
  ...overrides,
});

suite('the terminal\u2019s fairness check', () => {
  const announced = { round: 1, commitment };
  it('accepts a reveal that opens the commitment', () => {
    assert.match(fairnessLine(announced, end(37)), /^Fair: sha256\(37 \u2016 salt\) matches/);
  });

  it('flags a changed secret, a changed salt, and a commitment swapped at the end', () => {
    assert.match(fairnessLine(announced, end(38)), /^WARNING: the revealed secret 38 does NOT match: the secret was changed/);
    assert.match(fairnessLine(announced, end(37, { salt: 'cd'.repeat(16) })), /^WARNING/);
    const other = sha256(`38${salt}`);
    assert.match(fairnessLine(announced, end(38, { commitment: other })), /^WARNING/, 'the reveal must open the commitment sent at the start');
  });

  it('says when there was nothing to check', () => {
    assert.match(fairnessLine(undefined, end(37)), /^WARNING: no commitment was announced when round 1 started/);
  });
});

suite('what the terminal prints of room messages', () => {
  it('remembers the commitment of the round and checks the end against it', () => {
    const view = emptyView();
    describe(view, { type: 'welcome', v: 1, player: 'p1', name: 'Ada', token: 't', resumed: false });
    const start = describe(view, { type: 'round_start', round: 1, mode: 'race', min: 1, max: 100, picker: null, commitment, guessers: ['p1', 'p2'] });
    assert.match(start[0] ?? '', /Round 1: guess the number between 1 and 100!/);
    const lines = describe(view, end(37));
    assert.deepEqual(lines.slice(0, 2), ['Round 1 over: Bob wins! The secret was 37.', 'Fair: sha256(37 \u2016 salt) matches the commitment announced when round 1 started.']);
    assert.match(lines[2] ?? '', /Standings: Bob 1 win \(1 guess\)/);
  });

  it('shows others\u2019 guesses, and only the count for a win', () => {
    const view = emptyView();
    assert.deepEqual(describe(view, { type: 'progress', player: 'p2', name: 'Bob', outcome: 'low', attempts: 2, value: 20 }), ['  Bob: 20 is too small (2 guesses)']);
    assert.deepEqual(describe(view, { type: 'progress', player: 'p2', name: 'Bob', outcome: 'win', attempts: 3 }), ['  Bob found it! (3 guesses)']);
  });

  it('asks the picker to pick and tells the others who picks', () => {
    const view = emptyView();
    view.me = 'p1';
    const picking = { type: 'picking', round: 2, picker: 'p1', name: 'Ada', min: 1, max: 100, timeoutMs: 60_000 } as const;
    assert.match(describe(view, picking)[0] ?? '', /your turn to pick the secret, 1\u2013100 \(60 s\)/);
    view.me = 'p2';
    assert.match(describe(view, picking)[0] ?? '', /Ada is picking the secret/);
  });
});

suite('which commitment the terminal holds the reveal to', () => {
  const room = (overrides: Partial<RoomMessage>): RoomMessage => ({
    type: 'room', code: 'K7PQM', mode: 'race', min: 1, max: 100, maxPlayers: 8, you: 'p1', role: 'player', state: 'playing', round: 1,
    picker: null, commitment, players: [], spectators: 0, history: [], standings: [], ...overrides,
  });
  const swapped: End = end(38, { salt: 'cd'.repeat(16), commitment: sha256(`38${'cd'.repeat(16)}`) });
  const verdict = (lines: string[]): string => lines[1] ?? '';

  it('the snapshot of a room joined or resumed mid-round, when no round_start came', () => {
    const view = emptyView();
    describe(view, room({}));
    assert.match(verdict(describe(view, end(37))), /^Fair:/);
    const fooled = emptyView();
    describe(fooled, room({}));
    assert.match(verdict(describe(fooled, swapped)), /^WARNING: the revealed secret 38 does NOT match: the secret was changed/);
  });

  it('the first commitment of the round: a later snapshot naming another does not replace it', () => {
    const view = emptyView();
    describe(view, { type: 'round_start', round: 1, mode: 'race', min: 1, max: 100, picker: null, commitment, guessers: ['p1'] });
    describe(view, room({ commitment: swapped.commitment }));
    assert.match(verdict(describe(view, swapped)), /does NOT match: the secret was changed/);
  });

  it('nothing, when the round that ends was never announced', () => {
    const view = emptyView();
    describe(view, { type: 'round_start', round: 1, mode: 'race', min: 1, max: 100, picker: null, commitment, guessers: ['p1'] });
    assert.match(verdict(describe(view, end(37, { round: 2 }))), /^WARNING: no commitment was announced when round 2 started/);
  });
});

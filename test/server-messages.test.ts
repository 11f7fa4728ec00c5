import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { RoomEvent } from '../src/core/room-events.js';
import { encodeServerMessage, errorMessage, type ServerMessage } from '../src/protocol/messages.js';
import { excerpt } from '../src/protocol/escape.js';
import { ReplyLines } from '../src/protocol/reply-lines.js';
import { decodeServerMessage } from '../src/protocol/server-messages.js';
import { shutdownMessage } from '../src/protocol/shutdown.js';
import { LobbyHarness } from './helpers/lobby.js';

const PROBLEM = /^unexpected reply from the server: "[\x20-\x7e]*"\u2026? \([\x20-\x7e]+\)$/;

function problemOf(text: string, first = false): string {
  const reply = decodeServerMessage(text, first);
  if (reply.kind !== 'bad') assert.fail(`accepted: ${text.slice(0, 80)}`);
  return reply.problem;
}

/** Every kind of message a room sends, from a pure lobby playing a race, a pick round with a bot, and a solo game. */
function roomTraffic(): RoomEvent[] {
  const h = new LobbyHarness(7);
  const [ada, bob, cy] = [h.player('Ada'), h.player('Bob'), h.player('Cy')];
  const race = h.lobby.create(ada, { mode: 'race' }, h.now);
  assert.ok(typeof race !== 'string');
  assert.equal(h.lobby.join(bob, race.code, 'player', h.now), undefined);
  assert.equal(h.lobby.join(cy, race.code, 'spectator', h.now), undefined);
  assert.equal(h.lobby.start(ada, h.now), undefined);
  h.lobby.guess(bob, 1, h.now);
  h.find(ada);
  h.lobby.leave(bob, h.now);
  const pick = h.lobby.create(bob, { mode: 'pick', bot: 'binary' }, h.now);
  assert.ok(typeof pick !== 'string');
  assert.equal(h.lobby.start(bob, h.now), undefined);
  assert.equal(h.lobby.pick(bob, 42, h.now), undefined);
  h.tick(60_000);
  const solo = h.player('Di');
  h.lobby.create(solo, { mode: 'solo' }, h.now);
  h.find(solo);
  return [...h.sent.values()].flat();
}

describe('decoding what a server sends', () => {
  it('reads back every message the server writes, field for field', () => {
    const welcome = { type: 'welcome', v: 1, player: 'p1', name: 'Ada', token: 't'.repeat(32), resumed: true, missed: 2 } as const;
    const left = { type: 'left', code: 'K7PQM' } as const;
    const sent: ServerMessage[] = [welcome, left, errorMessage('E_NOT_YOUR_TURN'), shutdownMessage(undefined, 3000), shutdownMessage('tok', 3000), ...roomTraffic()];
    const types = new Set(sent.map((m) => m.type));
    for (const type of ['room', 'presence', 'picking', 'picked', 'round_start', 'result', 'progress', 'round_end', 'left']) assert.ok(types.has(type as never), `no ${type} in the traffic`);
    for (const message of sent) {
      const reply = decodeServerMessage(encodeServerMessage(message));
      assert.deepEqual(reply, { kind: 'message', message: JSON.parse(encodeServerMessage(message)) as unknown });
    }
  });

  it('refuses what is not a server message, in one printable line with an excerpt', () => {
    assert.match(problemOf('null'), /^unexpected reply from the server: "null" \(not a JSON object\)$/);
    assert.match(problemOf('[]'), /^unexpected reply from the server: "\[\]" \(not a JSON object\)$/);
    assert.match(problemOf('{"type":"result"}'), /^unexpected reply from the server: "\{\\"type\\":\\"result\\"\}" \(result\.value is missing\)$/);
    assert.match(problemOf('{"type":"result","value":1,"outcome":"maybe","message":"","attempts":1}'), /\(result\.outcome: expected /);
    assert.match(problemOf('{"type":"room"}'), /\(room\.code is missing\)$/);
    assert.match(problemOf('{"type":"result","value":1,"outcome":"low","message":"","attempts":1.5}'), /\(result\.attempts: expected /);
    assert.match(problemOf('{"type":"result","value":"1","outcome":"low","message":"","attempts":1}'), /\(result\.value: expected number\)$/);
    assert.match(problemOf('{"type":7}'), /\(no "type"\)$/);
    assert.match(problemOf('Too small!'), /^unexpected reply from the server: "Too small!" \(not JSON\)$/);
    assert.match(problemOf(`{"type":"\x1b[2J${'x'.repeat(500)}`), /^unexpected reply from the server: "\{\\"type\\":\\"\\x1b\[2Jx+"\u2026 \(not JSON\)$/);
  });

  it('skips a type it does not know (a newer server may add some), but not a malformed one it knows', () => {
    assert.deepEqual(decodeServerMessage('{"type":"confetti","colour":"red"}'), { kind: 'unknown', type: 'confetti' });
    assert.equal(decodeServerMessage('{"type":"toString"}').kind, 'unknown');
    assert.equal(decodeServerMessage('{"type":"welcome","v":1}').kind, 'bad');
    // What answers hello or resume must be one of the answers to them.
    assert.match(problemOf('{"type":"confetti"}', true), /\(expected welcome\)$/);
    assert.match(problemOf('{"type":"hello","v":1,"name":"Ada"}', true), /\(expected welcome\)$/);
    assert.equal(decodeServerMessage(JSON.stringify(shutdownMessage(undefined, 3000)), true).kind, 'message');
  });

  it('drops terminal control and bidi characters from the text it shows', () => {
    const reply = decodeServerMessage(JSON.stringify({ type: 'error', code: 'E_X', message: 'a\x1b[31mb\u202ec\u0007' }));
    assert.deepEqual(reply, { kind: 'message', message: { type: 'error', code: 'E_X', message: 'a[31mbc' } });
  });

  it('never throws, and every refusal is one short printable line', () => {
    const texts = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.json({ maxDepth: 3 }),
      fc.record({ type: fc.constantFrom('welcome', 'room', 'result', 'round_end', 'shutdown', 'error'), value: fc.anything() }).map((o) => JSON.stringify(o)),
    );
    fc.assert(
      fc.property(texts, (text) => {
        const reply = decodeServerMessage(text);
        if (reply.kind === 'bad') {
          assert.match(reply.problem, PROBLEM);
          assert.ok(reply.problem.length < 400, reply.problem);
        }
      }),
      { seed: 1, numRuns: 2000 },
    );
  });

  it('shows an excerpt whole when short, cut with an ellipsis when long', () => {
    assert.equal(excerpt('abc'), '"abc"');
    assert.equal(excerpt('x'.repeat(61)), `"${'x'.repeat(60)}"\u2026`);
    assert.equal(excerpt('\u{1f600}'.repeat(61)), `"${'\\u{1f600}'.repeat(60)}"\u2026`);
  });
});

describe('reading a server\u2019s lines', () => {
  const read = (chunks: readonly Uint8Array[], max = 64, end = false): { lines: string[]; problem: string | undefined } => {
    const reader = new ReplyLines(max);
    const lines: string[] = [];
    let problem: string | undefined;
    for (const chunk of chunks) problem ??= reader.push(chunk, (line) => lines.push(line));
    if (end) problem ??= reader.end();
    return { lines, problem };
  };

  it('finds the same lines however the bytes are split', () => {
    const line = fc.string({ unit: 'grapheme', maxLength: 20 }).filter((s) => !s.includes('\n') && !s.includes('\r'));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 8 }), (lines, cuts) => {
        const bytes = Buffer.from(lines.map((l) => `${l}\r\n`).join(''));
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...points, bytes.length].slice(1).map((end, i, all) => bytes.subarray(i === 0 ? 0 : all[i - 1], end));
        assert.deepEqual(read(chunks, 1000, true), { lines, problem: undefined });
      }),
      { seed: 2, numRuns: 500 },
    );
  });

  it('stops at bytes that are not UTF-8, at a line over the limit, and at a line cut off by the close', () => {
    assert.match(read([Buffer.from([0x7b, 0xff, 0xfe, 0x0a])]).problem ?? '', /^unexpected reply from the server: "\{\\ufffd\\ufffd\\n" \(not UTF-8\)$/);
    assert.match(read([Buffer.from('a'.repeat(65))]).problem ?? '', /\(a line over 64 characters\)$/);
    assert.match(read([Buffer.from(`${'a'.repeat(65)}\n`)]).problem ?? '', /\(a line over 64 characters\)$/);
    assert.deepEqual(read([Buffer.from('ok\n{"type":"wel')], 64, true), { lines: ['ok'], problem: 'unexpected reply from the server: "{\\"type\\":\\"wel" (cut off mid-line)' });
    // A character split across two reads is whole once both have come.
    const smile = Buffer.from('\u{1f600}\n');
    assert.deepEqual(read([smile.subarray(0, 2), smile.subarray(2)]), { lines: ['\u{1f600}'], problem: undefined });
  });
});

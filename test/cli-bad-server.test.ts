import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { describe, it } from 'node:test';
import { assertNoStackTrace } from './helpers/assertions.js';
import { fakeServer, roomLine, welcomeLine } from './helpers/fake-server.js';
import { finished, spawnGuess, type Finished } from './helpers/process.js';

/** "A few seconds": a client that gives up on a server does so at once; this leaves room for a loaded machine. */
const PROMPTLY_MS = 5000;

interface Garbage {
  readonly name: string;
  /** What the fake writes instead of an answer (after `end`, it closes its side). */
  readonly bytes: string | Buffer;
  readonly end?: boolean;
  /** How the one line names what came, after "unexpected reply from the server: ". */
  readonly json: RegExp;
  readonly plain: RegExp;
}

const TWO_MB = 2 * 1024 * 1024;

const GARBAGE: readonly Garbage[] = [
  { name: 'null', bytes: 'null\n', json: /^"null" \(not a JSON object\)$/, plain: /^"null"$/ },
  { name: '[]', bytes: '[]\n', json: /^"\[\]" \(not a JSON object\)$/, plain: /^"\[\]"$/ },
  { name: '{"type":"result"}', bytes: '{"type":"result"}\n', json: /^"\{\\"type\\":\\"result\\"\}" \(result\.value is missing\)$/, plain: /^"\{\\"type\\":\\"result\\"\}"$/ },
  {
    name: 'a 2 MB line',
    bytes: `{"type":"welcome","name":"${'x'.repeat(TWO_MB)}"}\n`,
    json: /^"\{\\"type\\":\\"welcome\\",\\"name\\":\\"x+"\u2026 \(a line over 65536 characters\)$/,
    plain: /^"\{\\"type\\":\\"welcome\\",\\"name\\":\\"x+"\u2026 \(a line over 1024 characters\)$/,
  },
  { name: 'bytes that are not UTF-8', bytes: Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]), json: /^"\{\\ufffd\\ufffd\}\\n" \(not UTF-8\)$/, plain: /^"\{\\ufffd\\ufffd\}\\n" \(not UTF-8\)$/ },
  { name: 'a close in the middle of a line', bytes: '{"type":"wel', end: true, json: /^"\{\\"type\\":\\"wel" \(cut off mid-line\)$/, plain: /^"\{\\"type\\":\\"wel" \(cut off mid-line\)$/ },
];

function answer(socket: Socket, garbage: Garbage): void {
  if (garbage.end === true) socket.end(garbage.bytes);
  else socket.write(garbage.bytes);
}

/** Runs `guess ARGS` against the fake, with stdin left open (a player who has not typed yet); resolves how it ended and how long it took. */
async function runAgainst(args: readonly string[], stdin?: string): Promise<Finished & { ms: number }> {
  const started = Date.now();
  const child = spawnGuess(args);
  if (stdin !== undefined) child.stdin.write(stdin);
  // A client that never gives up fails the test instead of hanging it.
  const watchdog = setTimeout(() => child.kill('SIGKILL'), 3 * PROMPTLY_MS);
  const result = await finished(child);
  clearTimeout(watchdog);
  return { ...result, ms: Date.now() - started };
}

/** Exactly one line says it, and it says what came; nothing else looks like a crash. */
function assertOneLine(result: Finished & { ms: number }, excerpt: RegExp): void {
  const output = result.stdout + result.stderr;
  // A room client's prompt (`> `) may come first on the line: stdout is a pipe here, not a terminal.
  const said = output.split('\n').filter((line) => line.includes('unexpected reply')).map((line) => line.replace(/^(> )+/, ''));
  assert.equal(said.length, 1, `one line, not: ${JSON.stringify(output.slice(-600))}`);
  const [line = ''] = said;
  assert.match(line, /^guess: unexpected reply from the server: /);
  assert.match(line.replace(/^guess: unexpected reply from the server: /, ''), excerpt);
  assert.ok(line.length < 200, `a short line: ${line.length} characters`);
  assertNoStackTrace(output);
  assert.doesNotMatch(output, /TypeError|^\s+at /m);
  assert.equal(result.code, 1);
  assert.ok(result.ms < PROMPTLY_MS, `took ${result.ms} ms to give up`);
}

describe('a client facing a server that speaks garbage', { timeout: 120_000 }, () => {
  for (const garbage of GARBAGE) {
    for (const command of [['join', '--room', 'ABCDE'], ['host']] as const) {
      it(`guess ${command[0]} (rooms) stops at ${garbage.name} with one line, and does not reconnect`, async () => {
        const fake = await fakeServer((_line, socket) => answer(socket, garbage));
        try {
          const [name, ...rest] = command;
          const result = await runAgainst([name, `127.0.0.1:${fake.port}`, ...rest, '--name', 'Ada']);
          assertOneLine(result, garbage.json);
          assert.equal(fake.connections(), 1, 'a server that speaks garbage is not reconnected to');
        } finally {
          await fake.close();
        }
      });
    }

    it(`guess join (plain) stops at ${garbage.name} with one line`, async () => {
      const fake = await fakeServer((_line, socket) => answer(socket, garbage));
      try {
        assertOneLine(await runAgainst(['join', `127.0.0.1:${fake.port}`], '50\n'), garbage.plain);
      } finally {
        await fake.close();
      }
    });
  }

  it('skips a type it does not know, and stops at garbage that comes after a welcome, with a seat to resume, without reconnecting', async () => {
    const fake = await fakeServer((line, socket) => {
      if (line.includes('"hello"')) socket.write(welcomeLine());
      // A type from a newer server is skipped; the garbage after it is not.
      if (line.includes('"join"')) socket.write(`${roomLine()}{"type":"confetti"}\nnull\n`);
    });
    try {
      assertOneLine(await runAgainst(['join', `127.0.0.1:${fake.port}`, '--room', 'ABCDE']), /^"null" \(not a JSON object\)$/);
      assert.equal(fake.connections(), 1);
    } finally {
      await fake.close();
    }
  });

  it('stops when what answers hello is not a welcome (an echo, say)', async () => {
    const fake = await fakeServer((line, socket) => socket.write(`${line}\n`));
    try {
      assertOneLine(await runAgainst(['host', `127.0.0.1:${fake.port}`, '--name', 'Ada']), /^"\{\\"type\\":\\"hello\\",.*\(expected welcome\)$/);
    } finally {
      await fake.close();
    }
  });

  it('guess join (plain) stops at a line that is neither an answer nor a server line, and names an error line as such', async () => {
    const fake = await fakeServer((line, socket) => {
      // Asked the range first, it answers as a server that does not know the question.
      if (line === 'range') socket.write('Guesses must be an integer. Try again...\n');
      else socket.end(line === '50' ? 'Too small!\nTo big!\n' : 'Error: The server is full; try again in a minute\n');
    });
    try {
      const odd = await runAgainst(['join', `127.0.0.1:${fake.port}`], '50\n');
      assertOneLine(odd, /^"To big!"$/);
      const full = await runAgainst(['join', `127.0.0.1:${fake.port}`], '7\n');
      assert.equal(full.code, 1);
      assert.equal(full.stderr, 'guess: the server closed the connection: The server is full; try again in a minute\n');
      assertNoStackTrace(full.stdout + full.stderr);
    } finally {
      await fake.close();
    }
  });
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { KEPT_SECRET } from '../src/client/terminal-game.js';
import { seededRandom } from '../src/core/random.js';
import { closedPort } from './helpers/free-port.js';
import { joinByBinarySearch } from './helpers/join.js';
import { finished } from './helpers/process.js';
import { ROOT } from './helpers/paths.js';
import { PYTHON3 } from './helpers/pty.js';
import { startServer } from './helpers/server.js';
import { OutputWatcher } from './helpers/watch.js';

// The chapter's scripts, as it prints them; the only change is GUESS_PORT (see each file's header).
const CHAPTER = join(ROOT, 'test', 'fixtures', 'chapter');
const NO_PYTHON = PYTHON3 ? false : 'python3 is missing: the chapter\u2019s scripts cannot run';

function python(script: string, port: number) {
  return spawn('python3', [join(CHAPTER, script)], {
    cwd: CHAPTER,
    env: { ...process.env, GUESS_PORT: String(port), PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' },
  });
}

/** Plays `rounds` rounds of `guess join --classic` against a fresh guess-server.py, which then exits. */
async function joinGuessServer(rounds: number) {
  const port = await closedPort();
  const server = python('guess-server.py', port);
  const done = finished(server);
  try {
    const out = new OutputWatcher(server, [server.stdout]);
    await out.waitFor(/GUESS-THE-NUMBER server started\. Listening on/);
    const played = await joinByBinarySearch([`127.0.0.1:${port}`, '--classic'], { min: 1, max: 100 }, rounds);
    return { ...played, server: await done, log: out.text() };
  } finally {
    server.kill('SIGKILL');
  }
}

describe('the chapter\u2019s Python scripts', { timeout: 30_000, skip: NO_PYTHON }, () => {
  it('guess-client.py plays a whole game against our server, unmodified', async () => {
    const seed = 2718;
    const secret = seededRandom(seed)(1, 100);
    assert.ok(secret > 1 && secret < 100, 'the seed must draw a secret with neighbours on both sides');
    const server = await startServer(['--seed', String(seed)]);
    try {
      const client = python('guess-client.py', server.port);
      // A guess below, a typo the client itself refuses, a guess above, the secret.
      client.stdin.end(`${secret - 1}\nforty-two\n${secret + 1}\n${secret}\n`);
      const { code, stdout, stderr } = await finished(client);
      assert.equal(stderr, '');
      assert.equal(code, 0);
      const replies = stdout.replaceAll('Please input your guess: ', '').split('\n');
      assert.deepEqual(replies, [
        '## Welcome to GUESS THE NUMBER! ##',
        'Too small!',
        'Guesses must be an integer. Try again...',
        'Too big!',
        'Exactly! You win!',
        '',
      ]);
      await server.waitFor(/"dialect":"classic"[^\n]*"msg":"Disconnected"/);
    } finally {
      await server.stop();
    }
  });

  it('`guess join --classic` plays against guess-server.py, which takes exactly one connection', async () => {
    const { result, server, log } = await joinGuessServer(1);
    assert.equal(result.code, 0);
    assert.equal(result.stderr, '');
    assert.match(result.stdout, /Exactly! You win!\nYou found it in \d+ guess/);
    assert.equal(server.code, 0);
    assert.equal(server.stderr, '');
    assert.match(log, /Connected by \('127\.0\.0\.1', \d+\)\nDisconnected\n$/);
  });

  it('`guess join --classic` claims no new secret for another round: guess-server.py keeps its own', async () => {
    const { wins, result, server } = await joinGuessServer(2);
    assert.equal(result.code, 0);
    assert.equal(result.stderr, '');
    assert.equal(wins[1], wins[0], 'the same number wins both rounds');
    assert.doesNotMatch(result.stdout, /new secret/i);
    assert.ok(result.stdout.includes(`Play again? [y/n] ${KEPT_SECRET}\n`), result.stdout);
    assert.equal(server.code, 0);
  });
});

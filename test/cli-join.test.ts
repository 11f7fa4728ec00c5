import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maxBinarySearchGuesses } from '../src/core/game.js';
import { closedPort } from './helpers/free-port.js';
import { assertNoStackTrace } from './helpers/assertions.js';
import { PROMPT, joinByBinarySearch } from './helpers/join.js';
import { finished, runGuess, spawnGuess } from './helpers/process.js';
import { startServer } from './helpers/server.js';
import { OutputWatcher } from './helpers/watch.js';

describe('guess join', { timeout: 30_000 }, () => {
  it('plays a whole game against a real server', async () => {
    const server = await startServer(['--seed', '4']);
    try {
      const { guesses, result } = await joinByBinarySearch([`127.0.0.1:${server.port}`], { min: 1, max: 100 });
      assert.ok(guesses <= maxBinarySearchGuesses({ min: 1, max: 100 }));
      assert.equal(result.code, 0);
      assert.equal(result.stderr, '');
      assert.match(result.stdout, /^## Welcome to GUESS THE NUMBER! ##\n/);
      assert.match(result.stdout, new RegExp(`You found it in ${guesses} guess(es)?\\.\\nPlay again\\? \\[y/n\\] Thanks for playing!\\n$`));
      // The server saw one connection, spoken in plain lines.
      await server.waitFor(/"dialect":"plain"[^\n]*"msg":"Disconnected"/);
    } finally {
      await server.stop();
    }
  });

  it('plays in the chapter\u2019s bare dialect with --classic', async () => {
    const server = await startServer(['--seed', '4']);
    try {
      const { result } = await joinByBinarySearch([`127.0.0.1:${server.port}`, '--classic'], { min: 1, max: 100 });
      assert.equal(result.code, 0);
      await server.waitFor(/"dialect":"classic"[^\n]*"msg":"Disconnected"/);
    } finally {
      await server.stop();
    }
  });

  it('validates input before sending it', async () => {
    const server = await startServer(['--seed', '4']);
    try {
      const { code, stdout } = await runGuess(['join', `127.0.0.1:${server.port}`], '4.2\n');
      assert.equal(code, 0);
      assert.match(stdout, /Guesses must be an integer\. Try again\.\.\./);
      const log = await server.waitFor(/"msg":"Disconnected"/);
      assert.match(log, /"guesses":0/);
    } finally {
      await server.stop();
    }
  });

  it('says in one line that nothing listens on a closed port', async () => {
    const port = await closedPort();
    const { code, stdout, stderr } = await runGuess(['join', `127.0.0.1:${port}`]);
    assert.notEqual(code, 0);
    assert.equal(stdout, '');
    assert.match(stderr, new RegExp(`^guess: cannot connect to 127\\.0\\.0\\.1:${port}: nothing is listening there[^\\n]*\\n$`));
    assertNoStackTrace(stderr);
  });

  it('says in one line that an unknown host cannot be found', async () => {
    const { code, stdout, stderr } = await runGuess(['join', 'no-such-host.invalid:65432']);
    assert.notEqual(code, 0);
    assert.equal(stdout, '');
    assert.match(stderr, /^guess: cannot find the host 'no-such-host\.invalid'[^\n]*\n$/);
  });

  it('says in one line that the server went away mid-game', async () => {
    const server = await startServer(['--min', '50', '--max', '100']);
    const child = spawnGuess(['join', `127.0.0.1:${server.port}`]);
    const done = finished(child);
    try {
      const out = new OutputWatcher(child, [child.stdout]);
      await out.waitFor(new RegExp(PROMPT));
      child.stdin.write('1\n');
      await out.waitFor(/Too small!\n/);
      server.child.kill('SIGKILL');
      const { code, stderr } = await done;
      assert.notEqual(code, 0);
      assert.match(stderr, /^guess: the server closed the connection\n$/);
    } finally {
      child.kill('SIGKILL');
      await server.stop();
    }
  });
});

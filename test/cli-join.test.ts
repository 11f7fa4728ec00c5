import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { maxBinarySearchGuesses } from '../src/core/game.js';
import { closedPort } from './helpers/free-port.js';
import { assertNoStackTrace } from './helpers/assertions.js';
import { PROMPT, joinByBinarySearch } from './helpers/join.js';
import { finished, runGuess, spawnGuess } from './helpers/process.js';
import { PYTHON3, PtyGuess, renderLines } from './helpers/pty.js';
import { startServer, type RunningServer } from './helpers/server.js';
import { OutputWatcher } from './helpers/watch.js';

describe('guess join', { timeout: 30_000 }, () => {
  // One server for the games that leave it running; 0 is always too small for its 1..100.
  let server: RunningServer;
  before(async () => {
    server = await startServer(['--seed', '4']);
  });
  after(async () => {
    await server.stop();
  });

  it('plays a whole game against a real server', async () => {
    const from = server.output().length;
    const { guesses, result } = await joinByBinarySearch([`127.0.0.1:${server.port}`], { min: 1, max: 100 });
    assert.ok(guesses <= maxBinarySearchGuesses({ min: 1, max: 100 }));
    assert.equal(result.code, 0);
    assert.equal(result.stderr, '');
    assert.match(result.stdout, /^## Welcome to GUESS THE NUMBER! ##\n/);
    assert.match(result.stdout, new RegExp(`You found it in ${guesses} guess(es)?\\.\\nPlay again\\? \\[y/n\\] Thanks for playing!\\n$`));
    // The server saw one connection, spoken in plain lines.
    await server.waitFor(/"dialect":"plain"[^\n]*"msg":"Disconnected"/, from);
  });

  it('plays in the chapter\u2019s bare dialect with --classic', async () => {
    const from = server.output().length;
    const { result } = await joinByBinarySearch([`127.0.0.1:${server.port}`, '--classic'], { min: 1, max: 100 });
    assert.equal(result.code, 0);
    await server.waitFor(/"dialect":"classic"[^\n]*"msg":"Disconnected"/, from);
  });

  it('validates input before sending it', async () => {
    const from = server.output().length;
    const { code, stdout } = await runGuess(['join', `127.0.0.1:${server.port}`], '4.2\n');
    assert.equal(code, 0);
    assert.match(stdout, /Guesses must be an integer\. Try again\.\.\./);
    const log = await server.waitFor(/"msg":"Disconnected"/, from);
    assert.match(log, /"guesses":0/);
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
    const doomed = await startServer(['--min', '50', '--max', '100']);
    const child = spawnGuess(['join', `127.0.0.1:${doomed.port}`]);
    const done = finished(child);
    try {
      const out = new OutputWatcher(child, [child.stdout]);
      await out.waitFor(new RegExp(PROMPT));
      child.stdin.write('1\n');
      await out.waitFor(/Too small!\n/);
      doomed.child.kill('SIGKILL');
      const { code, stderr } = await done;
      assert.notEqual(code, 0);
      assert.match(stderr, /^guess: the server closed the connection\n$/);
    } finally {
      child.kill('SIGKILL');
      await doomed.stop();
    }
  });

  it('says in one line that the server answered something that is not a reply', async () => {
    const { createServer } = await import('node:net');
    const impostor = createServer((socket) => socket.on('data', () => socket.write('hello there\n')));
    impostor.listen(0, '127.0.0.1');
    await once(impostor, 'listening');
    try {
      const { port } = impostor.address() as import('node:net').AddressInfo;
      const { code, stderr } = await runGuess(['join', `127.0.0.1:${port}`], '5\n');
      assert.equal(code, 1);
      assert.match(stderr, /^guess: unexpected reply from the server: "hello there"\n$/);
    } finally {
      impostor.close();
    }
  });

  describe('on a terminal', { skip: PYTHON3 ? false : 'python3 is missing: no pseudo-terminal to test with' }, () => {
    for (const [key, name, status] of [['\x04', 'Ctrl-D', 0], ['\x03', 'Ctrl-C', 130]] as const) {
      it(`ends on ${name} with status ${status} and no stack trace`, async () => {
        const logFrom = server.output().length;
        const term = new PtyGuess(['join', `127.0.0.1:${server.port}`]);
        try {
          await term.waitFor(new RegExp(PROMPT));
          const from = term.screen().length;
          term.type('0\r');
          await term.waitFor(new RegExp(`Too small![^]*${PROMPT}`), from);
          term.type(key);
          assert.equal((await term.exited).code, status);
          assert.deepEqual(renderLines(term.screen()).filter((line) => line !== '').slice(-1), ['Thanks for playing!'], 'the same goodbye either way');
          assertNoStackTrace(term.screen());
          await server.waitFor(/"msg":"Disconnected"/, logFrom);
        } finally {
          term.kill();
        }
      });
    }
  });
});

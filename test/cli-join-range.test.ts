import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RANGE_WAIT_MS } from '../src/client/remote-judge.js';
import { fakeServer } from './helpers/fake-server.js';
import { PROMPT, joinByBinarySearch } from './helpers/join.js';
import { finished, spawnGuess } from './helpers/process.js';
import { PYTHON3, PtyGuess, renderLines } from './helpers/pty.js';
import { startServer, type RunningServer } from './helpers/server.js';
import { TcpClient } from './helpers/tcp-client.js';
import { OutputWatcher } from './helpers/watch.js';

const RANGE = 'I am thinking of a number between 1 and 1000.';

describe('guess join states the range before the first prompt', { timeout: 30_000 }, () => {
  let server: RunningServer;
  before(async () => (server = await startServer(['--min', '1', '--max', '1000', '--seed', '11'])));
  after(() => server.stop());

  it('on a terminal, against `guess serve --min 1 --max 1000`, then the game is played and won', { skip: PYTHON3 ? false : 'python3 is missing: no pseudo-terminal to test with' }, async () => {
    const term = new PtyGuess(['join', `127.0.0.1:${server.port}`]);
    try {
      await term.waitFor(new RegExp(PROMPT));
      const lines = renderLines(term.screen());
      assert.deepEqual(lines.slice(0, 3), ['## Welcome to GUESS THE NUMBER! ##', RANGE, PROMPT.trimEnd()]);
      let lo = 1;
      let hi = 1000;
      for (let guesses = 1; ; guesses++) {
        assert.ok(guesses <= 10, 'binary search over 1..1000 takes at most 10 guesses');
        const guess = Math.floor((lo + hi) / 2);
        const from = term.screen().length;
        term.type(`${guess}\r`);
        const seen = await term.waitFor(/(Too small!|Too big!|Exactly! You win!)/, from);
        if (seen.includes('Exactly! You win!')) break;
        if (seen.includes('Too small!')) lo = guess + 1;
        else hi = guess - 1;
      }
      await term.waitFor(/Play again\? \[y\/n\] /);
      term.type('n\r');
      assert.equal((await term.exited).code, 0);
      assert.match(term.screen(), /You found it in \d+ guess(es)?\.[^]*Thanks for playing!/);
    } finally {
      term.kill();
    }
  });

  it('through a pipe too, with the plain dialect\u2019s `range` question on the wire', async () => {
    const from = server.output().length;
    const { guesses, result } = await joinByBinarySearch([`127.0.0.1:${server.port}`, '--trace'], { min: 1, max: 1000 });
    assert.equal(result.code, 0);
    assert.ok(result.stdout.startsWith(`## Welcome to GUESS THE NUMBER! ##\n${RANGE}\n${PROMPT}`), result.stdout.slice(0, 200));
    // The question goes first, and only in plain lines; the server counted no guess for it.
    const [asked, told] = result.stderr.split('\n');
    assert.match(asked ?? '', /──"range\\n"──▶ {2}server$/);
    assert.match(told ?? '', /◀──"The number is between 1 and 1000\.\\n"── {2}server$/);
    const log = await server.waitFor(/"dialect":"plain"[^\n]*"msg":"Disconnected"/, from);
    assert.match(log, new RegExp(`"guesses":${guesses},`));
  });

  it('the server answers `range` in plain lines, for nc too', async () => {
    const client = await TcpClient.connect(server.port);
    try {
      assert.equal(await client.ask('range'), 'The number is between 1 and 1000.');
      assert.equal(await client.ask(' Range '), 'The number is between 1 and 1000.');
      assert.match(await client.ask('500'), /^(Too small!|Too big!|Exactly! You win!)$/);
    } finally {
      client.close();
    }
  });

  it('against a plain server that does not know the question, join plays on without the range', async () => {
    const fake = await fakeServer((line, socket) => socket.write(line === 'range' ? 'Guesses must be an integer. Try again...\n' : 'Exactly! You win!\n'));
    try {
      const { guesses, result } = await joinByBinarySearch([`127.0.0.1:${fake.port}`], { min: 1, max: 100 });
      assert.equal(guesses, 1);
      assert.equal(result.code, 0);
      assert.match(result.stdout, /^## Welcome to GUESS THE NUMBER! ##\nThe server has picked a secret number\.\n/);
    } finally {
      await fake.close();
    }
  });

  it(`a server that keeps silent after \`range\` gets the first prompt after ${RANGE_WAIT_MS} ms, not never`, async () => {
    const silent = await fakeServer(() => undefined);
    const child = spawnGuess(['join', `127.0.0.1:${silent.port}`]);
    const done = finished(child);
    try {
      const out = new OutputWatcher(child, [child.stdout]);
      const started = performance.now();
      await out.waitFor(new RegExp(PROMPT));
      // Bounded below as well: a join that skipped the question would not have waited at all.
      assert.ok(performance.now() - started >= RANGE_WAIT_MS - 50, 'join waited for the answer first');
      assert.match(out.text(), /^## Welcome to GUESS THE NUMBER! ##\nThe server has picked a secret number\.\n/);
      assert.deepEqual(silent.lines, ['range']);
      child.stdin.end();
      const result = await done;
      assert.equal(result.code, 0);
      assert.equal(result.stderr, '');
    } finally {
      child.kill('SIGKILL');
      await silent.close();
    }
  });

  for (const late of ['The number is between 1 and 100.', 'Guesses must be an integer. Try again...']) {
    it(`an answer to \`range\` that comes after the wait ("${late}") is not taken for the first guess's`, async () => {
      const slow = await fakeServer((line, socket) => {
        if (line !== 'range') socket.write(`${late}\nExactly! You win!\n`);
      });
      try {
        const { guesses, result } = await joinByBinarySearch([`127.0.0.1:${slow.port}`], { min: 1, max: 100 });
        assert.equal(guesses, 1);
        assert.equal(result.code, 0, result.stderr);
        assert.equal(result.stderr, '');
        assert.match(result.stdout, /Please input your guess: Exactly! You win!\nYou found it in 1 guess\./);
      } finally {
        await slow.close();
      }
    });
  }
});

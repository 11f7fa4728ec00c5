import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { seededRandom } from '../src/core/random.js';
import { assertNoStackTrace } from './helpers/assertions.js';
import { runGuess, spawnGuess } from './helpers/process.js';
import { PYTHON3, PtyGuess, renderLines } from './helpers/pty.js';

const BANNER = '## Welcome to GUESS THE NUMBER! ##';
const PROMPT = 'Please input your guess: ';
const NO_PYTHON = PYTHON3 ? false : 'python3 is missing: no pseudo-terminal to test with';

// Seed 42 draws 80, then 56, for the range 1..100.
const [FIRST, SECOND] = ((next) => [next(1, 100), next(1, 100)])(seededRandom(42));

describe('guess play, stdin piped', { timeout: 30_000 }, () => {
  it('plays the chapter\u2019s game: banner, prompt, sentences, attempt count, play again', async () => {
    assert.deepEqual([FIRST, SECOND], [80, 56]);
    const { code, stdout, stderr } = await runGuess(['play', '--seed', '42'], '50\nabc\n90\n80\ny\n56\nn\n');
    assert.equal(code, 0);
    assert.equal(stderr, '');
    assert.equal(
      stdout,
      [
        BANNER,
        'I am thinking of a number between 1 and 100.',
        `${PROMPT}Too small!`,
        `${PROMPT}Guesses must be an integer. Try again...`,
        `${PROMPT}Too big!`,
        `${PROMPT}Exactly! You win!`,
        'You found it in 3 guesses.',
        'Play again? [y/n] A new number between 1 and 100.',
        `${PROMPT}Exactly! You win!`,
        'You found it in 1 guess.',
        'Play again? [y/n] Thanks for playing!',
        '',
      ].join('\n'),
    );
  });

  it('reminds the player of the range after a guess outside it', async () => {
    const { stdout } = await runGuess(['play', '--seed', '42'], '500\n');
    assert.match(stdout, /Too big!\n\(The number is between 1 and 100\.\)/);
  });

  it('uses the range it is given', async () => {
    const secret = seededRandom(5)(-10, 10);
    const { code, stdout } = await runGuess(['play', '--seed', '5', '--min', '-10', '--max', '10'], `${secret}\nn\n`);
    assert.equal(code, 0);
    assert.match(stdout, /between -10 and 10\./);
    assert.match(stdout, /Exactly! You win!/);
  });

  it('exits 0 with no stack trace when input ends mid-game', async () => {
    const { code, stdout, stderr } = await runGuess(['play', '--seed', '42'], '50\n');
    assert.equal(code, 0);
    assert.equal(stderr, '');
    assert.match(stdout, /Too small!/);
    assertNoStackTrace(stdout);
  });

  it('asks "Play again?" again until the answer is y or n', async () => {
    const { code, stdout } = await runGuess(['play', '--seed', '42'], '80\nmaybe\n\nn\n');
    assert.equal(code, 0);
    const again = 'Play again? [y/n] ';
    assert.ok(stdout.endsWith(`${again}Please answer y or n.\n${again}Please answer y or n.\n${again}Thanks for playing!\n`), stdout);
  });

  it('exits 0 when input is empty from the start', async () => {
    const { code, stderr } = await runGuess(['play'], '');
    assert.equal(code, 0);
    assert.equal(stderr, '');
  });

  it('answers a ~500 KB pasted line at once, and keeps playing', async () => {
    const { code, stdout } = await runGuess(['play', '--seed', '42'], `${'1'.repeat(500_000)}\n${'x'.repeat(500_000)}\n80\nn\n`);
    assert.equal(code, 0);
    const tooLong = 'That line is too long for a guess \\(over 1024 characters\\)\\. Try again\\.\\.\\.\\n';
    assert.match(stdout, new RegExp(`${PROMPT}${tooLong}${PROMPT}${tooLong}${PROMPT}Exactly! You win!`));
  });

  const badCalls = (
    [
      [['play', '--max', 'abc'], /--max must be an integer/],
      [['play', '--min', '10', '--max', '5'], /--min \(10\) must not be greater than --max \(5\)/],
      [['play', '--bogus'], /Unknown option '--bogus'/],
      [['play', '--seed', '1.5'], /--seed must be an integer/],
      [['play', 'extra'], /unexpected argument 'extra'/],
      [['play', '--max'], /--max/],
      [['serve', '--port', 'abc'], /--port must be an integer/],
      [['serve', '--port', '70000'], /--port must be from 0 to 65535/],
      [['nosuchcommand'], /unknown command 'nosuchcommand'/],
      [['join', '--spectate'], /--spectate watches a room: add --room CODE/],
    ] as const
  ).map(([args, message]) => ({ args, message, run: runGuess(args) }));
  // Started together above, checked one by one below.
  for (const { args, message, run } of badCalls) {
    it(`refuses \`guess ${args.join(' ')}\` in one line on stderr, status 2`, async () => {
      const { code, stdout, stderr } = await run;
      assert.equal(code, 2);
      assert.equal(stdout, '');
      assert.match(stderr, /^guess: [^\n]+\n$/);
      assert.match(stderr, message);
    });
  }

  it('leaves quietly, status 0, when whoever reads its output goes away (`guess play | head -1`)', async () => {
    const child = spawnGuess(['play', '--seed', '42']);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const closed = once(child, 'close');
    await once(child.stdout, 'data');
    child.stdout.destroy();
    // Every answer now goes to a pipe no one reads.
    child.stdin.end('50\n50\n50\n');
    const [code] = (await closed) as [number | null];
    assert.equal(code, 0);
    assert.equal(stderr, '');
  });

  it('takes negative bounds written as separate arguments', async () => {
    const { code, stdout } = await runGuess(['play', '--min', '-1', '--max', '-1'], '-1\nn\n');
    assert.equal(code, 0);
    assert.match(stdout, /Exactly! You win!/);
  });
});

describe('guess play, on a terminal', { timeout: 30_000, skip: NO_PYTHON }, () => {
  it('plays a round typed key by key', async () => {
    const term = new PtyGuess(['play', '--seed', '42']);
    try {
      await term.waitFor(new RegExp(`${BANNER}[^]*${PROMPT}`));
      let from = term.screen().length;
      term.type('50\r');
      await term.waitFor(/Too small!/, from);
      from = term.screen().length;
      term.type('80\r');
      await term.waitFor(/Exactly! You win![^]*You found it in 2 guesses\.[^]*Play again\? \[y\/n\] /, from);
      term.type('n\r');
      assert.deepEqual(await term.exited, { code: 0, signal: null });
      assert.match(term.screen(), /Thanks for playing!/);
    } finally {
      term.kill();
    }
  });

  // The same last line whichever way the player leaves: at the guess prompt, or at "Play again?".
  for (const [key, name, status] of [['\x04', 'Ctrl-D', 0], ['\x03', 'Ctrl-C', 130]] as const) {
    for (const [where, moves] of [['the guess prompt', ['50']], ['"Play again?"', ['50', '80']]] as const) {
      it(`ends on ${name} at ${where} with status ${status}, the goodbye of \`n\` and no stack trace`, async () => {
        const term = new PtyGuess(['play', '--seed', '42']);
        try {
          await term.waitFor(new RegExp(PROMPT));
          for (const move of moves) {
            const from = term.screen().length;
            term.type(`${move}\r`);
            await term.waitFor(/(Too small!|You win!)[^]*(Please input your guess: |Play again\? \[y\/n\] )/, from);
          }
          term.type(key);
          assert.deepEqual(await term.exited, { code: status, signal: null });
          assert.deepEqual(renderLines(term.screen()).filter((line) => line !== '').slice(-1), ['Thanks for playing!']);
          assertNoStackTrace(term.screen());
        } finally {
          term.kill();
        }
      });
    }
  }

  it('answers a long pasted line', async () => {
    const term = new PtyGuess(['play', '--seed', '42']);
    try {
      await term.waitFor(new RegExp(PROMPT));
      const from = term.screen().length;
      // readline alone would take seconds to echo this; the line is cut at 1024 characters.
      term.type(`${'1'.repeat(500 * 1024)}\r`);
      await term.waitFor(/That line is too long for a guess/, from);
      term.type('80\r');
      await term.waitFor(/Exactly! You win!/, from);
      term.type('\x04');
      assert.equal((await term.exited).code, 0);
    } finally {
      term.kill();
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PYTHON3, PtyGuess, renderLines } from './helpers/pty.js';
import { startServer, type RunningServer } from './helpers/server.js';

const skip = PYTHON3 ? false : 'python3 is needed for a pseudo-terminal';

/** The bot's guesses as the terminal showed them, and the hint each got. */
function botMoves(screen: string, name: string): Array<{ value: number; outcome: 'small' | 'big' | 'found' }> {
  const moves: Array<{ value: number; outcome: 'small' | 'big' | 'found' }> = [];
  for (const line of renderLines(screen)) {
    const hint = new RegExp(`^  ${name}: (\\d+) is too (small|big) `).exec(line);
    if (hint !== null) moves.push({ value: Number(hint[1]), outcome: hint[2] as 'small' | 'big' });
    else if (line.startsWith(`  ${name} found it!`)) moves.push({ value: NaN, outcome: 'found' });
  }
  return moves;
}

/**
 * Each level, seated from the terminal, plays as the README says: the strong one halves what is
 * left, the medium one never guesses outside what its hints leave, the weak one still finds it.
 */
describe('guess host with a computer player, in a terminal', { skip, timeout: 10_000 }, () => {
  let server: RunningServer;
  const running: PtyGuess[] = [];
  before(async () => {
    server = await startServer(['--seed', '29', '--bot-delay-ms', '5', '--min', '1', '--max', '100']);
  });
  after(async () => {
    for (const pty of running) pty.kill();
    await server.stop();
  });

  async function playAgainst(flag: string, name: string): Promise<Array<{ value: number; outcome: 'small' | 'big' | 'found' }>> {
    const ada = new PtyGuess(['host', `127.0.0.1:${server.port}`, flag, '--name', 'Ada']);
    running.push(ada);
    await ada.waitFor(new RegExp(`${name} joined\\.`));
    ada.type('\r');
    await ada.waitFor(new RegExp(`Round 1 over: ${name} wins! The secret was \\d+\\.`));
    const moves = botMoves(ada.screen(), name);
    assert.equal(moves.at(-1)?.outcome, 'found', `the bot's last move is not a find: ${JSON.stringify(moves)}`);
    ada.type('/quit\r');
    assert.equal((await ada.exited).code, 0);
    return moves;
  }

  it('--bot plays binary search', async () => {
    const moves = await playAgainst('--bot', 'Bot');
    let [low, high] = [1, 100];
    for (const { value, outcome } of moves.slice(0, -1)) {
      assert.equal(value, low + Math.floor((high - low) / 2), `guessed ${value} with ${low}..${high} left`);
      if (outcome === 'small') low = value + 1;
      else high = value - 1;
    }
    assert.ok(moves.length <= 7);
  });

  it('--medium guesses only within what its hints leave', async () => {
    const moves = await playAgainst('--medium', 'Medium bot');
    let [low, high] = [1, 100];
    for (const { value, outcome } of moves.slice(0, -1)) {
      assert.ok(value >= low && value <= high, `guessed ${value} with ${low}..${high} left`);
      if (outcome === 'small') low = value + 1;
      else high = value - 1;
    }
  });

  it('--weak finds the secret too', async () => {
    const moves = await playAgainst('--weak', 'Weak bot');
    assert.ok(moves.slice(0, -1).every(({ value }) => value >= 1 && value <= 100));
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Bot } from '../src/core/bot.js';
import { maxBinarySearchGuesses, type Range } from '../src/core/game.js';
import { seededRandom, type RandomInt } from '../src/core/random.js';
import type { BotKind } from '../src/core/room-events.js';

// The levels are defined by how they play; these figures are what the README promises for them.
const RANGE: Range = { min: 1, max: 100 };
const ROUNDS = 10_000;
const LEVELS = { strong: 'binary', medium: 'medium', weak: 'weak' } as const satisfies Record<string, BotKind>;
type Level = keyof typeof LEVELS;

/** Guesses `bot` needs to find `secret`, told "too small"/"too big" as a player is. */
function guessesToFind(bot: Bot, secret: number, random: RandomInt): number {
  bot.reset(RANGE);
  for (let n = 1; n <= 10_000; n++) {
    const guess = bot.next(random);
    if (guess === secret) return n;
    bot.learn(guess, guess < secret ? 'low' : 'high');
  }
  throw new Error(`a ${bot.kind} bot did not find ${secret}`);
}

/** Every level plays the same seeded secrets, each with its own seeded choices. */
function measure(kind: BotKind): { mean: number; most: number } {
  const secrets = seededRandom(11);
  const random = seededRandom(12);
  const bot = new Bot(kind, RANGE);
  let total = 0;
  let most = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const n = guessesToFind(bot, secrets(RANGE.min, RANGE.max), random);
    total += n;
    most = Math.max(most, n);
  }
  return { mean: total / ROUNDS, most };
}

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The README's table of levels: `| **strong** | `--bot` | … | 5.81 |`, the mean in the last column. */
function readmeMeans(): Partial<Record<Level, number>> {
  const means: Partial<Record<Level, number>> = {};
  for (const [, level, mean] of README.matchAll(/^\| \*\*(strong|medium|weak)\*\* \|.*\| (\d+\.\d+) \|$/gm)) {
    means[level as Level] = Number(mean);
  }
  return means;
}

/** Share of rounds (ties left out) where a person playing binary search needs fewer guesses than the weak bot. */
function binarySearchBeatsWeak(): { wins: number; losses: number; ties: number } {
  const secrets = seededRandom(21);
  const random = seededRandom(22);
  const person = new Bot('binary', RANGE);
  const weak = new Bot('weak', RANGE);
  const tally = { wins: 0, losses: 0, ties: 0 };
  for (let i = 0; i < ROUNDS; i++) {
    const secret = secrets(RANGE.min, RANGE.max);
    const mine = guessesToFind(person, secret, random);
    const its = guessesToFind(weak, secret, random);
    if (mine < its) tally.wins++;
    else if (mine > its) tally.losses++;
    else tally.ties++;
  }
  return tally;
}

describe('the computer player\u2019s levels, over 10,000 seeded rounds of 1..100', () => {
  const measured = { strong: measure('binary'), medium: measure('medium'), weak: measure('weak') };

  it('strong plays binary search: never more than 7 guesses', () => {
    assert.ok(measured.strong.most <= maxBinarySearchGuesses(RANGE), `strong took ${measured.strong.most} guesses`);
    assert.equal(maxBinarySearchGuesses(RANGE), 7);
  });

  it('orders the levels strong < medium < weak, each at least one guess apart on average', () => {
    const { strong, medium, weak } = measured;
    const means = `strong ${strong.mean.toFixed(2)}, medium ${medium.mean.toFixed(2)}, weak ${weak.mean.toFixed(2)}`;
    assert.ok(medium.mean - strong.mean >= 1, `medium is not clearly weaker than strong: ${means}`);
    assert.ok(weak.mean - medium.mean >= 1, `weak is not clearly weaker than medium: ${means}`);
  });

  it('matches the mean guesses the README states for each level', () => {
    const stated = readmeMeans();
    for (const level of Object.keys(LEVELS) as Level[]) {
      const mean = stated[level];
      assert.ok(mean !== undefined, `the README's table of levels has no row for ${level}`);
      const got = measured[level].mean;
      assert.ok(Math.abs(got - mean) <= 0.01, `README says ${level} takes ${mean} guesses on average, measured ${got.toFixed(2)}`);
    }
  });

  it('loses to a person playing binary search in most rounds', () => {
    const { wins, losses, ties } = binarySearchBeatsWeak();
    assert.equal(wins + losses + ties, ROUNDS);
    // Ties count against the person: winning more than half of all rounds, not just of the decided ones.
    assert.ok(wins > ROUNDS / 2, `binary search won ${wins}, lost ${losses}, tied ${ties} of ${ROUNDS}`);
    const stated = /needs fewer guesses than the weak player in (\d+)% of rounds \(and as many in (\d+)%\)/.exec(README);
    assert.ok(stated !== null, 'the README does not say how often binary search beats the weak player');
    assert.deepEqual([Number(stated[1]), Number(stated[2])], [Math.round((wins / ROUNDS) * 100), Math.round((ties / ROUNDS) * 100)]);
  });
});

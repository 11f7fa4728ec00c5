import { SENTENCES, inRange, type Outcome, type Range } from '../core/game.js';
import { parseGuess } from '../core/guess.js';
import type { LineInput } from './line-input.js';

/** Whoever knows the secret: the local core for `play`, a server for `join`. */
export interface Judge {
  /** The secret's range, when the judge tells it. */
  readonly range: Range | undefined;
  /**
   * Which game the judge is in, for a judge that can lose one (a server that restarts): when it
   * changes, the next answer is to the first guess of a new game.
   */
  readonly game?: number;
  /** `typed` is the guess as the player typed it (an integer, perhaps with spaces around it). */
  guess(value: number, typed: string): Promise<Outcome['kind']>;
}

export const BANNER = '## Welcome to GUESS THE NUMBER! ##';
export const PROMPT = 'Please input your guess: ';
/**
 * Another round against a server that did not tell its range, so not one of ours: ours pick a new
 * secret after a win, but the chapter's guess-server.py keeps its secret for the whole connection.
 */
export const KEPT_SECRET = 'Another round. The server may keep its secret (the chapter\'s does: your last number wins again).';
/** The last line however the player leaves: `n`, Ctrl-D or Ctrl-C. */
export const GOODBYE = 'Thanks for playing!';

/**
 * The chapter's game loop, with what players expect on top: the range, the count of attempts on
 * a win, and another round if they want one. Resolves when the player is done (or input ends).
 */
export async function playInTerminal(judge: Judge, input: LineInput): Promise<void> {
  input.print(BANNER);
  input.print(rangeSentence(judge.range));
  for (;;) {
    const attempts = await playRound(judge, input);
    if (attempts === undefined) {
      input.print(GOODBYE);
      return;
    }
    input.print(`You found it in ${attempts} ${attempts === 1 ? 'guess' : 'guesses'}.`);
    const again = await playAgain(input);
    if (!again) {
      input.print(GOODBYE);
      return;
    }
    const range = judge.range;
    input.print(range === undefined ? KEPT_SECRET : `A new number between ${range.min} and ${range.max}.`);
  }
}

/** What the player is told of the secret before the first guess. */
export function rangeSentence(range: Range | undefined): string {
  return range === undefined ? 'The server has picked a secret number.' : `I am thinking of a number between ${range.min} and ${range.max}.`;
}

/** Asks until the answer is yes or no (anything else asks again); end of input is no. */
async function playAgain(input: LineInput): Promise<boolean> {
  for (;;) {
    const answer = await input.ask('Play again? [y/n] ');
    if (answer === undefined) {
      // End of input leaves the cursor after the question.
      input.print('');
      return false;
    }
    if (/^\s*y(es)?\s*$/i.test(answer)) return true;
    if (/^\s*no?\s*$/i.test(answer)) return false;
    input.print('Please answer y or n.');
  }
}

/** One round; resolves the attempts it took, or undefined if input ended first. */
async function playRound(judge: Judge, input: LineInput): Promise<number | undefined> {
  let attempts = 0;
  let game = judge.game;
  for (;;) {
    const line = await input.ask(PROMPT);
    if (line === undefined) {
      input.print('');
      return undefined;
    }
    const guess = parseGuess(line);
    if (!guess.ok) {
      input.print(SENTENCES.notInteger);
      continue;
    }
    const kind = await judge.guess(guess.value, line);
    if (judge.game !== game) {
      game = judge.game;
      attempts = 0;
    }
    attempts++;
    input.print(SENTENCES[kind]);
    if (kind === 'win') return attempts;
    const range = judge.range;
    if (range !== undefined && !inRange(range, guess.value)) {
      input.print(`(The number is between ${range.min} and ${range.max}.)`);
    }
  }
}

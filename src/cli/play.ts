import { DEFAULT_RANGE, SoloGame } from '../core/game.js';
import { LineInput } from '../client/line-input.js';
import { playInTerminal } from '../client/terminal-game.js';
import { intFlag, rangeFlags, type ParsedArgs } from './args.js';
import { chooseRandom } from './random.js';
import { exitOnInterrupt } from './process.js';

export async function play(args: ParsedArgs): Promise<number> {
  const range = rangeFlags(args.values, DEFAULT_RANGE);
  const game = new SoloGame(range, chooseRandom(intFlag(args.values, 'seed')));
  const input = new LineInput(process.stdin, process.stdout, exitOnInterrupt);
  await playInTerminal({ range, guess: (value) => Promise.resolve(game.guess(value).kind) }, input);
  input.close();
  return 0;
}

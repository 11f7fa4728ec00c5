import type { BotKind } from '../core/room-events.js';
import { LineInput } from '../client/line-input.js';
import { playRoom } from '../client/room-play.js';
import { MAX_MATCH_ROUNDS } from '../protocol/messages.js';
import { intFlag, parseAddress, UsageError, type ParsedArgs } from './args.js';
import { DEFAULT_ADDRESS, playerName, traceFlag } from './join.js';
import { exitOnInterrupt } from './process.js';

/** `guess host`: creates a room on a server and plays in it. */
export async function host(args: ParsedArgs): Promise<number> {
  const { host, port } = parseAddress(args.positionals[0], DEFAULT_ADDRESS);
  const mode = args.values.mode ?? 'race';
  if (mode !== 'race' && mode !== 'pick') throw new UsageError(`--mode must be race or pick, got '${String(mode)}'`);
  const min = intFlag(args.values, 'min');
  const max = intFlag(args.values, 'max');
  const bot = botLevel(args.values);
  const match = matchLength(args.values, mode);
  const create = { mode, ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }), ...(bot === undefined ? {} : { bot }), ...match } as const;
  const input = new LineInput(process.stdin, process.stdout, exitOnInterrupt);
  return playRoom({ host, port, name: playerName(args), trace: traceFlag(args), create }, input);
}

/** `--rounds` (pick) or `--first-to` (race): how long a match lasts. */
function matchLength(values: ParsedArgs['values'], mode: 'race' | 'pick'): { rounds?: number; firstTo?: number } {
  const rounds = intFlag(values, 'rounds');
  const firstTo = intFlag(values, 'first-to');
  if (rounds !== undefined && mode !== 'pick') throw new UsageError('--rounds is for --mode pick; a race match is --first-to N');
  if (firstTo !== undefined && mode !== 'race') throw new UsageError('--first-to is for a race; a pick match is --rounds N');
  for (const [flag, value] of [['rounds', rounds], ['first-to', firstTo]] as const) {
    if (value !== undefined && (value < 1 || value > MAX_MATCH_ROUNDS)) throw new UsageError(`--${flag} must be from 1 to ${MAX_MATCH_ROUNDS}, got ${value}`);
  }
  return { ...(rounds === undefined ? {} : { rounds }), ...(firstTo === undefined ? {} : { firstTo }) };
}

/** `--bot` alone is the strong player; `--medium` or `--weak` (with or without `--bot`) picks a weaker one. */
function botLevel(values: ParsedArgs['values']): BotKind | undefined {
  const weaker = (['medium', 'weak'] as const).filter((level) => values[level] === true);
  if (weaker.length > 1) throw new UsageError('--medium and --weak are two levels of one computer player: choose one (see: guess help host)');
  return weaker[0] ?? (values.bot === true ? 'binary' : undefined);
}

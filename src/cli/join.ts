import { LineInput } from '../client/line-input.js';
import { RemoteJudge } from '../client/remote-judge.js';
import { RestartingJudge } from '../client/restarting-judge.js';
import { seconds } from '../client/room-link.js';
import { playRoom, sentence } from '../client/room-play.js';
import { playInTerminal, rangeSentence } from '../client/terminal-game.js';
import { isRoomCode } from '../core/room-code.js';
import { parseAddress, UsageError, type ParsedArgs } from './args.js';
import { exitOnInterrupt } from './process.js';

export const DEFAULT_ADDRESS = { host: '127.0.0.1', port: 65432 } as const;

/** Said when a server answers again after a restart: a plain game holds nothing to resume. */
export const RESTARTED = 'The server is back after a restart: a new game, with a new secret.';

export async function join(args: ParsedArgs): Promise<number> {
  const { host, port } = parseAddress(args.positionals[0], DEFAULT_ADDRESS);
  const trace = traceFlag(args);
  const room = args.values.room;
  if (args.values.spectate === true && typeof room !== 'string') throw new UsageError('--spectate watches a room: add --room CODE (see: guess help join)');
  if (typeof room === 'string') {
    if (args.values.classic === true) throw new UsageError('--classic plays alone; it cannot join a room');
    const code = room.trim().toUpperCase();
    if (!isRoomCode(code)) throw new UsageError(`--room takes a room code such as K7PQM, got '${room}'`);
    const input = new LineInput(process.stdin, process.stdout, exitOnInterrupt);
    const as = args.values.spectate === true ? 'spectator' : 'player';
    return playRoom({ host, port, name: playerName(args), trace, join: { code, as } }, input);
  }
  const options = { host, port, classic: args.values.classic === true, trace };
  // The player's input opens once there is a game to play: a server that cannot be reached is said first.
  const screen: { input?: LineInput } = {};
  // --classic plays the chapter's game as it always did: one connection, which the goodbye ends.
  const judge = options.classic
    ? await RemoteJudge.open(options)
    : await RestartingJudge.open(options, {
        restarting: (goodbye, windowMs) => screen.input?.notify(`${sentence(goodbye)} Reconnecting by itself for up to ${seconds(windowMs)}\u2026`),
        back: (range) => {
          screen.input?.notify(RESTARTED);
          screen.input?.notify(rangeSentence(range));
        },
      });
  judge.onGone((error) => {
    process.stdout.write('\n');
    // The goodbye of a server played --classic ends the game as calmly as the player's own "n": said once, status 0.
    if (error.code === 'E_SHUTDOWN') {
      process.stdout.write(`${error.message}\n`);
      process.exit(0);
    }
    process.stderr.write(`guess: ${error.message}\n`);
    process.exit(1);
  });
  const input = new LineInput(process.stdin, process.stdout, exitOnInterrupt);
  screen.input = input;
  await playInTerminal(judge, input);
  input.close();
  judge.close();
  return 0;
}

export function traceFlag(args: ParsedArgs): ((line: string) => void) | undefined {
  return args.values.trace === true ? (line: string) => process.stderr.write(`${line}\n`) : undefined;
}

/** The name others see: --name, else the login name, else none (the server numbers it). */
export function playerName(args: ParsedArgs): string {
  const name = args.values.name;
  if (typeof name === 'string') return name;
  return process.env.USER ?? process.env.USERNAME ?? '';
}

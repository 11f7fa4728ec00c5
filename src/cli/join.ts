import { LineInput } from '../client/line-input.js';
import { RemoteJudge } from '../client/remote-judge.js';
import { playRoom } from '../client/room-play.js';
import { playInTerminal } from '../client/terminal-game.js';
import { isRoomCode } from '../core/room-code.js';
import { parseAddress, UsageError, type ParsedArgs } from './args.js';
import { exitOnInterrupt } from './process.js';

export const DEFAULT_ADDRESS = { host: '127.0.0.1', port: 65432 } as const;

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
  const judge = await RemoteJudge.open({ host, port, classic: args.values.classic === true, trace });
  judge.onGone((error) => {
    process.stdout.write('\n');
    // The server's goodbye ends the game as calmly as the player's own "n": said once, status 0.
    if (error.code === 'E_SHUTDOWN') {
      process.stdout.write(`${error.message}\n`);
      process.exit(0);
    }
    process.stderr.write(`guess: ${error.message}\n`);
    process.exit(1);
  });
  const input = new LineInput(process.stdin, process.stdout, exitOnInterrupt);
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

import { LineInput } from '../client/line-input.js';
import { RemoteJudge } from '../client/remote-judge.js';
import { playInTerminal } from '../client/terminal-game.js';
import { parseAddress, type ParsedArgs } from './args.js';
import { exitOnInterrupt } from './process.js';

export const DEFAULT_ADDRESS = { host: '127.0.0.1', port: 65432 } as const;

export async function join(args: ParsedArgs): Promise<number> {
  const { host, port } = parseAddress(args.positionals[0], DEFAULT_ADDRESS);
  const trace = args.values.trace === true ? (line: string) => process.stderr.write(`${line}\n`) : undefined;
  const judge = await RemoteJudge.open({ host, port, classic: args.values.classic === true, trace });
  judge.onGone((error) => {
    process.stdout.write('\n');
    process.stderr.write(`guess: ${error.message}\n`);
    process.exit(1);
  });
  const input = new LineInput(process.stdin, process.stdout, exitOnInterrupt);
  await playInTerminal(judge, input);
  input.close();
  judge.close();
  return 0;
}

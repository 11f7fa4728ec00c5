import { isCommandName, commandHelp, overallHelp, type CommandName } from './commands.js';
import { parseCommandArgs, UsageError, type ParsedArgs } from './args.js';

type Runner = (args: ParsedArgs) => Promise<number>;

// Each command is loaded only when run, so `guess play` does not pay for the server's modules.
const RUNNERS: Readonly<Record<Exclude<CommandName, 'help'>, () => Promise<Runner>>> = {
  play: async () => (await import('./play.js')).play,
  serve: async () => (await import('./serve.js')).serve,
  join: async () => (await import('./join.js')).join,
  host: async () => (await import('./host.js')).host,
  db: async () => (await import('./db.js')).db,
  stats: async () => (await import('./stats.js')).stats,
};

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = rest[0] === '--help' || rest[0] === '-h' ? 'help' : rest[0];
    if (name === 'help' && topic !== undefined) {
      if (!isCommandName(topic)) throw new UsageError(`unknown command '${topic}' (see: guess help)`);
      process.stdout.write(commandHelp(topic));
    } else process.stdout.write(overallHelp());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write('guess-a-number 0.1.0\n');
    return 0;
  }
  if (!isCommandName(name)) throw new UsageError(`unknown command '${name}' (see: guess help)`);
  const args = parseCommandArgs(name, rest);
  if (args.help) {
    process.stdout.write(commandHelp(name));
    return 0;
  }
  const runner = await RUNNERS[name as Exclude<CommandName, 'help'>]();
  return runner(args);
}

/** Users see one line, never a stack trace: usage mistakes exit 2, other failures exit 1. */
export function run(argv: readonly string[]): void {
  // Whoever read our output went away (`guess play | head -3`): nothing is left to say, and no
  // one to say it to, so leave quietly instead of dying on an unhandled EPIPE.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      // Then leave: a socket or a timer the failed command still holds must not keep a player
      // waiting at a dead prompt.
      process.stderr.write(`guess: ${message}\n`, () => process.exit(error instanceof UsageError ? 2 : 1));
    },
  );
}

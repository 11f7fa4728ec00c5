import { parseArgs } from 'node:util';
import type { Range } from '../core/game.js';
import { rangeProblem } from '../core/range.js';
import { COMMANDS, type Command, type CommandName } from './commands.js';

/** A mistake in how the command was called: one line on stderr, exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'E_USAGE';
}

export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
  readonly help: boolean;
}

export function parseCommandArgs(name: CommandName, argv: readonly string[]): ParsedArgs {
  const command: Command = COMMANDS[name];
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
  for (const [flag, spec] of Object.entries(command.flags)) options[flag] = { type: spec.type };
  let parsed;
  try {
    parsed = parseArgs({ args: joinNegativeValues(argv, options), options, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs explains at length; its first sentence says it all.
    throw new UsageError(`${(error as Error).message.split(/\n|\. /)[0] ?? 'bad arguments'} (see: guess help ${name})`);
  }
  const { help, ...values } = parsed.values;
  if (parsed.positionals.length > command.positionals) {
    throw new UsageError(`unexpected argument '${parsed.positionals[command.positionals] ?? ''}' (see: guess help ${name})`);
  }
  return { values, positionals: parsed.positionals, help: help === true };
}

/**
 * `--min -10` means `--min=-10`: parseArgs refuses a value that starts with a dash (it could be
 * a forgotten value followed by a flag), but a negative number cannot be a flag.
 */
function joinNegativeValues(argv: readonly string[], options: Record<string, { type: 'string' | 'boolean' }>): string[] {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const next = argv[i + 1];
    if (arg === '--') return [...args, ...argv.slice(i)];
    if (arg.startsWith('--') && options[arg.slice(2)]?.type === 'string' && next !== undefined && /^-[0-9]/.test(next)) {
      args.push(`${arg}=${next}`);
      i++;
    } else args.push(arg);
  }
  return args;
}

/** An integer flag, written the way a guess is: digits with an optional sign. */
export function intFlag(values: ParsedArgs['values'], flag: string): number | undefined {
  const text = values[flag];
  if (text === undefined || typeof text === 'boolean') return undefined;
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (!/^[+-]?[0-9]+$/.test(trimmed) || !Number.isSafeInteger(value)) {
    throw new UsageError(`--${flag} must be an integer, got '${text}'`);
  }
  return value;
}

export function rangeFlags(values: ParsedArgs['values'], defaults: Range): Range {
  const range = { min: intFlag(values, 'min') ?? defaults.min, max: intFlag(values, 'max') ?? defaults.max };
  const problem = rangeProblem(range);
  if (problem !== undefined) throw new UsageError(problem);
  return range;
}

export function portFlag(values: ParsedArgs['values']): number | undefined {
  const port = intFlag(values, 'port');
  if (port !== undefined && (port < 0 || port > 65535)) throw new UsageError(`--port must be from 0 to 65535, got ${port}`);
  return port;
}

/** `HOST`, `HOST:PORT`, `:PORT`, `[::1]:PORT` or `PORT`. */
export function parseAddress(text: string | undefined, fallback: { host: string; port: number }): { host: string; port: number } {
  if (text === undefined || text === '') return fallback;
  let host = text;
  let portText: string | undefined;
  const bracket = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracket !== null) {
    host = bracket[1] ?? '';
    portText = bracket[2];
  } else if (/^[0-9]+$/.test(text)) {
    host = fallback.host;
    portText = text;
  } else if (text.split(':').length === 2) {
    [host = '', portText] = text.split(':');
  }
  if (host === '') host = fallback.host;
  if (portText === undefined) return { host, port: fallback.port };
  const port = Number(portText);
  if (!/^[0-9]+$/.test(portText) || port < 1 || port > 65535) throw new UsageError(`bad port in '${text}': use HOST:PORT, e.g. 127.0.0.1:65432`);
  return { host, port };
}

/** `--redis redis://HOST:PORT` (or rediss:// for TLS), checked before any file is opened. */
export function redisFlag(values: ParsedArgs['values']): string | undefined {
  const url = values.redis;
  if (typeof url !== 'string') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--redis needs a URL such as redis://127.0.0.1:6379, not ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new UsageError(`--redis needs a redis:// or rediss:// URL, not ${JSON.stringify(url)}`);
  return url;
}

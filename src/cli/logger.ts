import { pino, type Logger } from 'pino';
import { UsageError } from './args.js';

const LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const NAMES: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/**
 * Operator logs: structured JSON lines (pino) for machines, or one short line per event for a
 * person at a terminal. Either way they go to stdout; `--trace` output stays separate.
 */
export function createLogger(level: string | undefined, format: string | undefined, stream: NodeJS.WritableStream): Logger {
  const chosen = level ?? 'info';
  if (!LEVELS.includes(chosen)) throw new UsageError(`--log-level must be one of ${LEVELS.join(', ')}, got '${chosen}'`);
  const shape = format ?? ((stream as { isTTY?: boolean }).isTTY === true ? 'pretty' : 'json');
  if (shape !== 'pretty' && shape !== 'json') throw new UsageError(`--log-format must be pretty or json, got '${shape}'`);
  const destination = shape === 'json' ? stream : prettyStream(stream);
  return pino({ level: chosen, base: null }, destination);
}

function prettyStream(out: NodeJS.WritableStream): { write(line: string): void } {
  return {
    write(line: string) {
      const { level, time, msg, ...fields } = JSON.parse(line) as Record<string, unknown>;
      const extra = Object.entries(fields)
        .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
        .join(' ');
      const clock = new Date(typeof time === 'number' ? time : Date.now()).toISOString().slice(11, 19);
      const name = NAMES[typeof level === 'number' ? level : 30] ?? 'INFO';
      out.write(`${clock} ${name.padEnd(5)} ${String(msg)}${extra === '' ? '' : `  ${extra}`}\n`);
    },
  };
}

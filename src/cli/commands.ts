import { MIN_ROUNDS } from '../core/leaderboard.js';
import { DEFAULTS } from '../server/config.js';

/**
 * Every command and flag, with its help text: the parser and `guess help` both read this table,
 * so the help can never describe a flag the parser does not know.
 */
export interface Flag {
  readonly type: 'string' | 'boolean';
  readonly value?: string;
  readonly help: string;
}

export interface Command {
  readonly summary: string;
  readonly usage: string;
  readonly flags: Readonly<Record<string, Flag>>;
  readonly positionals: number;
  readonly details?: string;
}

const RANGE_FLAGS = {
  min: { type: 'string', value: 'A', help: 'smallest possible secret (default 1)' },
  max: { type: 'string', value: 'B', help: 'largest possible secret (default 100)' },
  seed: { type: 'string', value: 'N', help: 'reproducible secrets: the same N gives the same secrets (for testing)' },
} as const satisfies Record<string, Flag>;

/** The server's limits (docs/PROTOCOL.md "Limits" explains each default). */
const LIMIT_FLAGS = {
  'max-connections': { type: 'string', value: 'N', help: `open connections at most (default ${DEFAULTS.maxConnections})` },
  'max-connections-per-ip': { type: 'string', value: 'N', help: `open connections from one address at most (default ${DEFAULTS.maxConnectionsPerIp}; loopback exempt)` },
  'max-messages-per-second': { type: 'string', value: 'N', help: `messages one connection may send per second (default ${DEFAULTS.maxMessagesPerSecond}; loopback exempt)` },
  'limit-loopback': { type: 'boolean', help: 'apply the per-address and rate limits to 127.0.0.1 and ::1 too' },
  'idle-timeout-ms': { type: 'string', value: 'MS', help: `close a connection silent this long (default ${DEFAULTS.idleTimeoutMs})` },
  'first-message-timeout-ms': { type: 'string', value: 'MS', help: `close a new connection with no whole message by then (default ${DEFAULTS.firstMessageTimeoutMs})` },
  'max-output-bytes': { type: 'string', value: 'N', help: `unread replies one connection may hold, in bytes (default ${DEFAULTS.maxOutputBytes})` },
  'write-timeout-ms': { type: 'string', value: 'MS', help: `close a connection whose replies stay unread this long (default ${DEFAULTS.writeTimeoutMs})` },
  'max-ws-payload-bytes': { type: 'string', value: 'N', help: 'largest WebSocket message, in bytes (default: --max-line-bytes)' },
  'max-rooms': { type: 'string', value: 'N', help: `rooms open at once at most (default ${DEFAULTS.maxRooms})` },
  'shutdown-timeout-ms': { type: 'string', value: 'MS', help: `on SIGINT/SIGTERM, how long a goodbye may take to flush before its peer is cut off (default ${DEFAULTS.shutdownTimeoutMs})` },
} as const satisfies Record<string, Flag>;

/** Which file a command that only reads a server's file opens. */
const DB_FILE_FLAGS = {
  db: { type: 'string', value: 'PATH', help: 'the games\u2019 file (default: the one `guess serve` uses on --port, 65432 unless given)' },
  port: { type: 'string', value: 'P', help: 'the port of the server whose default file to use (default 65432)' },
} as const satisfies Record<string, Flag>;

const NAME_FLAG = { type: 'string', value: 'N', help: 'the name others in the room see (default: your login name)' } as const satisfies Flag;

export const COMMANDS = {
  play: {
    summary: 'play alone in this terminal, no network',
    usage: 'guess play [--min A] [--max B] [--seed N]',
    flags: RANGE_FLAGS,
    positionals: 0,
  },
  serve: {
    summary: 'run the game server (what `npm start` runs)',
    usage: 'guess serve [--host H] [--port P] [--db PATH] [--redis URL [--workers N]] [--min A --max B] [--seed N] [--trace] [limits]',
    flags: {
      host: { type: 'string', value: 'H', help: 'address to listen on (default 127.0.0.1; 0.0.0.0 for your LAN)' },
      port: { type: 'string', value: 'P', help: 'port to listen on (default 65432)' },
      db: {
        type: 'string',
        value: 'PATH',
        help: 'the file that keeps the games across a restart (default: $XDG_DATA_HOME/guess-a-number/PORT.db, else ~/.local/share/guess-a-number/PORT.db; with --port 0, none); :memory: keeps nothing',
      },
      redis: {
        type: 'string',
        value: 'URL',
        help: 'redis://HOST:PORT shared with other servers: room codes are unique across all of them (new rooms are refused while Redis does not answer)',
      },
      workers: { type: 'string', value: 'N', help: 'run N processes on this port, each a server of the --redis cluster (needs --redis)' },
      ...RANGE_FLAGS,
      'max-line-bytes': { type: 'string', value: 'N', help: 'longest message accepted, in bytes (default 1024)' },
      'allow-origin': { type: 'string', value: 'O,…', help: 'other page origins whose scripts may open the WebSocket (* for any)' },
      ...LIMIT_FLAGS,
      'retry-after-ms': { type: 'string', value: 'MS', help: `how long the shutdown message tells clients to wait before they come back, about a restart (default ${DEFAULTS.retryAfterMs})` },
      'seat-hold-ms': { type: 'string', value: 'MS', help: 'how long a dropped player\u2019s seat waits for it to resume (default 60000)' },
      'pick-timeout-ms': { type: 'string', value: 'MS', help: 'how long a picker has to pick before the server draws (default 60000)' },
      fsync: {
        type: 'string',
        value: 'WHEN',
        help: 'second (default): a reply waits for its commit, which survives the server being killed, and the disk gets it within a second; commit: a reply also waits for the disk, so it survives a power cut, at a disk flush per reply',
      },
      'keep-results-days': { type: 'string', value: 'N', help: 'delete finished rounds older than N days, at start and every hour (default: keep them)' },
      'bot-delay-ms': { type: 'string', value: 'MS', help: 'time between a bot\u2019s guesses (default 700)' },
      'log-level': { type: 'string', value: 'L', help: 'fatal, error, warn, info (default), debug or silent' },
      'log-format': { type: 'string', value: 'F', help: 'pretty (default on a terminal) or json' },
      trace: { type: 'boolean', help: 'print every message on the wire as a sequence diagram' },
      'teacher-key': { type: 'string', value: 'K', help: 'the key of the teacher\u2019s link to /class, every room at a glance (default: a new random one, printed at start)' },
    },
    positionals: 0,
  },
  join: {
    summary: 'play against a server, yours or a friend\u2019s',
    usage: 'guess join [HOST[:PORT]] [--room CODE [--spectate]] [--name N] [--classic] [--trace]',
    flags: {
      room: { type: 'string', value: 'CODE', help: 'join a friend\u2019s room (guess host prints its code) instead of playing alone' },
      spectate: { type: 'boolean', help: 'with --room: watch the room instead of playing' },
      name: NAME_FLAG,
      classic: { type: 'boolean', help: 'speak the chapter\u2019s bare dialect (plays against guess-server.py)' },
      trace: { type: 'boolean', help: 'print every message on the wire as a sequence diagram (on stderr)' },
    },
    positionals: 1,
    details: 'HOST defaults to 127.0.0.1 and PORT to 65432. IPv6 addresses go in brackets: [::1]:65432.',
  },
  host: {
    summary: 'create a room on a server and play in it with friends (or a bot)',
    usage: 'guess host [HOST[:PORT]] [--mode race|pick] [--rounds N | --first-to N] [--bot | --medium | --weak] [--min A --max B] [--name N] [--trace]',
    flags: {
      mode: { type: 'string', value: 'M', help: 'race: everyone guesses one secret, first to find it wins; pick: players take turns choosing the secret (default race)' },
      rounds: { type: 'string', value: 'N', help: 'pick: rounds in a match, 1\u2013100 (default: each player picks once); the fewest guesses win it' },
      'first-to': { type: 'string', value: 'N', help: 'race: a match ends when a player has won N rounds, 1\u2013100 (default: no end)' },
      bot: { type: 'boolean', help: 'add the strong computer player: binary search, at most 7 guesses for 1..100' },
      medium: { type: 'boolean', help: 'add a medium computer player instead: random guesses within what its hints leave' },
      weak: { type: 'boolean', help: 'add a weak computer player instead, one you can beat: one guess in two ignores its last hint' },
      min: { type: 'string', value: 'A', help: 'smallest possible secret (default: the server\u2019s, 1)' },
      max: { type: 'string', value: 'B', help: 'largest possible secret (default: the server\u2019s, 100)' },
      name: NAME_FLAG,
      trace: { type: 'boolean', help: 'print every message on the wire as a sequence diagram (on stderr)' },
    },
    positionals: 1,
    details:
      'Prints the room code and the exact command your friend runs (guess join HOST:PORT --room CODE). ' +
      'Press Enter to start a round once everyone is in; type numbers to guess; /quit to leave. ' +
      'The server must be running (guess serve); for friends on other computers, start it with --host 0.0.0.0.',
  },
  db: {
    summary: 'look into or back up the file a server keeps its games in',
    usage: 'guess db info [--db PATH | --port P]   or   guess db backup FILE [--db PATH | --port P]',
    flags: DB_FILE_FLAGS,
    positionals: 2,
    details:
      'info prints the file, its schema version, its size, and how many rooms and players it keeps. ' +
      'backup copies it to FILE with SQLite\u2019s online backup, safe while the server runs. ' +
      'Both only read the file, so they work while a server has it open.',
  },
  stats: {
    summary: 'the leaderboard and statistics of the games a server kept',
    usage: 'guess stats [--db PATH | --port P | --redis URL] [--mode M] [--period P] [--min-rounds N] [--json]',
    flags: {
      ...DB_FILE_FLAGS,
      redis: { type: 'string', value: 'URL', help: 'read the rounds of every server of a cluster from its Redis (redis://HOST:PORT) instead of a file' },
      mode: { type: 'string', value: 'M', help: 'race, pick, solo or all (default all)' },
      period: { type: 'string', value: 'P', help: 'today, 7d or all (default all)' },
      'min-rounds': { type: 'string', value: 'N', help: `rounds found to be ranked by efficiency (default ${MIN_ROUNDS})` },
      json: { type: 'boolean', help: 'print JSON instead of tables' },
      forget: { type: 'string', value: 'NAME', help: 'delete every round of the player NAME (any case) instead; the server must be stopped (with --redis the cluster may run)' },
    },
    positionals: 0,
    details:
      'Players are their names, compared regardless of case: an honour system, nobody proves who they are. ' +
      'Efficiency is attempts per round divided by what binary search needs at most for the range (7 for 1..100): lower is better. ' +
      'It only reads the file, so it works while a server has it open; with --redis it reads the cluster\u2019s shared rounds while its servers run.',
  },
  help: {
    summary: 'describe every command, or one: guess help COMMAND',
    usage: 'guess help [COMMAND]',
    flags: {},
    positionals: 1,
  },
} as const satisfies Record<string, Command>;

export type CommandName = keyof typeof COMMANDS;

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

export function commandHelp(name: CommandName): string {
  const command: Command = COMMANDS[name];
  const flags = Object.entries(command.flags).map(([flag, spec]) => {
    const left = `  --${flag}${spec.value === undefined ? '' : ` ${spec.value}`}`;
    return [left, spec.help];
  });
  flags.push(['  --help', 'show this help']);
  const width = Math.max(24, ...flags.map(([left = '']) => left.length + 1));
  return [
    `guess ${name}: ${command.summary}`,
    '',
    `Usage: ${command.usage}`,
    ...(command.details === undefined ? [] : ['', command.details]),
    '',
    'Options:',
    ...flags.map(([left = '', help = '']) => `${left.padEnd(width)} ${help}`),
    '',
  ].join('\n');
}

export function overallHelp(): string {
  const lines = Object.entries(COMMANDS).flatMap(([name, command]: [string, Command]) => {
    const flags = Object.entries(command.flags).map(([flag, spec]) => `--${flag}${spec.value === undefined ? '' : ` ${spec.value}`}`);
    const rows: string[] = [];
    for (const flag of flags) {
      const last = rows.pop();
      if (last === undefined) rows.push(flag);
      else if (last.length + flag.length < 68) rows.push(`${last}  ${flag}`);
      else rows.push(last, flag);
    }
    return [`  ${name.padEnd(8)} ${command.summary}`, ...rows.map((row) => `  ${''.padEnd(8)} ${row}`)];
  });
  return [
    'guess: guess the number, alone or with a friend over the network',
    '',
    'Usage: guess <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `guess help <command>` (or `guess <command> --help`) for its options.',
    'Through npx, `npx guess --help` is read by npx itself: use `npx guess help`.',
    '',
  ].join('\n');
}

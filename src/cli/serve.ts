import { networkInterfaces } from 'node:os';
import { DEFAULT_RANGE } from '../core/game.js';
import { createGameServer } from '../server/server.js';
import { intFlag, portFlag, rangeFlags, UsageError, type ParsedArgs } from './args.js';
import { createLogger } from './logger.js';
import { chooseRandom } from './random.js';

export async function serve(args: ParsedArgs): Promise<number> {
  const { values } = args;
  const seed = intFlag(values, 'seed');
  const log = createLogger(stringFlag(values, 'log-level'), stringFlag(values, 'log-format'), process.stdout);
  const trace = values.trace === true ? (line: string) => process.stderr.write(`${line}\n`) : undefined;
  let server;
  try {
    server = createGameServer({
      random: chooseRandom(seed),
      log,
      trace,
      range: rangeFlags(values, DEFAULT_RANGE),
      ...definedOnly({
        host: stringFlag(values, 'host'),
        port: portFlag(values),
        maxLineBytes: intFlag(values, 'max-line-bytes'),
        allowedOrigins: stringFlag(values, 'allow-origin')?.split(',').map((origin) => origin.trim()).filter((origin) => origin !== ''),
      }),
    });
  } catch (error) {
    if (error instanceof TypeError) throw new UsageError(error.message);
    throw error;
  }
  const { host } = server.config;
  let address;
  try {
    address = await server.listen();
  } catch (error) {
    process.stderr.write(`guess: ${describeListenError(error as NodeJS.ErrnoException, host, server.config.port)}\n`);
    return 1;
  }
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  process.stdout.write(`Listening on ${shown}:${address.port}\n`);
  process.stdout.write(`Open in a browser:  http://${shown}:${address.port}/\n`);
  process.stdout.write(`Play from another terminal:  npx guess join ${shown}:${address.port}   (or: nc ${address.address} ${address.port})\n`);
  if (host === '0.0.0.0' || host === '::') {
    const lan = lanAddresses();
    process.stdout.write(
      `Warning: listening on every network interface — anyone who can reach this machine can connect.\n` +
        (lan.length === 0
          ? ''
          : `Friends on your network join with:  npx guess join ${lan[0] ?? ''}:${address.port}   (addresses: ${lan.join(', ')})\n` +
            `or in a browser:  http://${lan[0] ?? ''}:${address.port}/\n`),
    );
  }
  if (seed !== undefined) process.stdout.write(`Warning: --seed makes every secret predictable; use it for testing only.\n`);

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      void server.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}

function stringFlag(values: ParsedArgs['values'], flag: string): string | undefined {
  const value = values[flag];
  return typeof value === 'string' ? value : undefined;
}

function definedOnly<T extends object>(object: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

function describeListenError(error: NodeJS.ErrnoException, host: string, port: number): string {
  switch (error.code) {
    case 'EADDRINUSE':
      return `port ${port} is in use — is another server running? Try --port`;
    case 'EACCES':
      return `not allowed to listen on port ${port} — ports below 1024 need privileges; try --port 65432`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot listen on ${host}: this machine has no such address — try --host 127.0.0.1 or --host 0.0.0.0`;
    default:
      return `cannot listen on ${host}:${port}: ${error.message}`;
  }
}

/** This machine's IPv4 addresses on its networks, for the "friends join with" hint. */
function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((entry) => entry !== undefined && entry.family === 'IPv4' && !entry.internal)
    .map((entry) => entry?.address ?? '');
}

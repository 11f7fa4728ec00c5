import type { Server } from 'node:net';
import { parseArgs } from 'node:util';

/** What the bare servers take: `--host`, `--port`, `--min`, `--max`. */
export function yardstickArgs(): { host: string; port: number; min: number; max: number } {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '0' },
      min: { type: 'string', default: '1' },
      max: { type: 'string', default: '100' },
    },
  });
  return { host: values.host, port: Number(values.port), min: Number(values.min), max: Number(values.max) };
}

/** Listens and prints the `Listening on HOST:PORT` line the bench waits for, as `guess serve` does. */
export function announce(server: Server, host: string, port: number): void {
  server.listen({ host, port, backlog: 4096 }, () => {
    const address = server.address();
    if (address !== null && typeof address === 'object') {
      process.stdout.write(`Listening on ${address.address}:${address.port}\n`);
    }
  });
  process.on('SIGTERM', () => process.exit(0));
}

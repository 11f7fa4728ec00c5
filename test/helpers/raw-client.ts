import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import type { RunningServer } from './server.js';
import { waitForLine } from './process.js';

/**
 * Connects to 127.0.0.1:`port`, sends `bytes` (if any), and resolves with every byte received
 * once the server closes the connection. `halfOpen` keeps our side open after the server's FIN,
 * as a peer that never closes would.
 */
export async function untilClosed(port: number, bytes?: string | Buffer, options: { halfOpen?: boolean; end?: boolean } = {}): Promise<Buffer> {
  const socket = await open(port, options.halfOpen === true);
  return exchange(socket, bytes, options.end === true);
}

export async function open(port: number, halfOpen = false): Promise<Socket> {
  const socket = connect({ port, host: '127.0.0.1', noDelay: true, allowHalfOpen: halfOpen });
  socket.on('error', () => {});
  await once(socket, 'connect');
  return socket;
}

/** Sends on an open socket and resolves with everything received once it closes. */
export async function exchange(socket: Socket, bytes?: string | Buffer, end = false): Promise<Buffer> {
  const parts: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => parts.push(chunk));
  const closed = whenClosed(socket);
  if (bytes !== undefined) socket.write(bytes);
  if (end) socket.end();
  await closed;
  return Buffer.concat(parts);
}

/** Resolves once the socket has closed, however (a reset is an 'error' first: not a failure here). */
export function whenClosed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.closed) resolve();
    else socket.once('close', () => resolve());
  });
}

/**
 * Resolves with the server's next JSON log entry that `match` accepts. Start waiting before
 * causing the event: only lines printed after the call are seen.
 */
export async function nextLog(server: RunningServer, match: (entry: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  const line = await waitForLine(server.child.stdout, (text) => {
    if (!text.startsWith('{')) return false;
    return match(JSON.parse(text) as Record<string, unknown>);
  });
  return JSON.parse(line) as Record<string, unknown>;
}

/** The resident memory of process `pid` in KiB, from /proc (Linux). */
export async function rssKiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (match === null) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]);
}

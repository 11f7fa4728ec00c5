import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** A TCP server on 127.0.0.1 that a test scripts by hand, counting the connections it gets. */
export interface FakeServer {
  readonly port: number;
  readonly server: Server;
  /** Every line clients sent, in order, over all connections. */
  readonly lines: string[];
  connections(): number;
  close(): Promise<void>;
}

/**
 * `onLine` gets each line a client sends with the socket it came on and the number of that
 * connection (1 for the first); what it writes is the fake's answer.
 */
export async function fakeServer(onLine: (line: string, socket: Socket, connection: number) => void): Promise<FakeServer> {
  let count = 0;
  const lines: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    const connection = ++count;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A client that gives up on a long answer resets the connection: that is expected here.
    socket.on('error', () => undefined);
    let buffer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      for (let newline = buffer.indexOf('\n'); newline !== -1; newline = buffer.indexOf('\n')) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        lines.push(line);
        if (!socket.destroyed) onLine(line, socket, connection);
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    server,
    lines,
    connections: () => count,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A `welcome` with a token, as a room client's `hello` expects. */
export function welcomeLine(token = 'tok-1'): string {
  return `${JSON.stringify({ type: 'welcome', v: 1, player: 'p1', name: 'Ada', token, resumed: false })}\n`;
}

/** A `room` snapshot of a race room with one player, waiting. */
export function roomLine(code = 'ABCDE'): string {
  const seat = { id: 'p1', name: 'Ada', seat: 1, bot: false, connected: true, attempts: 0, found: false };
  const room = { type: 'room', code, mode: 'race', min: 1, max: 100, maxPlayers: 8, you: 'p1', role: 'player', state: 'waiting', round: 0, picker: null, commitment: null, players: [seat], spectators: 0, history: [], standings: [] };
  return `${JSON.stringify(room)}\n`;
}

import { once, type EventEmitter } from 'node:events';
import { createServer, request } from 'node:http';
import { connect, createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { sha256 } from './json-client.js';

/** What a relay does to each server message on its way to the client: a list is sent as that many messages. */
export type Rewrite = (message: Record<string, unknown>) => Record<string, unknown> | Array<Record<string, unknown>>;

export const honest: Rewrite = (message) => message;

/**
 * A server that changed its secret during the round and covers it up: `round_end` reveals
 * another secret (the neighbour of the real one, so it stays in 1–100), a fresh salt, and the
 * commitment that those two open. The reveal is consistent with itself; only the commitment
 * announced at `round_start` can give it away.
 */
export function swapSecret(message: Record<string, unknown>): Record<string, unknown> {
  // The room snapshot between rounds repeats the reveal: the liar tells the same lie there.
  if (message.type === 'room' && typeof message.lastRound === 'object' && message.lastRound !== null) {
    const lastRound = swapSecret({ type: 'round_end', ...(message.lastRound as Record<string, unknown>) });
    delete lastRound.type;
    return { ...message, lastRound };
  }
  if (message.type !== 'round_end' || typeof message.secret !== 'number') return message;
  const secret = message.secret % 2 === 0 ? message.secret - 1 : message.secret + 1;
  const salt = 'f0'.repeat(16);
  return { ...message, secret, salt, commitment: sha256(`${secret}${salt}`) };
}

export interface Relay {
  readonly port: number;
  /** Cuts every relayed connection, as a network that fails would; the relay keeps listening. */
  cut(): void;
  close(): Promise<void>;
}

/**
 * A loopback front for a real server's JSON-lines dialect over TCP: what the client sends
 * passes as is; every line the server sends goes through `rewrite`.
 */
export async function tcpRelay(target: number, rewrite: Rewrite): Promise<Relay> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((inbound) => {
    const outbound = connect({ port: target, host: '127.0.0.1' });
    tie(sockets, inbound, outbound, (socket) => socket.destroy());
    inbound.pipe(outbound);
    let buffer = '';
    outbound.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        for (const text of relayed(line, rewrite)) inbound.write(`${text}\n`);
      }
    });
  });
  return listening(server, () => {
    for (const socket of sockets) socket.destroy();
  });
}

/**
 * A loopback front for a real server's web side: HTTP requests (the page and its assets) are
 * passed through, and the page's WebSocket is relayed message by message, every server message
 * through `rewrite`. The page sees the relay as its server.
 */
export async function webRelay(target: number, rewrite: Rewrite): Promise<Relay> {
  const sockets = new Set<WebSocket>();
  const server = createServer((incoming, answer) => {
    const upstream = request({ host: '127.0.0.1', port: target, path: incoming.url, method: incoming.method, headers: incoming.headers }, (reply) => {
      answer.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(answer);
    });
    upstream.on('error', () => answer.destroy());
    incoming.pipe(upstream);
  });
  const front = new WebSocketServer({ noServer: true });
  server.on('upgrade', (incoming, socket, head) => {
    front.handleUpgrade(incoming, socket, head, (page) => {
      // No Origin header: the server takes the relay for a program, not a page of another site.
      const back = new WebSocket(`ws://127.0.0.1:${target}${incoming.url ?? '/'}`);
      const early: string[] = [];
      tie(sockets, page, back, (ws) => ws.close());
      page.on('message', (data) => {
        if (back.readyState === WebSocket.OPEN) back.send(text(data));
        else early.push(text(data));
      });
      back.on('open', () => {
        for (const text of early.splice(0)) back.send(text);
      });
      back.on('message', (data) => {
        for (const message of relayed(text(data), rewrite)) page.send(message);
      });
    });
  });
  return listening(server, () => {
    for (const ws of sockets) ws.terminate();
    server.closeAllConnections();
  });
}

/** The two ends of one relayed connection: when either closes, both are closed. */
function tie<T extends EventEmitter>(live: Set<T>, a: T, b: T, close: (end: T) => void): void {
  for (const end of [a, b]) {
    live.add(end);
    end.on('error', () => undefined).on('close', () => {
      live.delete(end);
      close(a);
      close(b);
    });
  }
}

function text(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');
}

function relayed(text: string, rewrite: Rewrite): string[] {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return [text];
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return [text];
  const rewritten = rewrite(message as Record<string, unknown>);
  return (Array.isArray(rewritten) ? rewritten : [rewritten]).map((each) => JSON.stringify(each));
}

async function listening(server: Server, cut: () => void): Promise<Relay> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    cut,
    async close() {
      const closed = once(server, 'close');
      server.close();
      cut();
      await closed;
    },
  };
}

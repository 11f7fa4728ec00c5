import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ProtocolError } from '../protocol/errors.js';
import { encodeServerMessage, errorMessage } from '../protocol/messages.js';
import { isLoopback } from './address.js';
import type { ServerConfig } from './config.js';
import { contain, INTERNAL_ERROR } from './guard.js';
import { handleRequest, SECURITY_HEADERS, WEBSOCKET_PATH, type Routes } from './http-routes.js';
import { originAllowed } from './origin.js';
import { PageFlow } from './page-flow.js';
import { PageLiveness } from './page-liveness.js';
import { RateLimiter } from './rate-limit.js';
import { closeWhenFlushed, type Wire } from './wire.js';

/** How the WebSocket side sees one JSON session: text in, text out. */
export interface TextSession {
  receive(text: string): void;
  /** The server is going down: send the JSON goodbye (a room player's carries its resume token), then end. */
  shutdown(): void;
  close(): void;
}

export interface TextPeer {
  readonly peer: string;
  send(text: string): void;
  /** Ends the connection after what was sent so far. */
  end(): void;
  /** Frames sent until `release` leave the socket in one write (see TextOut). */
  hold(): void;
  release(): void;
}

export type TextSessionFactory = (peer: TextPeer) => TextSession;

export interface HttpFront {
  /** Takes over a socket the detector found speaking HTTP; `head` is what it has read so far. */
  readonly handleSocket: (socket: Socket, head: Buffer) => void;
  /**
   * Graceful drain: every WebSocket session says goodbye and closes once that is flushed; idle
   * HTTP connections close now, busy ones once their answer is flushed.
   */
  readonly shutdown: () => void;
}

/**
 * HTTP and WebSocket on the game's own port. The connection detector hands over sockets that
 * start with an HTTP method; a Node `http` server (never listening itself) parses them, serves
 * the web client, and upgrades `/ws` to a WebSocket that carries the JSON dialect's objects,
 * one per text frame.
 *
 * `wireOf` finds the Wire of the connection that handed a socket over. Its deadlines still
 * apply: this HTTP server never listens itself, so Node's own headersTimeout check never runs,
 * and the connection's first-message deadline stands in for it once told that a request head
 * has arrived whole; a WebSocket that does not read is timed by the same sweep as a TCP peer.
 */
export function createHttpFront(config: ServerConfig, routes: Routes, sessions: TextSessionFactory, wireOf: (socket: Duplex) => Wire | undefined): HttpFront {
  const settle = (socket: Duplex): void => {
    const wire = wireOf(socket);
    if (wire !== undefined) wire.settled = true;
  };
  // The sockets this HTTP server holds (upgraded ones leave), each with how many of its requests
  // are being answered, for the drain: Node's closeIdleConnections knows only the connections
  // of a server that listens itself, and this one never does.
  const held = new Map<Duplex, number>();
  // One function for every socket, taken off when it is upgraded: a page holds no listener of its
  // own for a map it has left.
  const forgetSocket = function (this: Duplex): void {
    held.delete(this);
  };
  let draining = false;
  const answered = (socket: Duplex): void => {
    const busy = held.get(socket);
    if (busy === undefined) return;
    held.set(socket, busy - 1);
    if (draining && busy === 1) closeWhenFlushed(socket);
  };
  const http = createServer({ maxHeaderSize: 16 * 1024, keepAliveTimeout: Math.min(5_000, config.idleTimeoutMs) }, (req, res) => {
    const socket = req.socket;
    settle(socket);
    const busy = held.get(socket);
    if (busy !== undefined) held.set(socket, busy + 1);
    res.once('close', () => answered(socket));
    try {
      handleRequest(routes, req, res);
    } catch (error) {
      contain(config.log, { peer: peerOf(req) }, error, () => serverError(res), () => socket.destroy());
    }
  });
  // The idle deadline, for HTTP: a request whose body never comes does not hold its socket. (Node's
  // requestTimeout needs a listening server; this one only takes sockets over. ws clears it on upgrade.)
  http.setTimeout(config.idleTimeoutMs, (socket) => socket.destroy());
  // A frame is one message, so a frame may be as long as a line of the JSON dialect (maxWsPayloadBytes follows it).
  // `live` below knows every page: ws's own set of clients would cost each idle page an entry and a listener.
  const wss = new WebSocketServer({ noServer: true, clientTracking: false, maxPayload: config.maxWsPayloadBytes, perMessageDeflate: false });
  // Each WebSocket's session, with the socket under it.
  const live = new Map<TextSession, Duplex>();
  const liveness = new PageLiveness(config.wsPingMs);

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    settle(socket);
    const refusal = upgradeRefusal(req, config.allowedOrigins);
    if (refusal !== undefined) {
      // Without the query: it may hold the teacher's key (/class?key=…).
      config.log.info({ origin: req.headers.origin, url: (req.url ?? '/').split('?')[0] }, `WebSocket refused: ${refusal.reason}`);
      const headers = Object.entries(SECURITY_HEADERS).map(([name, value]) => `${name}: ${value}\r\n`).join('');
      socket.end(
        `HTTP/1.1 ${refusal.status}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n${headers}` +
          `Content-Length: ${Buffer.byteLength(refusal.reason) + 1}\r\n\r\n${refusal.reason}\n`,
      );
      return;
    }
    // The request as ws hands it back, not this listener's: nothing a page keeps may hold the
    // request (its headers are a kilobyte or two per idle page).
    wss.handleUpgrade(req, socket, head, (ws, request) => {
      held.delete(socket);
      socket.off('close', forgetSocket);
      serveWebSocket(ws, request, config, sessions, live, liveness, wireOf(socket), () => draining);
    });
  });
  http.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    else socket.destroy();
  });

  return {
    handleSocket: (socket, head) => {
      // Give back what detection read, then let the HTTP parser have the socket from the start.
      if (head.length > 0) socket.unshift(head);
      held.set(socket, 0);
      socket.on('close', forgetSocket);
      http.emit('connection', socket);
    },
    shutdown() {
      draining = true;
      // The goodbye may wait for the store's commit (see Hub.post): the session's end, which
      // follows it, closes the socket (see serveWebSocket).
      for (const session of live.keys()) session.shutdown();
      for (const [socket, busy] of held) if (busy === 0) closeWhenFlushed(socket);
    },
  };
}

function peerOf(req: IncomingMessage): string {
  return `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
}

/** A request the server failed on: a 500 if nothing was sent yet, then the connection closes. */
function serverError(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = `${INTERNAL_ERROR.message}\n`;
  // Whatever the failed route had set (a length, a type) does not describe this answer.
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  res.writeHead(500, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
  res.end(body);
}

/** A WebSocket the server failed on: the JSON `error`, then close status 1011 (internal error). */
function closeForFault(ws: WebSocket): void {
  if (ws.readyState !== ws.OPEN) {
    ws.terminate();
    return;
  }
  ws.send(encodeServerMessage(errorMessage(INTERNAL_ERROR.code, INTERNAL_ERROR.message)));
  ws.close(1011, 'internal error');
}

function upgradeRefusal(req: IncomingMessage, allowed: readonly string[]): { status: string; reason: string } | undefined {
  const path = (req.url ?? '/').split('?')[0];
  if (path !== WEBSOCKET_PATH) return { status: '404 Not Found', reason: `no WebSocket here; it is at ${WEBSOCKET_PATH}` };
  if (!originAllowed(req.headers.origin, req.headers.host, allowed)) {
    return { status: '403 Forbidden', reason: 'this page\u2019s origin may not open the game\u2019s WebSocket' };
  }
  return undefined;
}

/** What a page's session writes to. A class rather than an object of closures: every open page keeps one. */
class PageOut implements TextPeer {
  readonly peer: string;
  readonly #ws: WebSocket;
  readonly #socket: Socket;
  readonly #wire: Wire | undefined;
  readonly #flow: PageFlow;
  readonly #draining: () => boolean;

  constructor(peer: string, ws: WebSocket, socket: Socket, wire: Wire | undefined, flow: PageFlow, draining: () => boolean) {
    this.peer = peer;
    this.#ws = ws;
    this.#socket = socket;
    this.#wire = wire;
    this.#flow = flow;
    this.#draining = draining;
  }

  send(text: string): void {
    const ws = this.#ws;
    if (ws.readyState !== ws.OPEN) return;
    if (this.#wire?.tap !== undefined) this.#wire.tap('to-client', text);
    ws.send(text);
    this.#flow.wrote();
  }

  end(): void {
    this.#ws.close(1000);
    // ws writes the goodbye and the close frame to the socket at once (text frames, no
    // compression), so our FIN follows them; while draining, the peer's close frame is not awaited.
    if (this.#draining()) closeWhenFlushed(this.#socket);
  }

  hold(): void {
    this.#socket.cork();
  }

  release(): void {
    this.#socket.uncork();
    this.#flow.wrote();
  }
}

function serveWebSocket(
  ws: WebSocket,
  req: IncomingMessage,
  config: ServerConfig,
  sessions: TextSessionFactory,
  live: Map<TextSession, Duplex>,
  liveness: PageLiveness,
  wire: Wire | undefined,
  draining: () => boolean,
): void {
  // What the page's closures need of the request, read out: they outlive it (see the upgrade).
  const socket = req.socket;
  const address = socket.remoteAddress ?? '?';
  const peer = peerOf(req);
  // A bug met while serving this page's frames, or its close, ends this page alone.
  const fault = (error: unknown): void => contain(config.log, { peer }, error, () => closeForFault(ws), () => ws.terminate());
  // The same per-connection message rate as a TCP connection's, with the same loopback exemption:
  // an exempt page gets no limiter at all, nothing to keep or to count per frame.
  const limit = config.maxMessagesPerSecond;
  const rate = isLoopback(address) && !config.limitLoopback ? undefined : new RateLimiter(limit);
  if (wire !== undefined) wire.websocket = true;
  const flow = new PageFlow(ws, socket, wire, config.maxOutputBytes);
  const session = sessions(new PageOut(peer, ws, socket, wire, flow, draining));
  ws.on('message', (data) => {
    // Closing (a fault, a goodbye, a superseded seat): what the page still sends is not read.
    if (ws.readyState !== ws.OPEN) return;
    if (wire?.tap !== undefined) wire.tap('to-server', Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? Buffer.from(data) : data);
    const admission = rate === undefined ? 'ok' : rate.admit(Date.now());
    if (admission !== 'ok') {
      const error = new ProtocolError('E_RATE_LIMITED', `Too many messages: the limit is ${limit} per second; slow down`);
      const text = encodeServerMessage(errorMessage(error.code, error.message));
      if (wire?.tap !== undefined) wire.tap('to-client', text);
      ws.send(text);
      flow.wrote();
      // 1008: policy violation, the WebSocket's word for a peer that broke the rules.
      if (admission === 'close') ws.close(1008, 'rate limit');
      return;
    }
    // The dialect is text: a binary frame is read as UTF-8, as a TCP line is.
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString('utf8')
      : data instanceof ArrayBuffer
        ? Buffer.from(data).toString('utf8')
        : data.toString('utf8');
    flow.read(text.length);
    try {
      session.receive(text);
    } catch (error) {
      fault(error);
    }
  });
  live.set(session, socket);
  liveness.watch(ws);
  ws.on('error', () => ws.terminate());
  ws.on('close', () => {
    live.delete(session);
    liveness.forget(ws);
    try {
      session.close();
    } catch (error) {
      fault(error);
    }
  });
}

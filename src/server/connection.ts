import type { Socket } from 'node:net';
import { detectDialect, type Dialect } from '../protocol/detect.js';
import { ClassicSession } from './classic-session.js';
import type { ServerConfig } from './config.js';
import type { Hub } from './hub.js';
import { JsonSession } from './json-session.js';
import { PlainSession } from './plain-session.js';
import { Wire, type Session } from './wire.js';

/** Takes over a socket that speaks HTTP, with the bytes detection already read from it. */
export type HttpHandoff = (socket: Socket, head: Buffer) => void;

/**
 * Serves one accepted socket: waits for the client's first bytes (the server never speaks
 * first), detects the dialect, then hands every byte to that dialect's session (or, for HTTP,
 * the socket itself to the HTTP server).
 */
export function serveConnection(socket: Socket, config: ServerConfig, onClose: () => void, http: HttpHandoff, hub: Hub): void {
  const peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
  const wire = new Wire(socket, peer, config.trace);
  const since = Date.now();
  let dialect: Dialect | undefined;
  let session: Session | undefined;
  let head: Buffer | undefined;
  let quiet: NodeJS.Timeout | undefined;

  config.log.info({ peer }, `Connected by ${peer}`);
  socket.setNoDelay(true);

  const start = (chosen: Dialect): void => {
    clearTimeout(quiet);
    dialect = chosen;
    socket.off('data', sniff);
    if (chosen === 'http') {
      http(socket, head ?? Buffer.alloc(0));
      head = undefined;
      return;
    }
    session = createSession(chosen, wire, config, hub);
    socket.on('data', (chunk: Buffer) => {
      wire.traceIncoming(chunk);
      session?.receive(chunk);
    });
    const first = head;
    head = undefined;
    if (first !== undefined) session.receive(first);
    if (session instanceof ClassicSession) session.flush();
  };

  const sniff = (chunk: Buffer): void => {
    wire.traceIncoming(chunk);
    head = head === undefined ? chunk : Buffer.concat([head, chunk]);
    const detected = detectDialect(head);
    if (detected !== undefined) start(detected);
    // More bytes than any message may hold, still no line ending: the plain session reports it.
    else if (head.length > config.maxLineBytes) start('plain');
    else if (quiet === undefined) quiet = setTimeout(() => start('classic'), config.classicQuietMs);
    else quiet.refresh();
  };

  socket.on('data', sniff);
  socket.on('error', (error: NodeJS.ErrnoException) => {
    config.log.debug({ peer, code: error.code }, `Connection error: ${error.message}`);
  });
  socket.on('close', () => {
    clearTimeout(quiet);
    session?.close();
    config.log.info(
      { peer, dialect: dialect ?? 'none', guesses: wire.guesses, ms: Date.now() - since },
      'Disconnected',
    );
    onClose();
  });
}

function createSession(dialect: Exclude<Dialect, 'http'>, wire: Wire, config: ServerConfig, hub: Hub): Session {
  switch (dialect) {
    case 'plain':
      return new PlainSession(wire, config);
    case 'classic':
      return new ClassicSession(wire, config);
    case 'json':
      return new JsonSession(wire, config, hub);
  }
}

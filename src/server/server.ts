import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { MIN_ROUNDS, periodStart } from '../core/leaderboard.js';
import { ProtocolError } from '../protocol/errors.js';
import type { Watchable } from './class-view.js';
import { resolveConfig, type ServerConfig, type ServerOptions } from './config.js';
import { Connection } from './connection.js';
import { isLoopback, isWildcard, lanAddresses } from './address.js';
import type { HandlingClock } from './handling-clock.js';
import { createHttpFront, type TextSession } from './http-front.js';
import { Hub } from './hub.js';
import { JsonPeer } from './json-peer.js';
import { createMetrics } from './metrics.js';
import { refuse } from './refusal.js';
import { Spectators } from './spectators.js';
import { loadWebAssets } from './web-assets.js';

export interface GameServer {
  readonly config: ServerConfig;
  /** Serves a socket accepted elsewhere (tests, or another listener). */
  handleSocket(socket: Socket): void;
  readonly connections: number;
  /** Binds and resolves with the address actually bound (port 0 gets a free one). */
  listen(): Promise<AddressInfo>;
  /**
   * Graceful drain: stops accepting, says goodbye to every client in its dialect, closes each
   * connection as soon as its goodbye is flushed (never waiting for the peer to close), and
   * resolves once all are closed or `shutdownTimeoutMs` has passed: the connections whose
   * goodbye could not be flushed by then (a peer that does not read, its buffers full) are cut off.
   */
  shutdown(): Promise<void>;
  /** Stops accepting and closes every connection at once. */
  close(): Promise<void>;
}

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

function* watchable(connections: Iterable<Connection>): Iterable<Watchable> {
  for (const connection of connections) {
    const dialect = connection.spoken;
    if (dialect !== undefined && connection.wire.closing === undefined) yield { wire: connection.wire, dialect };
  }
}

/** Refusals waiting for the peer's first bytes at most; past it, more are closed without a word. */
const MAX_PENDING_REFUSALS = 1024;

export function createGameServer(options: ServerOptions): GameServer {
  const config = resolveConfig(options);
  const connections = new Set<Connection>();
  const perAddress = new Map<string, number>();
  const refused = new Set<Socket>();
  let listener: Server | undefined;
  let stopping = false;
  const assets = loadWebAssets(config.webRoot);
  if (assets.size === 0) config.log.warn({ webRoot: config.webRoot }, 'The web client is not built: run `npm run build`');
  const hub = new Hub(config);
  const bySocket = new WeakMap<object, Connection>();
  const health = (): Record<string, number | string> => ({
    ...(config.registry === undefined ? {} : { redis: config.registry.reachable ? 'ok' : 'unreachable' }),
    connections: connections.size,
    commits: hub.stats.commits,
    commitMs: Math.round(hub.stats.commitNanos / 1e3) / 1e3,
    syncs: hub.stats.syncs,
    syncMs: Math.round(hub.stats.syncNanos / 1e3) / 1e3,
  });
  // Guesses of plain and classic connections already closed; open ones count on their wire.
  const guessesOfClosed = new Map<string, number>();
  const messagesOfClosed = new Map<string, number>();
  /** Adds a plain or classic connection's guesses or messages to its dialect's count (JSON ones are the hub's). */
  const countPerDialect = (counts: Map<string, number>, connection: Connection, of: 'guesses' | 'messages'): void => {
    const spoken = connection.spoken;
    if (spoken === 'plain' || spoken === 'classic') counts.set(spoken, (counts.get(spoken) ?? 0) + connection.wire[of]);
  };
  const metrics = createMetrics({
    registry: config.registry,
    relay: hub.relay,
    takeover: hub.takeover,
    *connections() {
      for (const connection of connections) {
        const spoken = connection.spoken;
        if (spoken === 'WebSocket') yield { transport: 'websocket', dialect: 'json' };
        else yield { transport: 'tcp', dialect: spoken ?? 'unknown' };
      }
    },
    *rooms() {
      for (const room of hub.lobby.rooms.values()) yield room.mode;
    },
    guesses() {
      const counts = new Map(guessesOfClosed);
      for (const connection of connections) countPerDialect(counts, connection, 'guesses');
      // A JSON guess is counted by the rooms, over TCP and WebSocket alike.
      counts.set('json', hub.stats.guesses);
      return counts;
    },
    messages() {
      const counts = new Map(messagesOfClosed);
      for (const connection of connections) countPerDialect(counts, connection, 'messages');
      // A JSON message is counted by its peer, over TCP and WebSocket alike.
      counts.set('json', hub.stats.messages);
      return counts;
    },
    stats: hub.stats,
  });
  const spectators = new Spectators();
  const classView =
    config.teacherKey === undefined
      ? undefined
      : {
          key: config.teacherKey,
          rooms: () => hub.lobby.rooms.values(),
          connections: () => watchable(connections),
          spectators,
          lan: () => (isWildcard(config.host) ? lanAddresses() : []),
          today: () => hub.results.leaderboard({ mode: 'all', period: 'today', minRounds: MIN_ROUNDS }, periodStart('today', Date.now())),
        };
  const http = createHttpFront(config, { assets, health, metrics, classView, results: config.sharedResults ?? hub.results }, (peer) => new TimedSession(new JsonPeer(hub, peer), hub.handling), (socket) => bySocket.get(socket)?.wire);

  // One interval for every deadline of every connection, rather than a timer per socket: with
  // 10,000 connections a sweep is a loop over plain fields, and the hot path sets no timers.
  const sweepMs = Math.max(5, Math.min(1000, Math.floor(Math.min(config.idleTimeoutMs, config.firstMessageTimeoutMs, config.writeTimeoutMs) / 4)));
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const connection of connections) connection.check(now);
  }, sweepMs);
  sweep.unref();
  const keepMs = config.keepResultsDays === undefined ? undefined : config.keepResultsDays * DAY_MS;
  const prune = (): void => {
    if (keepMs !== undefined) hub.pruneResults(Date.now() - keepMs);
  };
  prune();
  const pruning = keepMs === undefined ? undefined : setInterval(prune, HOUR_MS);
  pruning?.unref();

  const turnAway = (socket: Socket, error: ProtocolError): void => {
    config.log.warn({ peer: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`, code: error.code }, 'Connection refused');
    if (refused.size >= MAX_PENDING_REFUSALS) {
      socket.destroy();
      return;
    }
    refused.add(socket);
    socket.once('close', () => refused.delete(socket));
    refuse(socket, error, config.firstMessageTimeoutMs);
  };

  // One function for every connection's close, not a closure each. The socket keeps the address
  // it was asked for at accept, so it still knows it here.
  const closed = (connection: Connection): void => {
    connections.delete(connection);
    countPerDialect(guessesOfClosed, connection, 'guesses');
    countPerDialect(messagesOfClosed, connection, 'messages');
    const address = connection.wire.socket.remoteAddress ?? '?';
    const left = (perAddress.get(address) ?? 1) - 1;
    if (left === 0) perAddress.delete(address);
    else perAddress.set(address, left);
  };

  const handleSocket = (socket: Socket): void => {
    if (stopping) {
      socket.destroy();
      return;
    }
    const address = socket.remoteAddress ?? '?';
    const exempt = isLoopback(address) && !config.limitLoopback;
    if (connections.size >= config.maxConnections) {
      turnAway(socket, new ProtocolError('E_SERVER_FULL', `The server is full (${config.maxConnections} connections); try again in a minute`));
      return;
    }
    const fromAddress = perAddress.get(address) ?? 0;
    if (!exempt && fromAddress >= config.maxConnectionsPerIp) {
      turnAway(socket, new ProtocolError('E_TOO_MANY_CONNECTIONS', `Too many connections from ${address} (the limit is ${config.maxConnectionsPerIp}); close one and try again`));
      return;
    }
    perAddress.set(address, fromAddress + 1);
    const connection = new Connection(socket, config, exempt, http.handleSocket, hub, closed);
    connections.add(connection);
    bySocket.set(socket, connection);
  };

  const stopListening = (): Promise<void> =>
    new Promise((resolve) => {
      stopping = true;
      clearInterval(sweep);
      clearInterval(pruning);
      for (const socket of refused) socket.destroy();
      if (listener === undefined || !listener.listening) resolve();
      else listener.close(() => resolve());
    });

  return {
    config,
    handleSocket,
    get connections() {
      return connections.size;
    },
    async listen() {
      // A cluster's server opens its port once its registry has first answered (or failed to):
      // the first players would otherwise hear E_CLUSTER_UNAVAILABLE from a registry still connecting.
      await config.registry?.ready();
      return new Promise((resolve, reject) => {
        // Half-open: a peer that sends its last guess and shuts its side still gets the answer.
        const server = createServer({ noDelay: true, allowHalfOpen: true }, handleSocket);
        listener = server;
        server.once('error', reject);
        server.listen({ host: config.host, port: config.port, backlog: 4096 }, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    async shutdown() {
      const listening = stopListening();
      const open = [...connections];
      const closed = Promise.all(open.map((c) => new Promise((r) => (c.wire.socket.closed ? r(undefined) : c.wire.socket.once('close', r)))));
      spectators.close();
      http.shutdown();
      for (const connection of open) connection.shutdown();
      hub.relay?.shutdown();
      let deadline: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (deadline = setTimeout(() => resolve('late'), config.shutdownTimeoutMs)));
      const outcome = await Promise.race([closed, late]);
      clearTimeout(deadline);
      if (outcome === 'late') {
        config.log.warn({ left: connections.size }, 'Shutdown deadline passed; closing the remaining connections');
        for (const connection of connections) connection.wire.drop('shutdown');
      }
      // After the goodbyes: a seat held for a dropped player would otherwise keep a timer armed.
      hub.close();
      await listening;
    },
    async close() {
      const listening = stopListening();
      spectators.close();
      hub.close();
      for (const connection of connections) connection.wire.drop('shutdown');
      await listening;
    },
  };
}

/**
 * A WebSocket's session, its handling time counted as a TCP connection's is (see Connection). A
 * class rather than an object of closures: every open page keeps one.
 */
class TimedSession implements TextSession {
  readonly #session: TextSession;
  readonly #clock: HandlingClock;

  constructor(session: TextSession, clock: HandlingClock) {
    this.#session = session;
    this.#clock = clock;
  }

  receive(text: string): void {
    const started = this.#clock.begin();
    try {
      this.#session.receive(text);
    } finally {
      this.#clock.end(started);
    }
  }

  shutdown(): void {
    this.#session.shutdown();
  }

  close(): void {
    this.#session.close();
  }
}

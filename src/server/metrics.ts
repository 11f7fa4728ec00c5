import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { MODE_FILTERS } from '../core/leaderboard.js';

/**
 * What `/metrics` reads, at the moment it is scraped: every value is counted by the server as it
 * runs (plain fields, no metric library on the hot path) and read here only when asked.
 */
export interface MetricsSource {
  /** Each open connection's transport and dialect, once it has spoken. */
  connections(): Iterable<{ readonly transport: 'tcp' | 'websocket'; readonly dialect: string }>;
  /** Each open room's mode. */
  rooms(): Iterable<string>;
  /** Guesses accepted since start, by dialect. */
  guesses(): ReadonlyMap<string, number>;
  /** Messages read since start, by dialect. */
  messages(): ReadonlyMap<string, number>;
  /** With `--redis`: whether Redis answers. */
  readonly registry?: { readonly reachable: boolean } | undefined;
  /** With `--redis`: the messages carried between this server and the others (see Relay). */
  readonly relay?: { readonly stats: { readonly toOwners: number; readonly fromOwners: number; readonly roundTrips: number; readonly roundTripSeconds: number } } | undefined;
  /** With `--redis`: the rooms taken over from servers that died (see Takeover). */
  readonly takeover?: { readonly stats: { readonly takeovers: number; readonly rooms: number } } | undefined;
  readonly stats: { readonly commits: number; readonly commitNanos: number; readonly syncs: number; readonly syncNanos: number; readonly resumes: number; readonly handlingSeconds: number };
}

export interface Metrics {
  readonly contentType: string;
  text(): Promise<string>;
}

/**
 * The Prometheus text format for operators, with Node's process metrics (CPU, memory, event-loop
 * lag). Labels are transports, dialects and modes: never a room code, a name or a token.
 */
export function createMetrics(source: MetricsSource): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'guess_connections',
    help: 'Open connections, by transport and dialect (unknown: nothing said yet)',
    labelNames: ['transport', 'dialect'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { transport, dialect } of source.connections()) this.inc({ transport, dialect });
    },
  });
  new Gauge({
    name: 'guess_rooms',
    help: 'Open rooms, by mode',
    labelNames: ['mode'],
    registers: [registry],
    collect() {
      this.reset();
      // Every mode, at 0 when no room plays it: a series that vanishes reads as missing data.
      for (const mode of MODE_FILTERS) if (mode !== 'all') this.set({ mode }, 0);
      for (const mode of source.rooms()) this.inc({ mode });
    },
  });
  new Counter({
    name: 'guess_guesses_total',
    help: 'Guesses accepted since start, by dialect',
    labelNames: ['dialect'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [dialect, count] of source.guesses()) this.inc({ dialect }, count);
    },
  });
  new Counter({
    name: 'guess_messages_total',
    help: 'Messages read from clients since start, by dialect (a plain or classic line, a JSON object over TCP or WebSocket)',
    labelNames: ['dialect'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [dialect, count] of source.messages()) this.inc({ dialect }, count);
    },
  });
  const total = (name: string, help: string, read: () => number): void => {
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  };
  total('guess_store_commits_total', 'Commits of the store since start (one per event-loop turn that changed a room)', () => source.stats.commits);
  total('guess_store_commit_seconds_total', 'Time spent in those commits', () => source.stats.commitNanos / 1e9);
  total('guess_store_syncs_total', 'Flushes of the store to the disk since start', () => source.stats.syncs);
  total('guess_store_sync_seconds_total', 'Time those flushes took (off the event loop)', () => source.stats.syncNanos / 1e9);
  total('guess_message_handling_seconds_total', "Time spent handling clients' messages, from their bytes to the replies (divided by guess_messages_total: the time per message)", () => source.stats.handlingSeconds);
  total('guess_resumes_total', 'Players who took their seat back with their token since start', () => source.stats.resumes);
  const cluster = source.registry;
  if (cluster !== undefined) {
    new Gauge({
      name: 'guess_redis_up',
      help: 'Whether the Redis of the cluster (--redis) answers: 1, or 0 while new rooms are refused',
      registers: [registry],
      collect() {
        this.set(cluster.reachable ? 1 : 0);
      },
    });
  }
  const relay = source.relay;
  if (relay !== undefined) {
    new Counter({
      name: 'guess_relay_messages_total',
      help: "Messages carried between this server's connections and the servers holding their rooms: to_owner, or from_owner",
      labelNames: ['direction'],
      registers: [registry],
      collect() {
        this.reset();
        this.inc({ direction: 'to_owner' }, relay.stats.toOwners);
        this.inc({ direction: 'from_owner' }, relay.stats.fromOwners);
      },
    });
    total('guess_relay_round_trips_total', "Round trips of this server's connections to the servers holding their rooms (a message relayed, until the next reply)", () => relay.stats.roundTrips);
    total('guess_relay_round_trip_seconds_total', 'Time those round trips took: divided by their count, the relay latency a player sees', () => relay.stats.roundTripSeconds);
  }
  const takeover = source.takeover;
  if (takeover !== undefined) {
    total('guess_lease_takeovers_total', 'Servers whose lease lapsed (killed, paused, cut off) and whose rooms this server took over', () => takeover.stats.takeovers);
    total('guess_rooms_taken_over_total', 'Rooms those takeovers brought to this server', () => takeover.stats.rooms);
  }
  return { contentType: registry.contentType, text: () => registry.metrics() };
}

import type { Socket } from 'node:net';
import { detectDialect, type Dialect } from '../protocol/detect.js';
import { ProtocolError } from '../protocol/errors.js';
import { plainErrorLine } from '../protocol/plain.js';
import { ClassicSession } from './classic-session.js';
import type { ServerConfig } from './config.js';
import { contain, INTERNAL_ERROR } from './guard.js';
import type { Hub } from './hub.js';
import { JsonSession } from './json-session.js';
import { PlainSession } from './plain-session.js';
import { httpErrorText, refusalBytes } from './refusal.js';
import { closeWhenFlushed, Wire, type Session } from './wire.js';

const OWNER = Symbol('connection');
/** A socket that knows the connection serving it (see the constructor). */
type Owned = Socket & { [OWNER]?: Connection };

/** Takes over a socket that speaks HTTP, with the bytes detection already read from it. */
export type HttpHandoff = (socket: Socket, head: Buffer) => void;

/**
 * Serves one accepted socket: waits for the client's first bytes (the server never speaks
 * first), detects the dialect, then hands every byte to that dialect's session (or, for HTTP,
 * the socket itself to the HTTP server, whose own timeouts then apply). The server's
 * sweep calls `check` about once a second (more often with short test timeouts), so idle,
 * slowloris and stalled-reader deadlines cost no timer per connection or per message.
 */
export class Connection {
  readonly wire: Wire;
  readonly openedAt = Date.now();
  readonly #config: ServerConfig;
  readonly #firstMessageTimeoutMs: number;
  readonly #http: HttpHandoff;
  readonly #hub: Hub;
  #dialect: Dialect | undefined;
  #session: Session | undefined;
  #head: Buffer | undefined;
  #quiet: NodeJS.Timeout | undefined;
  #closingSince = 0;
  readonly #verbose: boolean;
  readonly #onClosed: (connection: Connection) => void;

  /**
   * An idle connection should cost little memory (10,000 of them are benchmarked, at about 5 KiB
   * each, most of it Node's socket): its socket listeners are functions shared by every
   * connection, which find theirs through a symbol on the socket, and `onClosed` is the server's
   * one function for all connections. Closures per connection would add a fifth to what is ours.
   */
  constructor(socket: Socket, config: ServerConfig, rateExempt: boolean, http: HttpHandoff, hub: Hub, onClosed: (connection: Connection) => void) {
    this.wire = new Wire(socket, config, rateExempt, hub);
    this.#config = config;
    // Loopback (unless --limit-loopback) gets the idle deadline for its first message too: a test
    // or benchmark may hold 10,000 silent connections open for longer than a slowloris deadline.
    this.#firstMessageTimeoutMs = rateExempt ? config.idleTimeoutMs : config.firstMessageTimeoutMs;
    this.#http = http;
    this.#hub = hub;
    this.#onClosed = onClosed;
    // Below info level (the benchmark runs at warn) a connection builds no log line at all.
    this.#verbose = config.log.isLevelEnabled?.('info') ?? true;
    if (this.#verbose) config.log.info({ peer: this.wire.peer }, `Connected by ${this.wire.peer}`);
    socket.setNoDelay(true);
    (socket as Owned)[OWNER] = this;
    socket.on('data', Connection.#onData);
    socket.on('end', Connection.#onEnd);
    socket.on('error', Connection.#onError);
    socket.on('close', Connection.#onClose);
  }

  /** What a spectator would see this connection speak; undefined for plain HTTP and before its first message. */
  get spoken(): string | undefined {
    if (this.#dialect === 'http') return this.wire.websocket ? 'WebSocket' : undefined;
    return this.#dialect;
  }

  static #onData(this: Owned, chunk: Buffer): void {
    const connection = this[OWNER];
    if (connection !== undefined) connection.#receive(chunk);
  }

  static #onEnd(this: Owned): void {
    const connection = this[OWNER];
    if (connection !== undefined) connection.#ended();
  }

  static #onError(this: Owned, error: NodeJS.ErrnoException): void {
    const connection = this[OWNER];
    if (connection !== undefined) connection.#failed(error);
  }

  static #onClose(this: Owned): void {
    const connection = this[OWNER];
    if (connection !== undefined) connection.#closed();
  }

  #failed(error: NodeJS.ErrnoException): void {
    if (this.#verbose) this.#config.log.debug({ peer: this.wire.peer, code: error.code }, `Connection error: ${error.message}`);
  }

  #closed(): void {
    clearTimeout(this.#quiet);
    try {
      this.#session?.close();
    } catch (error) {
      this.#fault(error);
    }
    if (this.#verbose) {
      this.#config.log.info(
        {
          peer: this.wire.peer,
          dialect: this.#dialect ?? 'none',
          guesses: this.wire.guesses,
          ms: Date.now() - this.openedAt,
          reason: this.wire.closing ?? 'peer',
        },
        'Disconnected',
      );
    }
    this.#onClosed(this);
  }

  /** Enforces the deadlines; `now` is the sweep's clock. */
  check(now: number): void {
    const wire = this.wire;
    const { writeTimeoutMs, idleTimeoutMs } = this.#config;
    const firstMessageTimeoutMs = this.#firstMessageTimeoutMs;
    if (wire.closing !== undefined) {
      // A goodbye the peer never reads (or a FIN it never answers) does not hold the socket.
      if (this.#closingSince === 0) this.#closingSince = now;
      else if (now - this.#closingSince > writeTimeoutMs) wire.socket.destroy();
      return;
    }
    if (wire.stalledSince !== 0 && now - wire.stalledSince > writeTimeoutMs) wire.drop('write-timeout');
    else if (!wire.settled && now - this.openedAt > firstMessageTimeoutMs) this.#guard(() => this.#firstMessageMissed(firstMessageTimeoutMs));
    else if (this.#dialect === 'http') return;
    else if (now - wire.lastActivity > idleTimeoutMs) {
      const error = new ProtocolError('E_IDLE_TIMEOUT', `Closed after ${duration(idleTimeoutMs)} of silence; connect again to play`);
      this.#guard(() => {
        if (this.#session === undefined) wire.drop('idle-timeout');
        else this.#session.fail(error, 'idle-timeout');
        this.#letGo();
      });
    }
  }

  /**
   * No whole first message by the deadline: the peer is told why in one line, then closed. Its
   * bytes so far prove no dialect but HTTP (a request head not yet whole gets a 408); anything
   * else (nothing at all, digits with no line ending yet) gets the plain `Error: …` line, which
   * `nc` shows and the chapter's client prints as it is. The server still never speaks first on a
   * connection it serves: this line is its last.
   */
  #firstMessageMissed(timeoutMs: number): void {
    const message = `Closed after ${duration(timeoutMs)} with no whole message (type a number, then Enter); connect again to play`;
    const goodbye = this.#dialect === 'http' ? httpErrorText('408 Request Timeout', message) : plainErrorLine(message);
    this.wire.sendAndClose(goodbye, 'first-message-timeout');
    this.#letGo();
  }

  /**
   * After a goodbye the socket closes as soon as it is flushed: the peer's FIN is not awaited (a
   * silent peer may never send one). What it still sends is read and dropped: bytes left unread at
   * the close would make the kernel reset the connection and drop the goodbye on its way. A peer
   * that does not read keeps the flush from finishing; `check` cuts it off after `writeTimeoutMs`.
   */
  #letGo(): void {
    this.wire.socket.resume();
    closeWhenFlushed(this.wire.socket);
  }

  /**
   * The server is going down: every guess that arrived is answered, then the goodbye, and the
   * socket closes as soon as that is flushed (the peer's FIN is not awaited). HTTP and WebSocket
   * peers get theirs from the HTTP front.
   */
  shutdown(): void {
    if (this.#dialect === 'http') return;
    this.#guard(() => {
      if (this.wire.closing !== undefined) return;
      if (this.#session === undefined && this.#head !== undefined) this.#start(detectDialect(this.#head) ?? 'classic');
      if (this.#session !== undefined) this.#session.shutdown();
      else {
        this.wire.closing = 'shutdown';
        this.wire.socket.end();
      }
    });
    // A JSON goodbye may wait for the store's commit (see Hub.post): the session ends the socket
    // once it has gone, and it closes when that is flushed.
    if (this.#session instanceof JsonSession && this.wire.closing === undefined) {
      this.wire.socket.resume();
      this.wire.socket.once('finish', () => this.wire.socket.destroy());
    } else this.#letGo();
  }

  // The hot path: every chunk a client sends. Its answers leave in one write (`hold`). try/catch
  // inline rather than #guard, which would cost a closure per chunk.
  #receive(chunk: Buffer): void {
    const wire = this.wire;
    wire.lastActivity = Date.now();
    if (wire.closing !== undefined) return;
    wire.traceIncoming(chunk);
    wire.read(chunk.length);
    wire.hold();
    // Per chunk, not per message, and one chunk in sixteen (see HandlingClock).
    const started = this.#hub.handling.begin();
    try {
      if (this.#session !== undefined) this.#session.receive(chunk);
      else this.#sniff(chunk);
    } catch (error) {
      this.#fault(error);
    }
    this.#hub.handling.end(started);
    wire.release();
  }

  /** The peer will send nothing more: answer what it sent, then close our side too. */
  #ended(): void {
    if (this.#dialect === 'http') return;
    this.#guard(() => {
      if (this.wire.closing !== undefined) return;
      if (this.#session === undefined && this.#head !== undefined) this.#start(detectDialect(this.#head) ?? 'classic');
      if (this.#session instanceof ClassicSession) this.#session.flush();
    });
    if (this.wire.closing !== undefined) return;
    this.wire.closing = 'done';
    this.wire.socket.end();
  }

  #sniff(chunk: Buffer): void {
    const head = this.#head === undefined ? chunk : Buffer.concat([this.#head, chunk]);
    this.#head = head;
    const detected = detectDialect(head);
    if (detected !== undefined) this.#start(detected);
    // More bytes than any message may hold, still no line ending: the plain session reports it.
    else if (head.length > this.#config.maxLineBytes) this.#start('plain');
    // Made only for a client that is quiet without a line ending (the chapter's), not per connection.
    else if (this.#quiet === undefined) this.#quiet = setTimeout(() => this.#onQuiet(), this.#config.classicQuietMs);
    else this.#quiet.refresh();
  }

  #onQuiet(): void {
    this.#guard(() => {
      if (this.#session === undefined && this.wire.closing === undefined) this.#start('classic');
    });
  }

  #start(chosen: Dialect): void {
    clearTimeout(this.#quiet);
    this.#dialect = chosen;
    if (chosen === 'http') {
      this.#handOver();
      return;
    }
    this.wire.settled = true;
    const session = createSession(chosen, this.wire, this.#config, this.#hub, (work) => this.#guard(work));
    this.#session = session;
    const first = this.#head;
    this.#head = undefined;
    if (first !== undefined) session.receive(first);
    if (session instanceof ClassicSession) session.flush();
  }

  /**
   * From here on the HTTP server reads the socket (a listener of ours on 'data' would stop its
   * parser from consuming the socket directly). This connection still counts it, closes it if
   * its first request head is not whole by the first-message deadline (the HTTP front reports
   * heads), and cuts it off at the shutdown deadline; keepAliveTimeout closes it when idle.
   */
  #handOver(): void {
    const socket = this.wire.socket;
    const head = this.#head ?? Buffer.alloc(0);
    this.#head = undefined;
    socket.off('data', Connection.#onData);
    socket.off('end', Connection.#onEnd);
    this.#http(socket, head);
  }

  /**
   * A bug met while serving one peer ends that peer's connection and nothing else: a
   * connection's state is its own, so the server keeps serving everyone else.
   */
  #guard(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.#fault(error);
    }
  }

  /**
   * The peer is told in its dialect (its session's, or, if the bug struck before there was one,
   * the one its first bytes spoke); a peer whose socket is already gone has nobody to tell.
   */
  #fault(error: unknown): void {
    const wire = this.wire;
    const session = this.#session;
    const head = this.#head;
    contain(
      this.#config.log,
      { peer: wire.peer },
      error,
      () => {
        if (wire.socket.destroyed) return;
        if (session !== undefined) session.fail(INTERNAL_ERROR, 'internal-error');
        else if (head !== undefined && this.#dialect !== undefined) wire.sendAndClose(refusalBytes(head, INTERNAL_ERROR).toString('utf8'), 'internal-error');
        else wire.drop('internal-error');
      },
      () => wire.drop('internal-error'),
    );
  }
}

function createSession(dialect: Exclude<Dialect, 'http'>, wire: Wire, config: ServerConfig, hub: Hub, guard: (work: () => void) => void): Session {
  switch (dialect) {
    case 'plain':
      return new PlainSession(wire, config, hub.record);
    case 'classic':
      return new ClassicSession(wire, config, guard, hub.record);
    case 'json':
      return new JsonSession(wire, config, hub);
  }
}

function duration(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

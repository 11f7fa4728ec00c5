import { setTimeout as delay } from 'node:timers/promises';
import type { PlayerId } from '../core/room-events.js';
import { ERRORS } from '../protocol/errors.js';
import { encodeServerMessage, errorMessage } from '../protocol/messages.js';
import type { Hub } from './hub.js';
import { JsonPeer, type TextOut } from './json-peer.js';
import type { RoomRegistry } from './registry.js';

/** How often a server checks that the servers whose players it serves are still alive. */
const WATCH_MS = 1_000;
/**
 * How long a `join` or `resume` whose room's server died waits for that server's lease to lapse
 * (5 s), and the room to come here or to another server: beyond, the player hears E_CLUSTER_UNAVAILABLE.
 */
const LOCATE_MS = 8_000;
const RELOOK_MS = 250;

/** A player handed from one server to another: what the receiving lobby needs to go on with it. */
export interface Adoption {
  readonly id: PlayerId;
  readonly name: string;
  /** The token itself, for the goodbye at shutdown (see JsonPeer), and its hash, which `resume` looks up. */
  readonly token: string;
  readonly hash: string;
  /** The number of the last event the player was sent: its events go on from there. */
  readonly seq: number;
}

/**
 * What one server sends another on the bus. `c` numbers a connection on the server it is
 * connected to (`from`); `open`, `in` and `gone` go from that server to the one serving the
 * player, `out` and `end` come back.
 */
type BusMessage =
  | { readonly t: 'open'; readonly from: string; readonly c: number; readonly adopt?: Adoption; readonly lines: readonly string[] }
  | { readonly t: 'in'; readonly from: string; readonly c: number; readonly line: string }
  | { readonly t: 'gone'; readonly from: string; readonly c: number }
  | { readonly t: 'out'; readonly c: number; readonly texts: readonly string[] }
  | { readonly t: 'end'; readonly c: number }
  | { readonly t: 'lost'; readonly c: number };

/** Where a connection's messages should go: the server holding a room, or the one serving a token's player. */
export type RelayTarget = { readonly room: string } | { readonly tokenHash: string };

/** What the connection's own peer does when its messages go elsewhere, or after all do not. */
export interface ForwardHooks {
  /** Hands the connection's player over (for a `join`); undefined when there is none to hand (a `resume`). */
  handOver(): Adoption | undefined;
  /**
   * No other server has it (or, `unreachable`, none can tell): the peer refuses the first
   * message, then reads `queued` itself.
   */
  miss(queued: readonly string[], unreachable: boolean): void;
  /** This server has it now (it took over the rooms of the server that had it): the peer reads the first message and `queued` again, itself. */
  here(queued: readonly string[]): void;
  /** The player handed over (handOver) did not go after all: the peer has it again. */
  takeBack(adoption: Adoption): void;
}

/**
 * Carries JSON connections between the servers of a cluster. A player connected to one server
 * (the edge) whose room is held by another (the owner) has every message relayed, in order, to
 * the owner, which plays it through a JsonPeer of its own as if the player were connected there,
 * and sends the replies and events back, in order. The owner stays the one authority over its
 * rooms; the edge only carries text.
 */
export class Relay {
  readonly #hub: Hub;
  readonly #registry: RoomRegistry;
  readonly #server: string;
  /** Connections of this server whose messages go to another. */
  readonly #forwards = new Map<number, Forward>();
  #lastConnection = 0;
  /** Players connected to other servers and served here, by `from/c`. */
  readonly #remotes = new Map<string, { peer: JsonPeer; out: RelayOut }>();
  /**
   * For operators (`/metrics`): messages carried each way, and the round trips of this server's
   * connections to the servers holding their rooms (a message sent, until the next reply).
   */
  readonly stats = { toOwners: 0, fromOwners: 0, roundTrips: 0, roundTripSeconds: 0 };

  readonly #watch: NodeJS.Timeout;

  constructor(hub: Hub, registry: RoomRegistry, server: string) {
    this.#hub = hub;
    this.#registry = registry;
    this.#server = server;
    registry.onMessage = (message) => this.#receive(message);
    this.#watch = setInterval(() => void this.#dropOrphans(), WATCH_MS);
    this.#watch.unref();
  }

  /**
   * A server that died cannot say so: once its lease has lapsed, the players it carried here are
   * disconnected (their seats wait for `resume` as any do), and this server's connections whose
   * rooms it held hear that it cannot be reached, even if they send nothing.
   */
  async #dropOrphans(): Promise<void> {
    // Just after an outage of Redis every lease may have lapsed: the living renew theirs first.
    const up = this.#registry.upSince;
    if (up === undefined || Date.now() - up < this.#registry.leaseMs) return;
    const servers = new Set<string>();
    for (const key of this.#remotes.keys()) servers.add(key.slice(0, key.lastIndexOf('/')));
    for (const forward of this.#forwards.values()) if (forward.owner !== undefined) servers.add(forward.owner);
    for (const server of servers) {
      // Not known while Redis does not answer: nothing is dropped on a guess.
      if ((await this.#registry.alive(server)) !== false) continue;
      for (const [key, { peer }] of this.#remotes) {
        if (!key.startsWith(`${server}/`)) continue;
        this.#remotes.delete(key);
        peer.close();
      }
      for (const forward of [...this.#forwards.values()]) if (forward.owner === server) forward.lost();
    }
  }

  get server(): string {
    return this.#server;
  }

  /**
   * Looks up who has `target`; if another server does, the connection's messages go there from
   * now on, `first` the first of them, and whatever arrives while the lookup runs after it.
   */
  forward(out: TextOut, target: RelayTarget, first: string, hooks: ForwardHooks): Forward {
    const forward = new Forward(this, ++this.#lastConnection, out);
    this.#forwards.set(forward.connection, forward);
    this.#open(forward, { target, lines: [first], adopt: undefined, hooks });
    return forward;
  }

  /**
   * Finds who has the opening's target and sends it the connection's lines so far; an opening
   * whose server died before it answered comes back here (see Forward.lost), and goes to whoever
   * has the room now: that server never read them.
   */
  #open(forward: Forward, opening: Opening): void {
    const { target, hooks } = opening;
    // No other server has it, or (unreachable) Redis cannot say: the peer answers for itself.
    const miss = (unreachable: boolean): void => {
      this.#forwards.delete(forward.connection);
      if (forward.closed) return;
      if (opening.adopt !== undefined) hooks.takeBack(opening.adopt);
      hooks.miss([...opening.lines.slice(1), ...forward.start(undefined)], unreachable);
    };
    this.#locate(target).then((server) => {
      if (server === this.#server) {
        this.#forwards.delete(forward.connection);
        if (forward.closed) return;
        if (opening.adopt !== undefined) hooks.takeBack(opening.adopt);
        hooks.here([...opening.lines.slice(1), ...forward.start(undefined)]);
        return;
      }
      const adopt = server === undefined || forward.closed ? undefined : (opening.adopt ?? hooks.handOver());
      if (server === undefined || forward.closed || ('room' in target && adopt === undefined)) {
        miss(false);
        return;
      }
      const lines = [...opening.lines, ...forward.start(server)];
      forward.opening = { target, lines, adopt, hooks };
      this.stats.toOwners += lines.length;
      forward.sent();
      this.send(server, { t: 'open', from: this.#server, c: forward.connection, ...(adopt === undefined ? {} : { adopt }), lines });
    }, () => miss(true));
  }

  /** The server an opening went to died before it answered: the opening goes again (see #open). */
  reopen(forward: Forward, opening: Opening): void {
    forward.requeue();
    this.#open(forward, opening);
  }

  /**
   * The server that has `target` and listens, or this one once it has taken over the rooms of a
   * server that died with it; undefined for none. Rejects when Redis does not answer, or when a
   * dead server's rooms have not come anywhere within LOCATE_MS.
   */
  async #locate(target: RelayTarget): Promise<string | undefined> {
    const deadline = Date.now() + LOCATE_MS;
    const takeover = this.#hub.takeover;
    for (;;) {
      const owner = 'room' in target ? await this.#registry.roomOwner(target.room) : await this.#registry.tokenOwner(target.tokenHash);
      if (owner === undefined) return undefined;
      if (owner.server === this.#server) {
        // Claimed here a moment ago, perhaps: its rooms are here once the claim is done.
        await takeover?.settled();
        return this.#server;
      }
      if (owner.alive) {
        // Killed a moment ago, a server still has its lease, but no longer listens.
        if (await this.#registry.listening(owner.server)) return owner.server;
      } else if (takeover !== undefined && (await takeover.takeWhenDead(owner.server, deadline)) === 'taken') {
        return this.#server;
      }
      if (takeover === undefined || Date.now() >= deadline) throw new Error(`server ${owner.server} does not answer`);
      await delay(RELOOK_MS);
    }
  }

  /** Sends; a server that cannot be reached ends the connections that depend on it here. */
  send(to: string, message: BusMessage): void {
    this.#registry.send(to, JSON.stringify(message)).catch(() => {
      if (message.t === 'open' || message.t === 'in') this.#forwards.get(message.c)?.lost();
      else if (message.t === 'out' || message.t === 'end') {
        // The player missed what was lost: once the bus carries its next message, it hears so (see 'in').
        const key = `${to}/${message.c}`;
        this.#remotes.get(key)?.peer.close();
        this.#remotes.delete(key);
      }
    });
  }

  /** The server is stopping: the players it serves for other servers get their goodbye, as its own do. */
  shutdown(): void {
    clearInterval(this.#watch);
    for (const { peer } of this.#remotes.values()) peer.shutdown();
  }

  /** Done with a connection of this server (it closed). */
  drop(connection: number): void {
    this.#forwards.delete(connection);
  }

  /** Done with a player served for another server. */
  forget(key: string): void {
    this.#remotes.delete(key);
  }

  get hub(): Hub {
    return this.#hub;
  }

  #receive(text: string): void {
    let message: BusMessage;
    try {
      message = JSON.parse(text) as BusMessage;
    } catch {
      return;
    }
    switch (message.t) {
      case 'open': {
        const key = `${message.from}/${message.c}`;
        const out = new RelayOut(this, message.from, message.c, key);
        const peer = new JsonPeer(this.#hub, out);
        this.#remotes.set(key, { peer, out });
        if (message.adopt !== undefined) peer.adopt(message.adopt);
        for (const line of message.lines) peer.receive(line);
        return;
      }
      case 'in': {
        const remote = this.#remotes.get(`${message.from}/${message.c}`);
        // Dropped here (its server's lease lapsed, or the bus lost what was sent to it): its
        // connection ends, and the client resumes, with the events it missed.
        if (remote === undefined) this.send(message.from, { t: 'lost', c: message.c });
        else remote.peer.receive(message.line);
        return;
      }
      case 'gone': {
        const key = `${message.from}/${message.c}`;
        this.#remotes.get(key)?.peer.close();
        this.#remotes.delete(key);
        return;
      }
      case 'out': {
        const forward = this.#forwards.get(message.c);
        if (forward === undefined) return;
        // Answered: from now on what it sent has been read there, and cannot be sent again elsewhere.
        forward.opening = undefined;
        this.stats.fromOwners += message.texts.length;
        const waited = forward.answered();
        if (waited !== undefined) {
          this.stats.roundTrips++;
          this.stats.roundTripSeconds += waited;
        }
        // Posted, as this server's own replies are: they keep their order with any still held.
        for (const text of message.texts) this.#hub.post(forward.out, text);
        return;
      }
      case 'lost':
        this.#forwards.get(message.c)?.lost();
        return;
      case 'end': {
        const forward = this.#forwards.get(message.c);
        if (forward === undefined) return;
        this.#forwards.delete(message.c);
        this.#hub.post(forward.out, null);
      }
    }
  }
}

/** What a connection sent another server before that server answered, and where it was looking: sent again if that server dies. */
interface Opening {
  readonly target: RelayTarget;
  readonly lines: readonly string[];
  readonly adopt: Adoption | undefined;
  readonly hooks: ForwardHooks;
}

/** One connection of this server whose messages go to another server (see Relay.forward). */
export class Forward {
  readonly #relay: Relay;
  readonly connection: number;
  readonly out: TextOut;
  #owner: string | undefined;
  /** Until the server it went to answers: what to send again should that server die first. */
  opening: Opening | undefined;
  /** Messages that arrived while the lookup ran. */
  #queued: string[] | undefined = [];
  closed = false;
  /** When the oldest message not answered yet left (performance.now()). */
  #since: number | undefined;

  constructor(relay: Relay, connection: number, out: TextOut) {
    this.#relay = relay;
    this.connection = connection;
    this.out = out;
  }

  /** The server its messages go to, once the lookup has found it. */
  get owner(): string | undefined {
    return this.#owner;
  }

  /** The server it went to died unanswered: messages wait again while the next lookup runs. */
  requeue(): void {
    this.#queued = [];
    this.#owner = undefined;
  }

  /** The lookup is done: from now on messages go to `owner` (none: back to the peer). Returns those that waited. */
  start(owner: string | undefined): string[] {
    const queued = this.#queued ?? [];
    this.#queued = undefined;
    this.#owner = owner;
    return queued;
  }

  send(line: string): void {
    if (this.#queued !== undefined) this.#queued.push(line);
    else if (this.#owner !== undefined) {
      this.#relay.stats.toOwners++;
      this.sent();
      this.#relay.send(this.#owner, { t: 'in', from: this.#relay.server, c: this.connection, line });
    }
  }

  /** A message left for the owner: the round trip starts, unless one is under way. */
  sent(): void {
    this.#since ??= performance.now();
  }

  /** A reply came: the round trip's seconds, if one was under way. */
  answered(): number | undefined {
    const since = this.#since;
    this.#since = undefined;
    return since === undefined ? undefined : (performance.now() - since) / 1000;
  }

  /** The connection closed. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.#relay.drop(this.connection);
    if (this.#owner !== undefined) this.#relay.send(this.#owner, { t: 'gone', from: this.#relay.server, c: this.connection });
  }

  /** The owner cannot be reached: the player hears it and the connection ends (its seat there waits for `resume`). */
  lost(): void {
    if (this.closed) return;
    const opening = this.opening;
    if (opening !== undefined) {
      this.opening = undefined;
      this.#relay.reopen(this, opening);
      return;
    }
    this.closed = true;
    this.#relay.drop(this.connection);
    const hub = this.#relay.hub;
    hub.post(this.out, encodeServerMessage(errorMessage('E_CLUSTER_UNAVAILABLE', ERRORS.E_CLUSTER_UNAVAILABLE)));
    hub.post(this.out, null);
  }
}

/** A player served here for another server: what the hub sends it goes back on the bus. */
class RelayOut implements TextOut {
  readonly #relay: Relay;
  readonly #to: string;
  readonly #connection: number;
  readonly #key: string;
  #held: string[] | undefined;

  constructor(relay: Relay, to: string, connection: number, key: string) {
    this.#relay = relay;
    this.#to = to;
    this.#connection = connection;
    this.#key = key;
  }

  send(text: string): void {
    if (this.#held !== undefined) this.#held.push(text);
    else this.#relay.send(this.#to, { t: 'out', c: this.#connection, texts: [text] });
  }

  hold(): void {
    this.#held ??= [];
  }

  release(): void {
    const held = this.#held;
    this.#held = undefined;
    if (held !== undefined && held.length > 0) this.#relay.send(this.#to, { t: 'out', c: this.#connection, texts: held });
  }

  end(): void {
    this.release();
    this.#relay.forget(this.#key);
    this.#relay.send(this.#to, { t: 'end', c: this.#connection });
  }
}

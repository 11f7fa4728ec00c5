import { setTimeout as delay } from 'node:timers/promises';
import type { Hub } from './hub.js';
import type { RoomRegistry } from './registry.js';
import type { SharedStore } from './store.js';

/** How often a server looks for servers whose lease lapsed, and asks again while a dying one's lease runs. */
const SCAN_MS = 1_000;
const RETRY_MS = 250;

export type TakeoverOutcome = 'taken' | 'alive' | 'held' | 'gone';

/**
 * Takes over the rooms of servers that died. Every second this server looks for worlds whose
 * server's lease has lapsed and that no live server has taken (a server killed, or paused, or cut
 * off from Redis for longer than its lease); the store's claim is one step of Redis, so exactly
 * one server gets each, and the epoch it bumps fences the old owner out. A `resume` or `join` that
 * finds its room's server dead takes it over at once rather than waiting for the next look.
 */
export class Takeover {
  readonly #hub: Hub;
  readonly #store: SharedStore;
  readonly #registry: RoomRegistry;
  readonly #claims = new Map<string, Promise<TakeoverOutcome>>();
  readonly #timer: NodeJS.Timeout;
  #scanning = false;
  /** For operators (`/metrics`): worlds taken over, and the rooms they held. */
  readonly stats = { takeovers: 0, rooms: 0 };

  constructor(hub: Hub, store: SharedStore, registry: RoomRegistry) {
    this.#hub = hub;
    this.#store = store;
    this.#registry = registry;
    this.#timer = setInterval(() => void this.#scan(), SCAN_MS);
    this.#timer.unref();
  }

  async #scan(): Promise<void> {
    if (this.#scanning) return;
    this.#scanning = true;
    try {
      for (const world of await this.#store.deadWorlds()) await this.take(world);
    } catch {
      // Redis does not answer: the registry says so; the next look tries again.
    } finally {
      this.#scanning = false;
    }
  }

  /** Takes `world` over if it is there for the taking; asks under way at once share one claim. Rejects when Redis does not answer. */
  take(world: string): Promise<TakeoverOutcome> {
    // Just after an outage of Redis every lease may have lapsed, the living servers' too: they
    // get a lease's time to renew theirs before any of their rooms counts as dead.
    const up = this.#registry.upSince;
    if (up === undefined || Date.now() - up < this.#registry.leaseMs) return Promise.resolve('alive');
    let claim = this.#claims.get(world);
    if (claim === undefined) {
      claim = this.#claim(world).finally(() => this.#claims.delete(world));
      this.#claims.set(world, claim);
    }
    return claim;
  }

  async #claim(world: string): Promise<TakeoverOutcome> {
    const taken = await this.#store.claim(world);
    if (typeof taken === 'string') return taken;
    // In the claim's own continuation: nothing else runs between the claim and the rooms' arrival.
    this.stats.rooms += this.#hub.adoptWorld(world, taken);
    this.stats.takeovers++;
    return 'taken';
  }

  /**
   * Takes `world` over once its server's lease lapses (a server killed a moment ago still has
   * one): 'alive' if it has not lapsed by `deadline`.
   */
  async takeWhenDead(world: string, deadline: number): Promise<TakeoverOutcome> {
    for (;;) {
      const outcome = await this.take(world);
      if (outcome !== 'alive' || Date.now() >= deadline) return outcome;
      await delay(RETRY_MS);
    }
  }

  /** Resolves once the claims under way are done: a lookup that finds this server waits for its rooms. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#claims.values()]);
  }

  close(): void {
    clearInterval(this.#timer);
  }
}

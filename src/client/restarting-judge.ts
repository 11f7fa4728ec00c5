import { setTimeout as delay } from 'node:timers/promises';
import type { Outcome, Range } from '../core/game.js';
import { reconnectPauseMs, retryWindowMs } from '../protocol/reconnect.js';
import { ClientError } from './errors.js';
import { RemoteJudge, type RemoteOptions } from './remote-judge.js';
import { seconds } from './room-link.js';
import type { Judge } from './terminal-game.js';

export interface RestartEvents {
  /** The server said goodbye; the judge tries to get back for up to `windowMs`. */
  restarting(goodbye: string, windowMs: number): void;
  /** A server answers again: a new game, whose range is `range` when the server told it. */
  back(range: Range | undefined): void;
}

/**
 * The plain dialect's judge, across a server restart. A plain game holds no seat and no token,
 * so nothing can be resumed: after the server's goodbye it connects again by itself with the room
 * clients' pauses (src/protocol/reconnect.ts), for as long as after a drop with no goodbye, since
 * the plain goodbye names no wait (60 s: a restart that runs past the JSON clients' window still
 * finds the player there). It asks the range again, and the game starts afresh there. A guess
 * that was on its way when the server went is sent again to the new server, as the first of the
 * new game.
 */
export class RestartingJudge implements Judge {
  readonly #options: RemoteOptions;
  readonly #events: RestartEvents;
  readonly #random: () => number;
  #judge: RemoteJudge;
  #game = 1;
  #reconnecting: Promise<RemoteJudge> | undefined;
  readonly #stop = new AbortController();
  #onGone: ((error: ClientError) => void) | undefined;

  private constructor(judge: RemoteJudge, options: RemoteOptions, events: RestartEvents, random: () => number) {
    this.#judge = judge;
    this.#options = options;
    this.#events = events;
    this.#random = random;
    this.#watch(judge);
  }

  static async open(options: RemoteOptions, events: RestartEvents, random: () => number = Math.random): Promise<RestartingJudge> {
    return new RestartingJudge(await RemoteJudge.open(options), options, events, random);
  }

  get range(): Range | undefined {
    return this.#judge.range;
  }

  /** Counts the servers played against: a new number means the game before was lost to a restart. */
  get game(): number {
    return this.#game;
  }

  async guess(value: number, typed: string): Promise<Outcome['kind']> {
    for (;;) {
      const judge = this.#reconnecting === undefined ? this.#judge : await this.#reconnecting;
      try {
        return await judge.guess(value, typed);
      } catch (error) {
        // The goodbye came first: the reconnection has started; the guess goes to the next server.
        if (!(error instanceof ClientError) || error.code !== 'E_SHUTDOWN') throw error;
      }
    }
  }

  /** Called once if the game cannot go on: the server failed, or did not come back in time. */
  onGone(listener: (error: ClientError) => void): void {
    this.#onGone = listener;
  }

  close(): void {
    this.#stop.abort();
    this.#judge.close();
  }

  #watch(judge: RemoteJudge): void {
    judge.onGone((error) => {
      if (error.code !== 'E_SHUTDOWN') {
        this.#onGone?.(error);
        return;
      }
      const reconnecting = this.#reconnect(error.message);
      this.#reconnecting = reconnecting;
      reconnecting.then(
        (next) => {
          if (this.#stop.signal.aborted) {
            next.close();
            return;
          }
          this.#judge = next;
          this.#reconnecting = undefined;
          this.#game++;
          this.#watch(next);
          this.#events.back(next.range);
        },
        (failure: unknown) => {
          if (failure instanceof ClientError) this.#onGone?.(failure);
        },
      );
    });
  }

  async #reconnect(goodbye: string): Promise<RemoteJudge> {
    const droppedAt = Date.now();
    // The plain goodbye names no wait: the window of a JSON goodbye that names none.
    const windowMs = retryWindowMs(undefined);
    this.#events.restarting(goodbye, windowMs);
    for (let attempt = 1; ; attempt++) {
      const pause = reconnectPauseMs(attempt, Date.now() - droppedAt, windowMs, this.#random);
      if (pause === undefined) throw new ClientError('E_SERVER_GONE', `could not get back to the server within ${seconds(windowMs)}; giving up`);
      await delay(pause, undefined, { signal: this.#stop.signal });
      try {
        return await RemoteJudge.open(this.#options);
      } catch {
        // Not back yet (refused, or closed again while starting): the policy goes on.
      }
    }
  }
}

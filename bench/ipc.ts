import type { ConnectReport, LoadOptions } from './load.js';

/** Messages from the bench runner to a generator process. */
export type Command =
  | { readonly cmd: 'connect'; readonly options: LoadOptions }
  | { readonly cmd: 'start' }
  | { readonly cmd: 'mark' }
  /** The current window's stats; the bots play on. */
  | { readonly cmd: 'read' }
  | { readonly cmd: 'stop' };

/** A generator's stats, made serialisable: the histogram travels as its non-zero buckets. */
export interface WireStats {
  readonly connected: number;
  readonly served: number;
  readonly replies: number;
  readonly windowMs: number;
  readonly rtt: Array<[number, number]>;
  readonly errors: number;
  readonly errorSamples: readonly string[];
}

/** Messages from a generator process back to the runner. */
export type Event =
  | { readonly evt: 'connected'; readonly report: ConnectReport }
  | { readonly evt: 'ack' }
  | { readonly evt: 'stats'; readonly stats: WireStats }
  | { readonly evt: 'failed'; readonly message: string };

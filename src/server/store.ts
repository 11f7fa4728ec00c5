import type { Leaderboard, LeaderboardQuery, ResultFilter } from '../core/leaderboard.js';
import type { RoundResult } from '../core/results.js';

/**
 * What the server keeps outside its process, so that a restart (or a crash) loses nothing that
 * was acknowledged. The server owns this seam; adapters live in src/store/ (SQLite here, a
 * shared store for several servers later). Every call between `begin` and `commit` belongs to one
 * transaction: the hub opens one per event-loop turn that changed something, and replies only
 * once the store has reported the commit done (acknowledged means durable), and with fsync
 * 'commit' once `sync` has reported it on disk.
 *
 * A room is kept as its whole record plus the journal: the guesses made in it since that record
 * was written, replayed through the rules at start. A guess adds a few bytes to its turn's one
 * journal row instead of rewriting its room; records are brought up to date now and then.
 */
export interface Store {
  /** Where the games are kept, as printed at start; ':memory:' when nothing outlives the process. */
  readonly location: string;
  /** Everything kept, read once at start, before any `begin`. */
  load(): StoredWorld;
  /** Opens the turn's transaction; a no-op when one is open. */
  begin(): void;
  /**
   * The room's whole record (JSON text), replacing what was kept for its code; it holds every
   * journal entry up to `applied`.
   */
  putRoom(code: string, record: string, savedAt: number, applied: number): void;
  deleteRoom(code: string): void;
  /** One turn's journal entries; returns the row's id, larger than any a row or a kept room holds. */
  appendJournal(body: string): number;
  /** Drops the journal rows up to `id` (every room holds them now). */
  dropJournal(id: number): void;
  /**
   * Events sent (or to be sent) to a player: `body` is the text of each message, one per line, in
   * order, in the short form of src/protocol/kept-events.ts; `seq` is the last one's number.
   */
  appendEvents(player: string, seq: number, body: string): void;
  /** The bodies of the player's kept rows holding an event numbered above `seq`, oldest first. */
  eventsAfter(player: string, seq: number): string[];
  /** Drops the player's rows whose events are all numbered `seq` or below (past the replay window). */
  pruneEvents(player: string, seq: number): void;
  /** Drops every event of a player who is gone for good. */
  forgetPlayer(player: string): void;
  /** Drops the events of every player not listed: at start, what belongs to no kept room. */
  retainEvents(players: readonly string[]): void;
  setMeta(key: string, value: string): void;
  /**
   * This turn has written nothing yet that needs a transaction: only journal rows, which the
   * store appends beside it (see SideJournal). Writes that can wait, such as results, wait then.
   */
  readonly journalOnly: boolean;
  /** A finished round, kept for the leaderboard and the statistics (in the turn's transaction, as the rest). */
  appendResult(result: RoundResult): void;
  /** The leaderboard over the rounds kept that ended at `since` or later (undefined: all of them). */
  leaderboard(query: LeaderboardQuery, since: number | undefined): Leaderboard;
  /** The rounds kept, oldest first. */
  results(filter: ResultFilter): RoundResult[];
  /** Deletes the rounds that ended before `before` (retention). */
  pruneResults(before: number): void;
  /**
   * Ends the turn's transaction and calls `done` once it is committed: its writes survive the
   * process from then on (a crash, SIGKILL), and a power loss once `sync` has said so. A store
   * that commits on the event loop calls it at once; one that commits elsewhere (a server across
   * the network) later, in the order of the commits. `done` gets the error if it could not commit
   * (nothing of it may be acknowledged), and the time the commit took.
   */
  commit(done: (error: Error | undefined, nanos: number) => void): void;
  /**
   * Calls `done` once every commit so far is on disk: straight away where nothing is kept, else
   * after an fsync that runs off the event loop, so the server goes on serving while it waits.
   * `done` gets the error if the disk failed (nothing since the last sync may be acknowledged).
   */
  sync(done: (error: Error | undefined) => void): void;
  /** Waits here until every commit asked for so far is done and on disk: for a server that is starting or stopping. */
  syncNow(): void;
  /** Commits anything open and releases the file. */
  close(): void;
}

export interface StoredRoom {
  readonly code: string;
  readonly record: string;
  /** Date.now() when the record was written: deadlines are restored relative to it. */
  readonly savedAt: number;
  /** The last journal row the record holds: later rows' entries for this room are replayed. */
  readonly applied: number;
}

export interface StoredWorld {
  readonly rooms: readonly StoredRoom[];
  readonly meta: ReadonlyMap<string, string>;
  /** The journal, oldest first. */
  readonly journal: readonly { readonly id: number; readonly body: string }[];
  /** The largest journal id a row or a kept room holds (0 for none): new rows get larger ones. */
  readonly lastJournal: number;
}

/** What a server takes over from another: that server's kept world, with its players' kept events. */
export interface TakenWorld extends StoredWorld {
  readonly events: readonly { readonly player: string; readonly seq: number; readonly body: string }[];
}

/**
 * A store that the servers of a cluster share (`--redis`): each server keeps its rooms in a world
 * of its own, and once a server's lease lapses another one takes its world over, rooms, journal
 * and events, and goes on with them. Commits are fenced: a server whose world was taken (it was
 * paused, or cut off, past its lease) can no longer write, and learns so at its next commit.
 */
export interface SharedStore extends Store {
  /** This server's id in the cluster, which names its world. */
  readonly server: string;
  /** The worlds whose server's lease has lapsed and that no live server has taken. Rejects when the store does not answer. */
  deadWorlds(): Promise<string[]>;
  /**
   * Makes `world` this server's, in one step of the store (two servers never both get it): its
   * contents; 'alive' while its server's lease lives, 'held' when another live server took it,
   * 'gone' when there is none. Rejects when the store does not answer.
   */
  claim(world: string): Promise<TakenWorld | 'alive' | 'held' | 'gone'>;
  /** In the turn's transaction: the world taken is deleted, its rooms now written in this server's. */
  dropWorld(world: string): void;
  /**
   * Resolves once everything committed so far is in the shared store, the commits reported done
   * from memory while it did not answer included (or once it is known it never will be): a
   * stopping server waits for it before it ends its lease.
   */
  settled(): Promise<void>;
}

export function isShared(store: Store): store is SharedStore {
  return 'claim' in store;
}

import { matches, rankLeaderboard, tallyResults, type Leaderboard, type LeaderboardQuery, type ResultFilter } from '../core/leaderboard.js';
import type { RoundResult } from '../core/results.js';
import type { Store, StoredRoom, StoredWorld } from './store.js';

/** Rounds a store in memory keeps at most, the latest. */
export const MEMORY_RESULTS = 10_000;

/**
 * The store of a server that keeps nothing past its process (tests, embedding): the same
 * contract as a file, held in memory, so `resume` replays the same way whatever is configured.
 */
export class MemoryStore implements Store {
  readonly location = ':memory:';
  /** Nothing here costs more in a transaction: results are kept at once. */
  readonly journalOnly = false;
  readonly #rooms = new Map<string, StoredRoom>();
  readonly #events = new Map<string, { seq: number; body: string }[]>();
  readonly #meta = new Map<string, string>();
  readonly #journal: { id: number; body: string }[] = [];
  #lastJournal = 0;
  /** The rounds kept are those from #first on: dropping the oldest is a step of #first, not a copy of them all. */
  #results: RoundResult[] = [];
  #first = 0;

  load(): StoredWorld {
    return { rooms: [...this.#rooms.values()], meta: new Map(this.#meta), journal: [...this.#journal], lastJournal: this.#lastJournal };
  }

  begin(): void {}

  putRoom(code: string, record: string, savedAt: number, applied: number): void {
    this.#rooms.set(code, { code, record, savedAt, applied });
  }

  deleteRoom(code: string): void {
    this.#rooms.delete(code);
  }

  appendJournal(body: string): number {
    this.#journal.push({ id: ++this.#lastJournal, body });
    return this.#lastJournal;
  }

  dropJournal(id: number): void {
    const keep = this.#journal.findIndex((row) => row.id > id);
    this.#journal.splice(0, keep === -1 ? this.#journal.length : keep);
  }

  appendEvents(player: string, seq: number, body: string): void {
    let events = this.#events.get(player);
    if (events === undefined) this.#events.set(player, (events = []));
    events.push({ seq, body });
  }

  eventsAfter(player: string, seq: number): string[] {
    return (this.#events.get(player) ?? []).filter((e) => e.seq > seq).map((e) => e.body);
  }

  pruneEvents(player: string, seq: number): void {
    const events = this.#events.get(player);
    if (events === undefined) return;
    const keep = events.findIndex((e) => e.seq > seq);
    events.splice(0, keep === -1 ? events.length : keep);
  }

  forgetPlayer(player: string): void {
    this.#events.delete(player);
  }

  retainEvents(players: readonly string[]): void {
    const kept = new Set(players);
    for (const player of this.#events.keys()) if (!kept.has(player)) this.#events.delete(player);
  }

  /** Every player's kept events, oldest first: for a store that keeps a copy of this one elsewhere. */
  get keptEvents(): ReadonlyMap<string, readonly { readonly seq: number; readonly body: string }[]> {
    return this.#events;
  }

  setMeta(key: string, value: string): void {
    this.#meta.set(key, value);
  }

  appendResult(result: RoundResult): void {
    // A server that keeps nothing may still run for months: its memory holds the latest rounds only.
    this.#results.push(result);
    if (this.#results.length - this.#first > MEMORY_RESULTS) this.#first++;
    // Now and then the dropped ones are let go, in one copy for MEMORY_RESULTS rounds.
    if (this.#first >= MEMORY_RESULTS) {
      this.#results = this.#results.slice(this.#first);
      this.#first = 0;
    }
  }

  leaderboard(query: LeaderboardQuery, since: number | undefined): Leaderboard {
    return rankLeaderboard(tallyResults(this.#kept(), { mode: query.mode, since }), query);
  }

  results(filter: ResultFilter): RoundResult[] {
    return this.#kept().filter((r) => matches(r, filter));
  }

  pruneResults(before: number): void {
    this.#results = this.#kept().filter((r) => r.endedAt >= before);
    this.#first = 0;
  }

  #kept(): RoundResult[] {
    return this.#first === 0 ? this.#results : this.#results.slice(this.#first);
  }

  commit(done: (error: Error | undefined, nanos: number) => void): void {
    done(undefined, 0);
  }

  sync(done: (error: Error | undefined) => void): void {
    done(undefined);
  }

  syncNow(): void {}

  close(): void {}
}

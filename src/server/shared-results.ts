import type { Leaderboard, LeaderboardQuery, ResultFilter } from '../core/leaderboard.js';
import type { RoundResult } from '../core/results.js';

/**
 * Finished rounds kept where every server of a cluster reads them (`guess serve --redis`), so
 * that each shows the same leaderboard. Owned by the server layer, like the store, which still
 * keeps each server's own rounds in its own file (for `guess stats`).
 */
export interface SharedResults {
  /** A finished round of this server; sent in the background, and again while the cluster does not answer. */
  append(result: RoundResult): void;
  /** Every server's rounds that ended at `since` or later (undefined: all of them). Rejects while the cluster does not answer. */
  leaderboard(query: LeaderboardQuery, since: number | undefined): Promise<Leaderboard>;
  results(filter: ResultFilter): Promise<RoundResult[]>;
  /** Retention: deletes the rounds that ended before `before`. */
  prune(before: number): void;
  close(): Promise<void>;
}

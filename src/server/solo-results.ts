import type { Outcome, SoloGame } from '../core/game.js';
import { soloResult, type Dialect, type RoundResult } from '../core/results.js';

/**
 * Hands each game a plain or classic connection finishes to the hub, which keeps it with the
 * turn's commit: one result per game found, nothing per guess but a check of the outcome.
 */
export class SoloResults {
  readonly #dialect: Dialect;
  readonly #record: (result: RoundResult) => void;
  /** When the current game's first guess came (0: none yet): such a client never sees a round start. */
  #startedAt = 0;

  constructor(dialect: Dialect, record: (result: RoundResult) => void) {
    this.#dialect = dialect;
    this.#record = record;
  }

  /** Judges `value` in `game`, keeping the game if this guess found it. */
  guess(game: SoloGame, value: number): Outcome {
    if (this.#startedAt === 0) this.#startedAt = Date.now();
    const outcome = game.guess(value);
    if (outcome.kind === 'win') {
      this.#record(soloResult(this.#dialect, game.rounds, game.range, value, outcome.attempts, this.#startedAt, Date.now()));
      this.#startedAt = 0;
    }
    return outcome;
  }
}

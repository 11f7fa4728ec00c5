import type { Database, Statement } from 'better-sqlite3';
import { rankLeaderboard, type Leaderboard, type LeaderboardQuery, type ResultFilter, type Tally } from '../core/leaderboard.js';
import { boundOf, playerKey, type Dialect, type PlayerResult, type RoundResult } from '../core/results.js';
import type { BotKind, Mode, RoundEndReason } from '../core/room-events.js';

/** One row of `results`: a player's round, the round's own columns repeated (null player columns: a round nobody guessed in). */
interface ResultRow {
  round_id: number;
  ended_at: number;
  room: string | null;
  mode: Mode;
  dialect: Dialect;
  round: number;
  min: number;
  max: number;
  secret: number;
  reason: RoundEndReason;
  match_end: number;
  match_winner: string | null;
  match_winner_bot: number | null;
  name: string | null;
  bot: BotKind | null;
  attempts: number | null;
  ms: number | null;
  found: number | null;
  won: number | null;
}

type Params = [{ since: number; mode: string }];
type Row = [
  roundId: number,
  endedAt: number,
  room: string | null,
  mode: string,
  dialect: string,
  round: number,
  min: number,
  max: number,
  bound: number,
  secret: number,
  reason: string,
  matchEnd: number,
  matchWinner: string | null,
  matchWinnerKey: string | null,
  matchWinnerBot: number | null,
  name: string | null,
  nameKey: string | null,
  bot: string | null,
  attempts: number | null,
  ms: number | null,
  found: number | null,
  won: number | null,
];

const WHERE = `where ended_at >= @since and (@mode = 'all' or mode = @mode)`;

/**
 * Reads and writes the results table of one database: the server's (inside its turn's
 * transaction) or a file opened by `guess stats`. One row per player per round, as the CSV has
 * them: a plain game found is one insert, the cheapest a kept result can be. Statements are
 * prepared once, on first use, since the store keeps every statement it makes for the life of
 * the process.
 */
export class ResultTables {
  readonly #db: Database;
  #insert: Statement<Row> | undefined;
  #lastRound: number | undefined;
  #tallies: Statement<Params, Omit<Tally, 'bot'> & { bot: number; last: number }> | undefined;
  #matchWins: Statement<Params, { name: string; bot: number; wins: number; last: number }> | undefined;
  #rows: Statement<Params, ResultRow> | undefined;
  #prune: Statement<[number]> | undefined;

  constructor(db: Database) {
    this.#db = db;
  }

  append(result: RoundResult): void {
    this.#insert ??= this.#db.prepare<Row>('insert into results values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.#lastRound ??= this.#db.prepare<[], number>('select coalesce(max(round_id), 0) from results').pluck().get() ?? 0;
    const id = ++this.#lastRound;
    const winner = result.match?.winner ?? null;
    const row = (p: PlayerResult | undefined): Row => [
      id,
      result.endedAt,
      result.room,
      result.mode,
      result.dialect,
      result.round,
      result.range.min,
      result.range.max,
      boundOf(result),
      result.secret,
      result.reason,
      result.match === null ? 0 : 1,
      winner?.name ?? null,
      winner === null ? null : playerKey(winner.name),
      winner === null ? null : Number(winner.bot),
      p?.name ?? null,
      p === undefined ? null : playerKey(p.name),
      p?.bot ?? null,
      p?.attempts ?? null,
      p?.ms ?? null,
      p === undefined ? null : Number(p.found),
      p === undefined ? null : Number(p.won),
    ];
    if (result.players.length === 0) this.#insert.run(...row(undefined));
    for (const p of result.players) this.#insert.run(...row(p));
  }

  leaderboard(query: LeaderboardQuery, since: number | undefined): Leaderboard {
    // A name's spelling is the one of its latest round: SQLite takes a bare column from the row max() picked.
    this.#tallies ??= this.#db.prepare<Params, Omit<Tally, 'bot'> & { bot: number; last: number }>(
      `select name, max(ended_at) as last, bot is not null as bot, count(*) as rounds, sum(found) as found,
              sum(won and mode = 'race') as raceWins, 0 as matchWins,
              coalesce(sum(case when found then cast(attempts as real) / bound end), 0) as boundSum
         from results ${WHERE} and name != ''
        group by name_key, bot is not null`,
    );
    this.#matchWins ??= this.#db.prepare<Params, { name: string; bot: number; wins: number; last: number }>(
      `select match_winner as name, max(ended_at) as last, match_winner_bot as bot, count(*) as wins
         from (select distinct round_id, ended_at, match_winner, match_winner_key, match_winner_bot
                 from results ${WHERE} and mode = 'pick' and match_winner != '')
        group by match_winner_key, match_winner_bot`,
    );
    const params: Params = [{ since: since ?? Number.MIN_SAFE_INTEGER, mode: query.mode }];
    const tallies = new Map<string, Tally & { last: number }>();
    for (const t of this.#tallies.all(...params)) tallies.set(`${t.bot}:${playerKey(t.name)}`, { ...t, bot: t.bot === 1 });
    for (const m of this.#matchWins.all(...params)) {
      const key = `${m.bot}:${playerKey(m.name)}`;
      const tally = tallies.get(key) ?? { name: m.name, last: m.last, bot: m.bot === 1, rounds: 0, found: 0, raceWins: 0, matchWins: 0, boundSum: 0 };
      // A round's match winner is named after its players: on the same round, its spelling is the last.
      tallies.set(key, { ...tally, name: m.last >= tally.last ? m.name : tally.name, matchWins: m.wins });
    }
    return rankLeaderboard([...tallies.values()], query);
  }

  /** Deletes the rounds that ended before `before`. */
  prune(before: number): void {
    this.#prune ??= this.#db.prepare('delete from results where ended_at < ?');
    this.#prune.run(before);
  }

  /**
   * Deletes every row of the person `name` (regardless of case); a match they won is left with
   * no winner's name, as a player who gave none. Returns the rounds they played.
   */
  forget(name: string): number {
    const key = playerKey(name);
    const played = this.#db.prepare('delete from results where name_key = ? and bot is null').run(key).changes;
    this.#db.prepare("update results set match_winner = '', match_winner_key = '' where match_winner_key = ? and match_winner_bot = 0").run(key);
    return played;
  }

  /** The rounds kept, oldest first, each with its players. */
  results(filter: ResultFilter): RoundResult[] {
    this.#rows ??= this.#db.prepare<Params, ResultRow>(`select * from results ${WHERE} order by ended_at, round_id, rowid`);
    const rounds: RoundResult[] = [];
    let id: number | undefined;
    let players: PlayerResult[] = [];
    for (const r of this.#rows.all({ since: filter.since ?? Number.MIN_SAFE_INTEGER, mode: filter.mode })) {
      if (r.round_id !== id) {
        id = r.round_id;
        players = [];
        rounds.push({
          endedAt: r.ended_at,
          room: r.room,
          mode: r.mode,
          dialect: r.dialect,
          round: r.round,
          range: { min: r.min, max: r.max },
          secret: r.secret,
          reason: r.reason,
          match: r.match_end === 0 ? null : { winner: r.match_winner === null ? null : { name: r.match_winner, bot: r.match_winner_bot === 1 } },
          players,
        });
      }
      if (r.name !== null) players.push({ name: r.name, bot: r.bot, attempts: r.attempts ?? 0, ms: r.ms, found: r.found === 1, won: r.won === 1 });
    }
    return rounds;
  }
}

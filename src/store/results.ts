import type { Database, Statement } from 'better-sqlite3';
import { rankLeaderboard, type Leaderboard, type LeaderboardQuery, type ResultFilter, type Tally } from '../core/leaderboard.js';
import { boundOf, playerKey, type Dialect, type RoundResult } from '../core/results.js';
import type { BotKind, Mode, RoundEndReason } from '../core/room-events.js';

interface RoundRow {
  id: number;
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
}

interface PlayerRow {
  round_id: number;
  name: string;
  bot: BotKind | null;
  attempts: number;
  ms: number | null;
  found: number;
  won: number;
}

type Params = [{ since: number; mode: string }];

/**
 * Reads and writes the results tables of one database: the server's (inside its turn's
 * transaction) or a file opened read-only by `guess stats`. Statements are prepared once, on
 * first use, since the store keeps every statement it makes for the life of the process.
 */
export class ResultTables {
  readonly #db: Database;
  #insertRound: Statement | undefined;
  #insertPlayer: Statement | undefined;
  #tallies: Statement<Params, Omit<Tally, 'bot'> & { bot: number; last: number }> | undefined;
  #matchWins: Statement<Params, { name: string; bot: number; wins: number; last: number }> | undefined;
  #rounds: Statement<Params, RoundRow> | undefined;
  #players: Statement<Params, PlayerRow> | undefined;
  #prunePlayers: Statement<[number]> | undefined;
  #pruneRounds: Statement<[number]> | undefined;

  constructor(db: Database) {
    this.#db = db;
  }

  append(result: RoundResult): void {
    this.#insertRound ??= this.#db.prepare(
      `insert into rounds (ended_at, room, mode, dialect, round, min, max, bound, secret, reason, match_end, match_winner, match_winner_key, match_winner_bot)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#insertPlayer ??= this.#db.prepare('insert into round_players (round_id, name, name_key, bot, attempts, ms, found, won) values (?, ?, ?, ?, ?, ?, ?, ?)');
    const winner = result.match?.winner ?? null;
    const { lastInsertRowid } = this.#insertRound.run(
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
    );
    for (const p of result.players) {
      this.#insertPlayer.run(lastInsertRowid, p.name, playerKey(p.name), p.bot, p.attempts, p.ms, Number(p.found), Number(p.won));
    }
  }

  leaderboard(query: LeaderboardQuery, since: number | undefined): Leaderboard {
    // A name's spelling is the one of its latest round: SQLite takes a bare column from the row max() picked.
    this.#tallies ??= this.#db.prepare<Params, Omit<Tally, 'bot'> & { bot: number; last: number }>(
      `select p.name as name, max(r.ended_at) as last, p.bot is not null as bot, count(*) as rounds, sum(p.found) as found,
              sum(p.won and r.mode = 'race') as raceWins, 0 as matchWins,
              coalesce(sum(case when p.found then cast(p.attempts as real) / r.bound end), 0) as boundSum
         from round_players p join rounds r on r.id = p.round_id
        where r.ended_at >= @since and (@mode = 'all' or r.mode = @mode) and p.name != ''
        group by p.name_key, p.bot is not null`,
    );
    this.#matchWins ??= this.#db.prepare<Params, { name: string; bot: number; wins: number; last: number }>(
      `select match_winner as name, max(ended_at) as last, match_winner_bot as bot, count(*) as wins
         from rounds where ended_at >= @since and (@mode = 'all' or mode = @mode) and mode = 'pick' and match_winner != ''
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

  /** Deletes the rounds that ended before `before`, with their players' rows. */
  prune(before: number): void {
    this.#prunePlayers ??= this.#db.prepare('delete from round_players where round_id in (select id from rounds where ended_at < ?)');
    this.#pruneRounds ??= this.#db.prepare('delete from rounds where ended_at < ?');
    this.#prunePlayers.run(before);
    this.#pruneRounds.run(before);
  }

  /**
   * Deletes every row of the person `name` (regardless of case); a match they won is left with
   * no winner's name, as a player who gave none. Returns the rounds they played.
   */
  forget(name: string): number {
    const key = playerKey(name);
    const played = this.#db.prepare("delete from round_players where name_key = ? and bot is null").run(key).changes;
    this.#db.prepare("update rounds set match_winner = '', match_winner_key = '' where match_winner_key = ? and match_winner_bot = 0").run(key);
    return played;
  }

  /** The rounds kept, oldest first, each with its players. */
  results(filter: ResultFilter): RoundResult[] {
    const where = `where ended_at >= @since and (@mode = 'all' or mode = @mode)`;
    this.#rounds ??= this.#db.prepare<Params, RoundRow>(`select * from rounds ${where} order by ended_at, id`);
    this.#players ??= this.#db.prepare<Params, PlayerRow>(
      `select p.* from round_players p where p.round_id in (select id from rounds ${where}) order by p.round_id, p.rowid`,
    );
    const params: Params = [{ since: filter.since ?? Number.MIN_SAFE_INTEGER, mode: filter.mode }];
    const byRound = new Map<number, PlayerRow[]>();
    for (const p of this.#players.all(...params)) {
      let list = byRound.get(p.round_id);
      if (list === undefined) byRound.set(p.round_id, (list = []));
      list.push(p);
    }
    return this.#rounds.all(...params).map(
      (r): RoundResult => ({
        endedAt: r.ended_at,
        room: r.room,
        mode: r.mode,
        dialect: r.dialect,
        round: r.round,
        range: { min: r.min, max: r.max },
        secret: r.secret,
        reason: r.reason,
        match: r.match_end === 0 ? null : { winner: r.match_winner === null ? null : { name: r.match_winner, bot: r.match_winner_bot === 1 } },
        players: (byRound.get(r.id) ?? []).map((p) => ({ name: p.name, bot: p.bot, attempts: p.attempts, ms: p.ms, found: p.found === 1, won: p.won === 1 })),
      }),
    );
  }
}

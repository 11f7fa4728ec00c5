import { createHash } from 'node:crypto';
import { Lobby } from '../../src/core/lobby.js';
import { seededRandom } from '../../src/core/random.js';
import type { PlayerId, RoomEvent } from '../../src/core/room-events.js';
import { DEFAULT_RULES, type RoomRules } from '../../src/core/room-rules.js';
import type { RoundResult } from '../../src/core/results.js';

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A pure Lobby with a seeded random and a recorder of what each connected player was sent. */
export class LobbyHarness {
  readonly lobby: Lobby;
  readonly sent = new Map<PlayerId, RoomEvent[]>();
  /** Every event addressed to each player, connected or not, with its number: what a server keeps for `resume`. */
  readonly kept = new Map<PlayerId, { seq: number; event: RoomEvent }[]>();
  /** Every round that ended, as handed over to be kept. */
  readonly results: RoundResult[] = [];
  now = 1_000_000;

  constructor(seed = 42, rules: Partial<RoomRules> = {}) {
    this.lobby = new Lobby({
      random: seededRandom(seed),
      hash: sha256,
      rules: { ...DEFAULT_RULES, ...rules },
      range: { min: 1, max: 100 },
      send: (to, event, seq, live) => {
        let kept = this.kept.get(to);
        if (kept === undefined) this.kept.set(to, (kept = []));
        kept.push({ seq, event });
        if (live) this.inbox(to).push(event);
      },
      record: (result) => this.results.push(result),
    });
  }

  player(name: string): PlayerId {
    return this.lobby.addPlayer(name, `token-${name}`).id;
  }

  inbox(id: PlayerId): RoomEvent[] {
    let list = this.sent.get(id);
    if (list === undefined) this.sent.set(id, (list = []));
    return list;
  }

  /** The kept events numbered above `after`: what `resume` replays. */
  replay(id: PlayerId, after: number): RoomEvent[] {
    return (this.kept.get(id) ?? []).filter((e) => e.seq > after).map((e) => e.event);
  }

  /** Events of one type sent to a player, in order. */
  of<T extends RoomEvent['type']>(id: PlayerId, type: T): Array<Extract<RoomEvent, { type: T }>> {
    return this.inbox(id).filter((e): e is Extract<RoomEvent, { type: T }> => e.type === type);
  }

  last<T extends RoomEvent['type']>(id: PlayerId, type: T): Extract<RoomEvent, { type: T }> {
    const list = this.of(id, type);
    const event = list[list.length - 1];
    if (event === undefined) throw new Error(`${id} was sent no ${type}`);
    return event;
  }

  /** Moves the clock and runs what each room has due, as the server's timers would. */
  tick(ms: number): void {
    this.now += ms;
    for (const room of [...this.lobby.rooms.values()]) {
      for (let i = 0; i < 1000; i++) {
        const at = room.deadline();
        if (at === undefined || at > this.now) break;
        this.lobby.advance(room, this.now);
      }
    }
  }

  /** Secret of the room a player sees in `round_end` after it ends; during a round, read it with binary search. */
  find(id: PlayerId): number {
    const room = this.lobby.roomOf(id);
    if (room === undefined) throw new Error('not in a room');
    let low = room.range.min;
    let high = room.range.max;
    for (;;) {
      const value = low + Math.floor((high - low) / 2);
      const refusal = this.lobby.guess(id, value, this.now);
      if (refusal !== undefined) throw new Error(refusal);
      const result = this.last(id, 'result');
      if (result.outcome === 'win') return value;
      if (result.outcome === 'low') low = value + 1;
      else high = value - 1;
    }
  }
}

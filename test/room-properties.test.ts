import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { PlayerId, RoomEvent } from '../src/core/room-events.js';
import { LobbyHarness } from './helpers/lobby.js';
import { HOLD_MS, PEOPLE, step, type Step } from './helpers/room-steps.js';

/**
 * Random sequences of join / leave / start / guess / pick / drop / resume / time never break the
 * rooms' invariants: at most one winner per round, attempts never decrease within a round, no
 * player in two rooms, and no seat lost (a player stays seated until it leaves or its hold runs out).
 */
describe('rooms under random sequences of requests', () => {
  it('keep their invariants', () => {
    fc.assert(
      fc.property(fc.integer(), fc.array(step, { minLength: 20, maxLength: 150, size: 'max' }), runSteps),
      { numRuns: Number(process.env.RUNS ?? 300) },
    );
  });
});

/** Plays `steps` against a fresh lobby, asserting the invariants after each one. */
export function runSteps(seed: number, steps: readonly Step[]): void {
        const h = new LobbyHarness(seed, { seatHoldMs: HOLD_MS, botDelayMs: 700, pickTimeoutMs: 3000, emptyRoomMs: 5000 });
        const ids: PlayerId[] = Array.from({ length: PEOPLE }, (_, i) => h.player(`P${i}`));
        const connected = ids.map(() => true);
        /** Where each player should be: set by a successful create/join, cleared by leave or expiry. */
        const expected = new Map<PlayerId, { code: string; droppedAt: number | undefined; spectator: boolean }>();
        const roundEnds = new Map<string, RoomEvent>();
        const attempts = new Map<string, number>();

        for (const s of steps) {
          if (s.op === 'tick') {
            h.tick(s.ms);
            for (const [id, where] of expected) {
              if (where.droppedAt !== undefined && h.now >= where.droppedAt + HOLD_MS) expected.delete(id);
            }
          } else {
            const id = ids[s.who] ?? '';
            const i = s.who;
            if (s.op === 'resume') {
              if (connected[i] === true) continue;
              const resumed = h.lobby.resume(`token-P${i}`);
              if (resumed === undefined) {
                // Only a player with nothing kept (no seat, or a lapsed one) may be unknown.
                assert.equal(expected.has(id), false);
                ids[i] = h.player(`P${i}`);
              } else {
                const where = expected.get(id);
                if (where !== undefined) where.droppedAt = undefined;
              }
              connected[i] = true;
              continue;
            }
            if (connected[i] !== true) continue;
            switch (s.op) {
              case 'create': {
                const room = h.lobby.create(id, { mode: s.mode, min: 1, max: 8, bot: s.bot ? 'binary' : undefined }, h.now);
                if (typeof room !== 'string') expected.set(id, { code: room.code, droppedAt: undefined, spectator: false });
                break;
              }
              case 'join': {
                const host = h.lobby.roomOf(ids[s.host] ?? '');
                if (host === undefined) break;
                const refusal = h.lobby.join(id, host.code, s.spectator ? 'spectator' : 'player', h.now);
                if (refusal === undefined) expected.set(id, { code: host.code, droppedAt: undefined, spectator: s.spectator });
                break;
              }
              case 'leave':
                h.lobby.leave(id, h.now);
                expected.delete(id);
                break;
              case 'drop': {
                h.lobby.disconnect(id, h.now);
                connected[i] = false;
                const where = expected.get(id);
                if (where?.spectator === true) expected.delete(id);
                else if (where !== undefined) where.droppedAt = h.now;
                break;
              }
              case 'start':
                h.lobby.start(id, h.now);
                break;
              case 'guess':
                h.lobby.guess(id, s.value, h.now);
                break;
              case 'pick':
                h.lobby.pick(id, s.value, h.now);
                break;
            }
          }

          // No seat lost, and no player in two rooms.
          for (const id of ids) {
            const room = h.lobby.roomOf(id);
            const where = expected.get(id);
            if (where !== undefined && h.lobby.rooms.has(where.code)) assert.equal(room?.code, where.code, `${id} lost its seat`);
            const holding = [...h.lobby.rooms.values()].filter((r) => r.has(id));
            assert.ok(holding.length <= 1, `${id} is in ${holding.length} rooms`);
            if (room !== undefined) assert.ok(holding[0] === room);
          }
          for (const room of h.lobby.rooms.values()) {
            const players = room.players;
            // At most one winner per round: a race's round ends at its first finder, so nobody else
            // finds it, during the round or after (`found` describes the last round until the next).
            if (room.mode === 'race') assert.ok(players.filter((p) => p.found).length <= 1, `${room.code} round ${room.round} has two finders`);
            // A solo round's win starts the next round at once: nobody is ever left having found it.
            if (room.mode === 'solo') assert.ok(players.every((p) => !p.found && room.state === 'playing'), `${room.code} did not start again`);
            for (const p of players) {
              // Attempts never decrease within a round.
              const key = `${room.code}/${room.round}/${p.id}`;
              assert.ok(p.attempts >= (attempts.get(key) ?? 0), `${key} attempts went down`);
              attempts.set(key, p.attempts);
            }
          }
          // One round_end per round: every member is handed the same one. A round is known by its
          // commitment, not by where its members are now (one may have left with the round's end).
          for (const events of h.sent.values()) {
            for (const event of events) {
              if (event.type !== 'round_end') continue;
              const seen = roundEnds.get(event.commitment);
              if (seen !== undefined) assert.equal(seen, event, `two endings for round ${event.round} (${event.commitment})`);
              else roundEnds.set(event.commitment, event);
            }
            events.length = 0;
          }
        }
}

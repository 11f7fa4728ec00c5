import fc from 'fast-check';

/** Random requests to a lobby of PEOPLE players, for property tests. */
export const PEOPLE = 4;
export const HOLD_MS = 10_000;

export type Step =
  | { op: 'create'; who: number; mode: 'race' | 'pick' | 'solo'; bot: boolean }
  | { op: 'join'; who: number; host: number; spectator: boolean }
  | { op: 'leave' | 'start' | 'drop' | 'resume'; who: number }
  | { op: 'guess' | 'pick'; who: number; value: number }
  | { op: 'tick'; ms: number };

const who = fc.integer({ min: 0, max: PEOPLE - 1 });
export const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('create' as const), who, mode: fc.constantFrom('race' as const, 'pick' as const, 'solo' as const), bot: fc.boolean() }),
  fc.record({ op: fc.constant('join' as const), who, host: who, spectator: fc.boolean() }),
  fc.record({ op: fc.constantFrom('leave' as const, 'start' as const, 'drop' as const, 'resume' as const), who }),
  { arbitrary: fc.record({ op: fc.constantFrom('guess' as const, 'pick' as const), who, value: fc.integer({ min: -5, max: 12 }) }), weight: 4 },
  fc.record({ op: fc.constant('tick' as const), ms: fc.constantFrom(100, 700, 3000, HOLD_MS) }),
);


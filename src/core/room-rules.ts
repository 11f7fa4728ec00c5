import type { Hash } from './commitment.js';
import type { RandomInt } from './random.js';
import type { PlayerId, RoomEvent } from './room-events.js';
import type { RoomRoundResult } from './results.js';

/** Every way a room can refuse a request; each is a code of the wire's error registry. */
export type RoomRefusal =
  | 'E_ROOM_FULL'
  | 'E_NO_ROUND'
  | 'E_ROUND_RUNNING'
  | 'E_NOT_ENOUGH_PLAYERS'
  | 'E_NOT_YOUR_TURN'
  | 'E_PICK_OUT_OF_RANGE';

/** Limits and timings, in one place; the server fills them from its configuration. */
export interface RoomRules {
  /** Players per room, the creator included (a bot counts). */
  readonly maxPlayers: number;
  readonly maxSpectators: number;
  /** How long a dropped player's seat waits for `resume`. */
  readonly seatHoldMs: number;
  /** How long the picker has to pick before the server draws the secret. */
  readonly pickTimeoutMs: number;
  /** Time between a bot's guesses. */
  readonly botDelayMs: number;
  /** How long a room with nobody in it stays open (its code may still be on its way to a friend). */
  readonly emptyRoomMs: number;
}

export const DEFAULT_RULES: RoomRules = Object.freeze({
  maxPlayers: 8,
  maxSpectators: 32,
  seatHoldMs: 60_000,
  pickTimeoutMs: 60_000,
  botDelayMs: 700,
  emptyRoomMs: 60_000,
});

export interface RoomDeps {
  readonly random: RandomInt;
  readonly hash: Hash;
  /** Hands one event to one member; the same object may go to several members. */
  readonly deliver: (to: PlayerId, event: RoomEvent) => void;
  readonly rules: RoomRules;
  /** Hears of every round that ends, to keep it; the room itself keeps nothing past its life. */
  readonly record?: ((result: RoomRoundResult) => void) | undefined;
}

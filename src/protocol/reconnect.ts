/**
 * When a room client (the terminal's and the page's alike) tries again after its connection
 * drops, and when it stops trying. Pure: the caller brings the clock and the random source.
 * docs/PROTOCOL.md ("Reconnecting") states this policy; change the two together.
 */

/** The pause before the first attempt; each next pause doubles, up to `MAX_PAUSE_MS`. */
export const FIRST_PAUSE_MS = 250;
export const MAX_PAUSE_MS = 5_000;
/** Each pause is drawn within ±20% of its nominal value, so that a restarted server is not hit by every client at once. */
export const JITTER = 0.2;
/** After a drop with no goodbye: how long the server holds a seat by default (`--seat-hold-ms`). */
export const DROP_WINDOW_MS = 60_000;
/** However long a server asks for, a client stops trying after this. */
export const MAX_WINDOW_MS = 10 * 60_000;
/**
 * An attempt whose connection is not made within this is given up (a lost SYN is sent again after
 * 1 s and 3 s; a host that stays silent past the third will not answer the fourth in time to matter).
 */
export const CONNECT_TIMEOUT_MS = 5_000;
/**
 * An attempt whose connection is made but whose `hello` or `resume` gets no answer within this is
 * given up: a server of ours answers at once, so one that accepts and stays silent is as good as down.
 */
export const ANSWER_TIMEOUT_MS = 3_000;

/**
 * How long to keep trying, counted from the drop. After a goodbye that announced `retryAfterMs`,
 * twice that: the whole announced wait, and as much again for a restart that runs late (an
 * operator whose restarts take longer says so with `guess serve --retry-after-ms`).
 */
export function retryWindowMs(retryAfterMs: number | undefined): number {
  if (retryAfterMs === undefined) return DROP_WINDOW_MS;
  return Math.min(MAX_WINDOW_MS, 2 * Math.max(0, retryAfterMs));
}

/** The nominal pause before attempt `attempt` (1 for the first). */
export function nominalPauseMs(attempt: number): number {
  return Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS * 2 ** Math.min(attempt - 1, 30));
}

/**
 * The pause before attempt `attempt`, `elapsedMs` after the drop, or undefined to give up.
 * `random()` returns a number in [0, 1). The last pause is cut short so that one attempt is made
 * exactly when the window closes: a client never stops before the window is over, and stops
 * right after it.
 */
export function reconnectPauseMs(attempt: number, elapsedMs: number, windowMs: number, random: () => number): number | undefined {
  if (attempt > 1 && elapsedMs >= windowMs) return undefined;
  const jittered = Math.round(nominalPauseMs(attempt) * (1 - JITTER + 2 * JITTER * random()));
  return Math.max(0, Math.min(jittered, windowMs - elapsedMs));
}

import { ERRORS } from './errors.js';
import type { ShutdownMessage } from './messages.js';

/**
 * The JSON dialect's goodbye; `token` is the player's `welcome` token, when it has one, and
 * `retryAfterMs` how long to wait before reconnecting: about what an operator's restart takes.
 */
export function shutdownMessage(token: string | undefined, retryAfterMs: number): ShutdownMessage {
  const goodbye = { type: 'shutdown', message: ERRORS.E_SHUTTING_DOWN, retryAfterMs } as const;
  return token === undefined ? goodbye : { ...goodbye, token };
}

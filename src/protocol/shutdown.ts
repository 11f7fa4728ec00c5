import { ERRORS } from './errors.js';
import type { ShutdownMessage } from './messages.js';

/**
 * How long a client is told to wait before it reconnects after the server announced it is
 * going down: about what an operator's restart takes.
 */
export const RETRY_AFTER_MS = 60_000;

/** The JSON dialect's goodbye; `token` is the player's `welcome` token, when it has one. */
export function shutdownMessage(token?: string): ShutdownMessage {
  const goodbye = { type: 'shutdown', message: ERRORS.E_SHUTTING_DOWN, retryAfterMs: RETRY_AFTER_MS } as const;
  return token === undefined ? goodbye : { ...goodbye, token };
}

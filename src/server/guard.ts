import { ProtocolError } from '../protocol/errors.js';
import type { Log } from './config.js';

/** What a fault ends: one peer (a TCP connection, a WebSocket, an HTTP request) or one room. */
export type FaultScope = { readonly peer: string } | { readonly room: string };

/** What a peer is told when a bug ends its connection: a fixed sentence, never the bug's own text. */
export const INTERNAL_ERROR = new ProtocolError('E_INTERNAL');

/**
 * The one guard of every entry point: a bug met while serving one peer, or while a room's timer
 * runs, ends that peer or that room and nothing else. A peer's state and a room's are their own,
 * so the server keeps serving everyone else; the process-wide handler (which drains and exits)
 * only meets what no entry point caught.
 *
 * The caller catches (a try/catch inline costs nothing on the hot path; a closure per message
 * would) and hands the error here. It is logged once, with its stack (pino's `err`); then `end`
 * tells whom it concerns, in their own dialect, and closes. Should `end` meet a bug too, `cutOff`
 * closes without a word.
 */
export function contain(log: Log, scope: FaultScope, error: unknown, end: () => void, cutOff: () => void): void {
  const message = 'room' in scope ? 'Internal error in a room\u2019s timer; closing the room' : 'Internal error while serving a connection; closing it';
  log.error({ ...scope, err: error }, message);
  try {
    end();
  } catch {
    cutOff();
  }
}

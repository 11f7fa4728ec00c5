/**
 * Every error a peer can be sent, with a stable code. docs/PROTOCOL.md has one heading per
 * code, and a test keeps the two in step.
 */
export const ERRORS = {
  E_NOT_INTEGER: 'Guesses must be an integer. Try again...',
  E_LINE_TOO_LONG: 'Message too long',
  E_BAD_JSON: 'A message must be one JSON object',
  E_UNKNOWN_TYPE: 'Unknown message type',
  E_BAD_MESSAGE: 'A field is missing or has the wrong type',
  E_VERSION: 'This protocol version is not supported',
  E_HELLO_FIRST: 'Say hello (or resume) first',
  E_HELLO_TWICE: 'You already said hello on this connection',
  E_UNKNOWN_TOKEN: 'No seat is waiting for that token (it expired, or was never issued)',
  E_BAD_RANGE: 'The range is not usable',
  E_IN_ROOM: 'You are already in a room: leave it first',
  E_NOT_IN_ROOM: 'You are not in a room',
  E_UNKNOWN_ROOM: 'No room has that code',
  E_ROOM_FULL: 'The room is full',
  E_NO_ROUND: 'No round is under way: any player starts one (Enter in the terminal, Start round on the page)',
  E_ROUND_RUNNING: 'A round is already under way',
  E_NOT_ENOUGH_PLAYERS: 'This mode needs more players',
  E_NOT_YOUR_TURN: 'Not your turn',
  E_PICK_OUT_OF_RANGE: 'The secret must be within the room\u2019s range',
  E_SERVER_FULL: 'The server is full; try again in a minute',
  E_TOO_MANY_CONNECTIONS: 'Too many connections from your address; close one and try again',
  E_RATE_LIMITED: 'Too many messages; slow down',
  E_IDLE_TIMEOUT: 'Closed after a long silence; connect again to play',
  E_SHUTTING_DOWN: 'The server is restarting or shutting down; try again in a few seconds',
  E_TOO_MANY_ROOMS: 'The server has as many rooms as it may hold; join one, or try again later',
  E_CLUSTER_UNAVAILABLE: 'New rooms are not open right now (this server cannot reach the others); try again in a few seconds',
  E_RESUMED_ELSEWHERE: 'Your seat was resumed on another connection; this one is closed',
  E_INTERNAL: 'The server met an internal error and closed this connection; connect again to play',
} as const;

export type ErrorCode = keyof typeof ERRORS;

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string = ERRORS[code]) {
    super(message);
    this.code = code;
  }
}

export function isProtocolError(value: unknown): value is ProtocolError {
  return value instanceof ProtocolError;
}

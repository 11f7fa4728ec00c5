/**
 * Every error a peer can be sent, with a stable code. docs/PROTOCOL.md has one heading per
 * code, and a test keeps the two in step.
 */
export const ERRORS = {
  E_NOT_INTEGER: 'Guesses must be an integer. Try again...',
  E_LINE_TOO_LONG: 'Message too long',
  E_JSON_NOT_READY: 'The JSON dialect is not served yet',
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

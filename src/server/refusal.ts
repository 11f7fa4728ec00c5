import type { Socket } from 'node:net';
import { detectDialect } from '../protocol/detect.js';
import type { ProtocolError } from '../protocol/errors.js';
import { encodeServerMessage, errorMessage } from '../protocol/messages.js';
import { plainErrorLine } from '../protocol/plain.js';

/** What a refused browser is told to wait: a full server frees connections as games end. */
const BUSY_RETRY_AFTER_S = 60;

/**
 * Turns a connection away with one line it can read. The server never speaks first, so the
 * refusal waits for the peer's first bytes and answers in their dialect: an error object to
 * JSON, a 503 to HTTP, an `Error: …` line to everything else (the chapter's client prints it
 * as it is). A peer that says nothing within `timeoutMs` is closed without a word.
 */
export function refuse(socket: Socket, error: ProtocolError, timeoutMs: number): void {
  socket.on('error', () => {});
  // Kept after the refusal is sent too: a peer that never closes its side does not hold the socket.
  socket.setTimeout(timeoutMs, () => socket.destroy());
  socket.once('end', () => socket.end());
  socket.once('data', (chunk: Buffer) => {
    socket.pause();
    socket.end(refusalBytes(chunk, error));
  });
}

export function refusalBytes(first: Buffer, error: ProtocolError): Buffer {
  switch (detectDialect(first)) {
    case 'json':
      return Buffer.from(`${encodeServerMessage(errorMessage(error.code, error.message))}\n`);
    case 'http':
      return Buffer.from(httpErrorText('503 Service Unavailable', error.message, `Retry-After: ${BUSY_RETRY_AFTER_S}\r\n`));
    default:
      return Buffer.from(plainErrorLine(error.message));
  }
}

/** A whole HTTP error response, `message` as its plain-text body, that closes the connection. */
export function httpErrorText(status: string, message: string, headers = ''): string {
  const body = `${message}\n`;
  return (
    `HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
    `${headers}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}

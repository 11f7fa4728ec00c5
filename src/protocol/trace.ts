/**
 * `--trace`: every message on the wire as one line of a text sequence diagram, so a student
 * sees what the chapter draws. Bytes are shown exactly, escaped like a JSON string.
 *
 *   12:00:01.234  client 127.0.0.1:50412  ──"42\n"──────────▶  server
 *   12:00:01.235  client 127.0.0.1:50412  ◀──"Too small!\n"──  server
 */
import { quoteText } from './escape.js';

export type Direction = 'to-server' | 'to-client';

export function traceLine(time: Date, client: string, direction: Direction, bytes: Uint8Array): string {
  const text = escapeBytes(bytes);
  const arrow = direction === 'to-server' ? `──${text}──▶` : `◀──${text}──`;
  return `${clock(time)}  client ${client}  ${arrow}  server`;
}

/** Shows bytes as a quoted string: printable ASCII as is, everything else escaped (`\n`, `\x1b`, `\u00e9`, `\ufffd`). */
export function escapeBytes(bytes: Uint8Array): string {
  return quoteText(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
}

function clock(time: Date): string {
  return time.toISOString().slice(11, 23);
}

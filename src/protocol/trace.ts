/**
 * `--trace`: every message on the wire as one line of a text sequence diagram, so a student
 * sees what the chapter draws. Bytes are shown exactly, escaped like a JSON string.
 *
 *   12:00:01.234  client 127.0.0.1:50412  ──"42\n"──────────▶  server
 *   12:00:01.235  client 127.0.0.1:50412  ◀──"Too small!\n"──  server
 */
export type Direction = 'to-server' | 'to-client';

export function traceLine(time: Date, client: string, direction: Direction, bytes: Uint8Array): string {
  const text = escapeBytes(bytes);
  const arrow = direction === 'to-server' ? `──${text}──▶` : `◀──${text}──`;
  return `${clock(time)}  client ${client}  ${arrow}  server`;
}

/** Shows bytes as a quoted string: printable ASCII as is, everything else escaped (`\n`, `\xff`, `\u00e9`). */
export function escapeBytes(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code === 0xfffd) out += '\\ufffd';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code > 0x7e) out += code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function clock(time: Date): string {
  return time.toISOString().slice(11, 23);
}

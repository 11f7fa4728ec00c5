/**
 * Which dialect a new connection speaks, decided from its first bytes alone (the server never
 * speaks first, so the client's opening bytes are all there is to go on).
 *
 * - `{` as the very first byte: JSON lines.
 * - An HTTP method and a space (`GET `, `POST `, ...): HTTP.
 * - Anything else with an LF in it: plain lines.
 * - No LF yet: undecided. The caller waits; if the peer then falls silent, it is a classic client
 *   (the chapter's, which sends `42` with no line ending and waits for the answer).
 */
export type Dialect = 'plain' | 'classic' | 'json' | 'http';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE'].map((m) =>
  Buffer.from(`${m} `, 'latin1'),
);
const LONGEST_METHOD = Math.max(...METHODS.map((m) => m.length));

/** The dialect the bytes so far prove, or undefined while they could still be more than one. */
export function detectDialect(bytes: Uint8Array): Exclude<Dialect, 'classic'> | undefined {
  if (bytes.length === 0) return undefined;
  if (bytes[0] === 0x7b /* { */) return 'json';
  const method = matchMethod(bytes);
  if (method === 'yes') return 'http';
  if (method === 'maybe') return undefined;
  return bytes.includes(0x0a) ? 'plain' : undefined;
}

function matchMethod(bytes: Uint8Array): 'yes' | 'maybe' | 'no' {
  const n = Math.min(bytes.length, LONGEST_METHOD);
  let maybe = false;
  for (const m of METHODS) {
    const len = Math.min(n, m.length);
    let same = true;
    for (let i = 0; i < len; i++) {
      if (bytes[i] !== m[i]) {
        same = false;
        break;
      }
    }
    if (!same) continue;
    if (bytes.length >= m.length) return 'yes';
    maybe = true;
  }
  return maybe ? 'maybe' : 'no';
}

import { sha256 } from '../../src/protocol/sha256.js';

/**
 * Checks a pick-mode reveal in the browser: the SHA-256 of the revealed preimage must be the
 * commitment announced when the round started. Web Crypto does it where the page is a secure
 * context (https, localhost); elsewhere (http:// on a LAN address) the bundled SHA-256 does.
 */
export async function verifyCommitment(commitmentHex: string, preimage: string): Promise<{ ok: boolean; how: string }> {
  const bytes = new TextEncoder().encode(preimage);
  let digest: Uint8Array;
  let how: string;
  // Typed as always there, but browsers leave it out of pages that are not a secure context.
  const subtle = (globalThis as { crypto?: Partial<Crypto> }).crypto?.subtle;
  if (subtle === undefined) {
    digest = sha256(bytes);
    how = 'SHA-256 in this page';
  } else {
    digest = new Uint8Array(await subtle.digest('SHA-256', bytes));
    how = 'SHA-256 by Web Crypto';
  }
  return { ok: toHex(digest) === commitmentHex.trim().toLowerCase(), how };
}

function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

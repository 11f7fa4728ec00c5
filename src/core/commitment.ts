import type { RandomInt } from './random.js';

/**
 * The fairness of a round: before any guess, guessers get `sha256(secret ‖ salt)`; when it ends,
 * the secret and salt. The salt (fresh per round) stops anyone from trying every secret in the
 * range against the commitment. The core computes no hash itself: `Hash` is injected (node:crypto
 * on the server, Web Crypto or node:crypto in clients).
 */
export type Hash = (text: string) => string;

export const SALT_HEX_LENGTH = 32;

/** 128 random bits as 32 lowercase hex characters. */
export function newSalt(random: RandomInt): string {
  let salt = '';
  for (let i = 0; i < SALT_HEX_LENGTH / 4; i++) salt += random(0, 0xffff).toString(16).padStart(4, '0');
  return salt;
}

/** The text that is hashed: the secret's decimal digits, then the salt, nothing between. */
export function commitmentText(secret: number, salt: string): string {
  return `${secret}${salt}`;
}

export function commit(hash: Hash, secret: number, salt: string): string {
  return hash(commitmentText(secret, salt));
}

/** What a guesser checks at `round_end`: the revealed secret and salt open the commitment it got. */
export function verifyCommitment(hash: Hash, commitment: string, secret: number, salt: string): boolean {
  return /^[0-9a-f]{32}$/.test(salt) && Number.isSafeInteger(secret) && hash(commitmentText(secret, salt)) === commitment.toLowerCase();
}

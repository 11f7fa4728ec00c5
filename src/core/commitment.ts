import type { RandomInt } from './random.js';

/**
 * The fairness of a round: before any guess, guessers get `sha256(secret ‖ salt)`; when it ends,
 * the secret and salt. The salt (fresh per round) stops anyone from trying every secret in the
 * range against the commitment. The core computes no hash itself: `Hash` is injected (node:crypto
 * on the server, the bundled SHA-256 of src/protocol in both clients).
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

/**
 * The commitment a client was given for a round: in its `round_start`, or in the `room` snapshot
 * it joined or resumed into while the round was under way. The reveal is checked against this,
 * never against the commitment that comes with the reveal.
 */
export interface Announced {
  readonly round: number;
  readonly commitment: string;
}

/**
 * What the client holds after being told `commitment` for `round`. The first word on a round
 * stands: a server that names another commitment later in the same round (in a second
 * snapshot) does not get to replace what it promised.
 */
export function announce(held: Announced | undefined, round: number, commitment: string): Announced {
  return held?.round === round ? held : { round, commitment: commitment.toLowerCase() };
}

/** What `round_end` reveals. */
export interface Reveal {
  readonly round: number;
  readonly secret: number;
  readonly salt: string;
  readonly commitment: string;
}

export type Verdict =
  /** The secret and salt open the commitment announced when the round started. */
  | { readonly kind: 'match' }
  /** No commitment was announced for this round: nothing to hold the secret to. */
  | { readonly kind: 'missing' }
  /** The reveal names another commitment than the one announced. */
  | { readonly kind: 'changed'; readonly announced: string }
  /** The secret and salt do not open the commitment announced. */
  | { readonly kind: 'mismatch' };

/**
 * The guesser's check that the secret never changed, in both clients: the revealed secret and
 * salt must open the commitment announced for that round, and the reveal must not name another.
 */
export function judgeReveal(hash: Hash, held: Announced | undefined, reveal: Reveal): Verdict {
  if (held === undefined || held.round !== reveal.round) return { kind: 'missing' };
  if (reveal.commitment.toLowerCase() !== held.commitment) return { kind: 'changed', announced: held.commitment };
  return verifyCommitment(hash, held.commitment, reveal.secret, reveal.salt) ? { kind: 'match' } : { kind: 'mismatch' };
}

/** The verdict in one line, as both clients show it. */
export function verdictLine(verdict: Verdict, reveal: Reveal): string {
  const changed = `WARNING: the revealed secret ${reveal.secret} does NOT match: the secret was changed.`;
  switch (verdict.kind) {
    case 'match':
      return `Fair: sha256(${reveal.secret} \u2016 salt) matches the commitment announced when round ${reveal.round} started.`;
    case 'missing':
      return `WARNING: no commitment was announced when round ${reveal.round} started, so nothing shows that the secret ${reveal.secret} was not changed.`;
    case 'changed':
      return `${changed} The end of round ${reveal.round} names commitment ${short(reveal.commitment)}, not ${short(verdict.announced)} announced when it started.`;
    case 'mismatch':
      return `${changed} sha256(${reveal.secret} \u2016 salt) is not the commitment announced when round ${reveal.round} started.`;
  }
}

function short(commitment: string): string {
  return `${commitment.slice(0, 12)}\u2026`;
}

import type { RandomInt } from './random.js';

/**
 * Room codes are read aloud and typed by people: uppercase letters and digits with the easily
 * confused ones left out (no 0/O, 1/I/L). 31 symbols, 5 of them: about 28.6 million codes.
 */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 5;

/**
 * Draws a code no live room holds. With `random` from a secure source the code cannot be
 * predicted; past a few collisions (a crowded server) codes grow a character, so this always ends.
 */
export function newRoomCode(random: RandomInt, taken: (code: string) => boolean): string {
  for (let length = CODE_LENGTH; ; length++) {
    for (let attempt = 0; attempt < 8; attempt++) {
      let code = '';
      for (let i = 0; i < length; i++) code += CODE_ALPHABET[random(0, CODE_ALPHABET.length - 1)] ?? '';
      if (!taken(code)) return code;
    }
  }
}

/** Longest code accepted: codes grow past CODE_LENGTH only on a crowded server, and never this far. */
export const MAX_CODE_LENGTH = 16;

/**
 * Whether text could be a room code at all (after uppercasing): the one check every client and
 * the server's room links use, so a code one of them accepts is never refused by another.
 */
export function isRoomCode(text: string): boolean {
  if (text.length < CODE_LENGTH || text.length > MAX_CODE_LENGTH) return false;
  for (const char of text) if (!CODE_ALPHABET.includes(char)) return false;
  return true;
}

/** The room code in a room link's path (`/r/K7PQM`, any case, with or without a final slash), uppercased. */
export function roomCodeInLink(path: string): string | undefined {
  const code = /^\/r\/([^/]+)\/?$/.exec(path)?.[1]?.toUpperCase();
  return code !== undefined && isRoomCode(code) ? code : undefined;
}

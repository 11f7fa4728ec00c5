/** What the server calls a player who gave no name, outside a room. */
export const UNNAMED = 'Player';

/**
 * The name a newcomer goes by in a room, given the names already there: no two people in one
 * room share a name (compared regardless of case), so what each screen shows says who is who.
 * A taken name gets the next free number, `Bob (2)`; a player who gave none (`''`) is
 * `Player 1`, `Player 2`… counted within the room.
 */
export function nameInRoom(wanted: string, taken: Iterable<string>): string {
  const used = new Set<string>();
  for (const name of taken) used.add(name.toLowerCase());
  const free = (name: string): boolean => !used.has(name.toLowerCase());
  if (wanted === '') {
    for (let n = 1; ; n++) if (free(`${UNNAMED} ${n}`)) return `${UNNAMED} ${n}`;
  }
  if (free(wanted)) return wanted;
  for (let n = 2; ; n++) if (free(`${wanted} (${n})`)) return `${wanted} (${n})`;
}

/**
 * The solo game of the bare yardsticks (bare `ws`, bare JSON over `node:net`), written the way a
 * bare server would be: JSON.parse per message, JSON.stringify per message, nothing shared with
 * src/. It sends what ours sends in a solo round (`result` per guess; after a win `round_end` and
 * the next `round_start`), of about the same sizes, with the same commitment hash per round, so
 * that the difference measured is the server around the game, not the game.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Range } from '../src/core/game.js';

let players = 0;
let rooms = 0;

/** One connection's player: give it each message's text, and it sends its answers with `send`. */
export function barePlayer(range: Range, send: (text: string) => void): (text: string) => void {
  const id = `p${++players}`;
  let name = 'player';
  let { min, max } = range;
  let seq = 0;
  let round = 0;
  let secret = 0;
  let salt = '';
  let commitment = '';
  let attempts = 0;
  let wins = 0;
  let guesses = 0;
  const numbered = (message: Record<string, unknown>): void => send(JSON.stringify({ ...message, seq: ++seq }));
  // A solo round only ends in a win.
  const standings = (): unknown[] => [{ id, name, wins, rounds: wins, guesses }];
  const startRound = (): void => {
    round++;
    attempts = 0;
    secret = randomInt(min, max + 1);
    salt = randomBytes(16).toString('hex');
    commitment = createHash('sha256').update(`${salt}:${secret}`).digest('hex');
    numbered({ type: 'round_start', round, mode: 'solo', min, max, picker: null, commitment, guessers: [id] });
  };

  return (text) => {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(text) as Record<string, unknown>;
    } catch {
      send('{"type":"error","code":"bad_json","message":"Messages must be JSON objects."}');
      return;
    }
    if (message.type === 'guess' && round > 0 && Number.isSafeInteger(message.value)) {
      const value = message.value as number;
      attempts++;
      guesses++;
      if (value !== secret) {
        const low = value < secret;
        numbered({ type: 'result', value, outcome: low ? 'low' : 'high', message: low ? 'Too small!' : 'Too big!', attempts });
        return;
      }
      wins++;
      numbered({ type: 'result', value, outcome: 'win', message: 'Exactly! You win!', attempts });
      numbered({ type: 'round_end', round, reason: 'found', winner: { id, name }, secret, salt, commitment, standings: standings() });
      startRound();
    } else if (message.type === 'hello') {
      if (typeof message.name === 'string') name = message.name;
      const token = randomBytes(18).toString('base64url');
      send(JSON.stringify({ type: 'welcome', v: 1, player: id, name, token, resumed: false }));
    } else if (message.type === 'create' && round === 0) {
      if (Number.isSafeInteger(message.min) && Number.isSafeInteger(message.max)) {
        min = message.min as number;
        max = message.max as number;
      }
      const code = `B${(++rooms).toString(36).toUpperCase().padStart(4, '0')}`;
      const seat = { id, name, seat: 1, bot: false, connected: true, attempts: 0, found: false, guesses: [] };
      numbered({
        type: 'room', code, mode: 'solo', min, max, maxPlayers: 1, you: id, role: 'player', state: 'waiting', round: 0,
        picker: null, commitment: null, players: [seat], spectators: 0, history: [], standings: standings(),
      });
      startRound();
    } else {
      send('{"type":"error","code":"bad_message","message":"Say hello, create a solo room, then guess."}');
    }
  };
}

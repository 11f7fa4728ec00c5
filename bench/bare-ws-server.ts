/**
 * The WebSocket yardstick: the same solo game as our `/ws`, written the way a bare `ws` server
 * would be — an http server, `ws`'s WebSocketServer, JSON.stringify per message, nothing shared
 * with src/. It sends the frames ours sends in a solo round (`result` per guess; after a win
 * `round_end` and the next `round_start`), of about the same sizes, with the same commitment
 * hash per round, so that the difference measured is the server around the game, not the game.
 *
 *   node dist/bench/bare-ws-server.js --port 0 --min 1 --max 1000000
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { announce, yardstickArgs } from './yardstick.js';

const { host, port, min: MIN, max: MAX } = yardstickArgs();

const server = createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server, path: '/ws', perMessageDeflate: false });
let players = 0;
let rooms = 0;

wss.on('connection', (ws) => {
  const id = `p${++players}`;
  let name = 'player';
  let min = MIN;
  let max = MAX;
  let seq = 0;
  let round = 0;
  let secret = 0;
  let salt = '';
  let commitment = '';
  let attempts = 0;
  let wins = 0;
  let guesses = 0;
  const send = (message: Record<string, unknown>): void => ws.send(JSON.stringify({ ...message, seq: ++seq }));
  // A solo round only ends in a win.
  const standings = (): unknown[] => [{ id, name, wins, rounds: wins, guesses }];
  const startRound = (): void => {
    round++;
    attempts = 0;
    secret = randomInt(min, max + 1);
    salt = randomBytes(16).toString('hex');
    commitment = createHash('sha256').update(`${salt}:${secret}`).digest('hex');
    send({ type: 'round_start', round, mode: 'solo', min, max, picker: null, commitment, guessers: [id] });
  };

  ws.on('message', (data: Buffer) => {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
    } catch {
      ws.send('{"type":"error","code":"bad_json","message":"Messages must be JSON objects."}');
      return;
    }
    if (message.type === 'guess' && round > 0 && Number.isSafeInteger(message.value)) {
      const value = message.value as number;
      attempts++;
      guesses++;
      if (value !== secret) {
        const low = value < secret;
        send({ type: 'result', value, outcome: low ? 'low' : 'high', message: low ? 'Too small!' : 'Too big!', attempts });
        return;
      }
      wins++;
      send({ type: 'result', value, outcome: 'win', message: 'Exactly! You win!', attempts });
      send({ type: 'round_end', round, reason: 'found', winner: { id, name }, secret, salt, commitment, standings: standings() });
      startRound();
    } else if (message.type === 'hello') {
      if (typeof message.name === 'string') name = message.name;
      const token = randomBytes(18).toString('base64url');
      ws.send(JSON.stringify({ type: 'welcome', v: 1, player: id, name, token, resumed: false }));
    } else if (message.type === 'create' && round === 0) {
      if (Number.isSafeInteger(message.min) && Number.isSafeInteger(message.max)) {
        min = message.min as number;
        max = message.max as number;
      }
      const code = `B${(++rooms).toString(36).toUpperCase().padStart(4, '0')}`;
      const seat = { id, name, seat: 1, bot: false, connected: true, attempts: 0, found: false, guesses: [] };
      send({
        type: 'room', code, mode: 'solo', min, max, maxPlayers: 1, you: id, role: 'player', state: 'waiting', round: 0,
        picker: null, commitment: null, players: [seat], spectators: 0, history: [], standings: standings(),
      });
      startRound();
    } else {
      ws.send('{"type":"error","code":"bad_message","message":"Say hello, create a solo room, then guess."}');
    }
  });
  ws.on('error', () => {});
});

announce(server, host, port);

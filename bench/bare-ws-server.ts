/**
 * The WebSocket yardstick: the same solo game as our `/ws` (bare-solo.ts), on an http server and
 * `ws`'s WebSocketServer, one message per text frame, nothing else.
 *
 *   node dist/bench/bare-ws-server.js --port 0 --min 1 --max 1000000
 */
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { barePlayer } from './bare-solo.js';
import { announce, yardstickArgs } from './yardstick.js';

const { host, port, min, max } = yardstickArgs();

const server = createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server, path: '/ws', perMessageDeflate: false });

wss.on('connection', (ws) => {
  const receive = barePlayer({ min, max }, (text) => ws.send(text));
  ws.on('message', (data: Buffer) => receive(data.toString('utf8')));
  ws.on('error', () => {});
});

announce(server, host, port);

/**
 * The JSON yardstick: the same solo game as our JSON dialect (bare-solo.ts), one JSON object per
 * line over `node:net`, split at each newline, one write per message. Against it, our JSON rows
 * show what our server around the game costs; the bare one against the bare `node:net` baseline
 * shows what speaking JSON, with its longer messages, costs a bare server.
 *
 *   node dist/bench/bare-json-server.js --port 0 --min 1 --max 1000000
 */
import { createServer } from 'node:net';
import { barePlayer } from './bare-solo.js';
import { announce, yardstickArgs } from './yardstick.js';

const { host, port, min, max } = yardstickArgs();

const server = createServer({ noDelay: true }, (socket) => {
  const receive = barePlayer({ min, max }, (text) => socket.write(`${text}\n`));
  let pending = '';
  socket.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    let newline = pending.indexOf('\n');
    while (newline !== -1) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
      receive(line);
    }
  });
  socket.on('error', () => {});
});

announce(server, host, port);

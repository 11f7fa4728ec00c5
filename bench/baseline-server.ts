/**
 * The yardstick: the same game in the plain dialect, written the way a bare `node:net` server
 * would be — no framing library, no dialect detection, no logging, nothing shared with src/.
 * `npm run bench` runs it beside our server, through the same load generator, in the same run.
 *
 *   node dist/bench/baseline-server.js --port 0 --min 1 --max 1000000
 */
import { randomInt } from 'node:crypto';
import { createServer } from 'node:net';
import { announce, yardstickArgs } from './yardstick.js';

const { host, port, min, max } = yardstickArgs();

const server = createServer({ noDelay: true }, (socket) => {
  let secret = randomInt(min, max + 1);
  let won = false;
  let pending = '';
  socket.on('data', (chunk) => {
    pending += chunk.toString('latin1');
    let newline = pending.indexOf('\n');
    while (newline !== -1) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
      if (!/^[+-]?\d+$/.test(line)) {
        socket.write('Guesses must be an integer. Try again...\n');
        continue;
      }
      if (won) {
        secret = randomInt(min, max + 1);
        won = false;
      }
      const guess = Number(line);
      if (guess < secret) socket.write('Too small!\n');
      else if (guess > secret) socket.write('Too big!\n');
      else {
        won = true;
        socket.write('Exactly! You win!\n');
      }
    }
  });
  socket.on('error', () => {});
});

announce(server, host, port);

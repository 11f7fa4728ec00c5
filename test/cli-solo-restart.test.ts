import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { assertNoStackTrace } from './helpers/assertions.js';
import { tempDir } from './helpers/db-files.js';
import { fakeServer } from './helpers/fake-server.js';
import { PROMPT } from './helpers/join.js';
import { finished, spawnGuess } from './helpers/process.js';
import { startServer, type RunningServer } from './helpers/server.js';
import { OutputWatcher } from './helpers/watch.js';

const GOODBYE = 'The server is restarting or shutting down; try again in a few seconds';
const RESTARTING = /The server is restarting or shutting down; try again in a few seconds\. Reconnecting by itself for up to 60 s\u2026\n/;

function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

/** `guess join` (plain lines) with its output watched, past its first prompt and one guess below the range. */
async function joinAndGuess(port: number): Promise<{ child: ReturnType<typeof spawnGuess>; out: OutputWatcher; done: ReturnType<typeof finished> }> {
  const child = spawnGuess(['join', `127.0.0.1:${port}`]);
  const out = new OutputWatcher(child, [child.stdout, child.stderr]);
  const done = finished(child);
  await out.waitFor(new RegExp(PROMPT));
  child.stdin.write('0\n');
  await out.waitFor(/Too small!\n/);
  return { child, out, done };
}

/**
 * A plain game holds no seat: across a restart, `guess join` says what happened, connects again
 * by itself, and plays a new game on the new server.
 */
describe('guess join (plain lines) when the server restarts', { timeout: 150_000, concurrency: true }, () => {
  const dir = tempDir();
  const servers: RunningServer[] = [];
  after(async () => {
    for (const server of servers) await server.stop();
    dir.remove();
  });

  it('says the server is restarting, reconnects, says a new game has started on the new server, and plays it to the win', async () => {
    const path = dir.file('solo.db');
    const first = await startServer(['--db', path, '--min', '1', '--max', '50']);
    servers.push(first);
    const { child, out, done } = await joinAndGuess(first.port);
    try {
      await first.stop();
      await out.waitFor(RESTARTING);
      // Another range on the new server: the game says it, so it asked again.
      const second = await startServer(['--db', path, '--port', String(first.port), '--min', '1', '--max', '20']);
      servers.push(second);
      const from = out.text().length;
      await out.waitFor(/The server is back after a restart: a new game, with a new secret\.\nI am thinking of a number between 1 and 20\.\n/, from);
      let [low, high, guesses] = [1, 20, 0];
      for (;;) {
        const guess = Math.floor((low + high) / 2);
        const before = out.text().length;
        child.stdin.write(`${guess}\n`);
        guesses++;
        const seen = await out.waitFor(/(Too small!|Too big!|Exactly! You win!)\n/, before);
        if (seen.includes('Exactly')) break;
        if (seen.includes('Too small')) low = guess + 1;
        else high = guess - 1;
      }
      await out.waitFor(new RegExp(`You found it in ${guesses} guess(es)?\\.\\nPlay again\\? \\[y/n\\] `), from);
      child.stdin.end('n\n');
      const { code } = await done;
      assert.equal(code, 0, out.text());
      assert.equal(count(out.text(), GOODBYE), 1, out.text());
      assert.match(out.text(), /Thanks for playing!\n$/);
      assertNoStackTrace(out.text());
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('gives up in one line, status 1, when no server comes back within 60 s', async () => {
    const server = await startServer(['--db', dir.file('gone.db')]);
    servers.push(server);
    const { child, out, done } = await joinAndGuess(server.port);
    try {
      const stoppedAt = Date.now();
      await server.stop();
      const { code, stderr } = await done;
      assert.equal(code, 1);
      assert.ok(Date.now() - stoppedAt >= 60_000, `gave up ${Date.now() - stoppedAt} ms after the goodbye`);
      assert.match(out.text(), RESTARTING);
      assert.equal(count(out.text(), GOODBYE), 1, out.text());
      assert.equal(stderr, 'guess: could not get back to the server within 60 s; giving up\n');
      assertNoStackTrace(out.text());
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('sends a guess that got no answer before the goodbye again, as the first guess of the new game', async () => {
    const fake = await fakeServer((line, socket, connection) => {
      if (line === 'range') socket.write(connection === 1 ? 'The number is between 1 and 100.\n' : 'The number is between 1 and 10.\n');
      // The first server goes with the guess unanswered; the second one's secret is 7.
      else if (connection === 1) socket.end(`Error: ${GOODBYE}\n`);
      else socket.write(line === '7' ? 'Exactly! You win!\n' : Number(line) < 7 ? 'Too small!\n' : 'Too big!\n');
    });
    const child = spawnGuess(['join', `127.0.0.1:${fake.port}`]);
    const out = new OutputWatcher(child, [child.stdout, child.stderr]);
    const done = finished(child);
    try {
      await out.waitFor(new RegExp(PROMPT));
      child.stdin.write('5\n');
      await out.waitFor(/I am thinking of a number between 1 and 10\.\nToo small!\n/);
      child.stdin.write('7\n');
      await out.waitFor(/You found it in 2 guesses\.\n/);
      child.stdin.end('n\n');
      assert.equal((await done).code, 0);
      assert.deepEqual(fake.lines, ['range', '5', 'range', '5', '7']);
    } finally {
      child.kill('SIGKILL');
      await fake.close();
    }
  });

  it('--classic is the chapter\u2019s game as it was: the goodbye ends it, said once, status 0', async () => {
    const server = await startServer(['--db', dir.file('classic.db')]);
    servers.push(server);
    const child = spawnGuess(['join', `127.0.0.1:${server.port}`, '--classic']);
    const out = new OutputWatcher(child, [child.stdout, child.stderr]);
    const done = finished(child);
    try {
      await out.waitFor(new RegExp(PROMPT));
      child.stdin.write('0\n');
      await out.waitFor(/Too small!\n/);
      await server.stop();
      const { code } = await done;
      assert.equal(code, 0);
      assert.match(out.text(), new RegExp(`\\n${GOODBYE}\\n$`));
      assert.equal(count(out.text(), GOODBYE), 1);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

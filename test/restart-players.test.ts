import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { binarySearch, launchBrowser, noBrowser, openPlayer, waitForText } from './helpers/browser.js';
import { tempDir } from './helpers/db-files.js';
import { spawnRoomCli, type RoomCli } from './helpers/room-cli.js';
import { startServer, type RunningServer } from './helpers/server.js';

const FAIR_TERMINAL = /Fair: sha256\(\d+ \u2016 salt\) matches the commitment announced when round 1 started\.\n/;
const FAIR_PAGE = /^Fair: sha256\(\d+ \u2016 salt\) matches the commitment announced when round 1 started\.$/;
const DROPPED = {
  SIGTERM: /The server is restarting or shutting down; try again in a few seconds\. Reconnecting by itself for up to 6\.0 s\u2026\n/,
  SIGKILL: /Connection lost\. Reconnecting by itself for up to 60 s\u2026\n/,
} as const;

/** The page's player types one guess and waits until the page counts it. */
async function guessOnPage(page: Page, value: number, attempts: number): Promise<void> {
  const field = page.getByLabel('Your guess');
  await field.fill(String(value));
  await field.press('Enter');
  await waitForText(page, '[data-testid="attempts"]', new RegExp(`^${attempts}$`));
}

/** The terminal's player types one guess below the range and waits for its answer, which numbers it. */
async function guessInTerminal(cli: RoomCli, attempts: number): Promise<void> {
  const from = cli.out.text().length;
  cli.type('0');
  await cli.expect(new RegExp(`Too small!  \\(0, guess ${attempts}\\)\\n`), from);
}

/**
 * A terminal player (`guess host`, a real process) and a page player (headless Chromium) in one
 * room; the server is stopped in the middle of a round and started again on the same --db and
 * port. Both get back in by themselves, their attempts go on from where they were, and both see
 * the secret revealed at the end open the commitment announced before the restart.
 */
describe('a terminal and a page ride through a server restart in the middle of a round', { skip: noBrowser, timeout: 240_000 }, () => {
  const dir = tempDir();
  let browser: Browser;
  const servers: RunningServer[] = [];
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
    for (const server of servers) await server.stop();
    dir.remove();
  });

  /** Ada hosts a room of `mode` in a terminal; Bob joins it from a page. */
  const seatBoth = async (mode: 'race' | 'pick', path: string): Promise<{ first: RunningServer; ada: RoomCli; page: Page; errors: string[] }> => {
    const first = await startServer(['--db', path, '--seed', '12']);
    servers.push(first);
    const address = `127.0.0.1:${first.port}`;
    const ada = spawnRoomCli(['host', address, '--name', 'Ada', '--mode', mode]);
    const code = /Room code: (\w+)/.exec(await ada.expect(/Room code: \w+/))?.[1] ?? '';
    const { page, errors } = await openPlayer(browser, `http://${address}/`);
    await page.getByLabel('Your name').fill('Bob');
    await page.getByLabel('Room code').fill(code);
    await page.getByRole('button', { name: 'Join room' }).click();
    await ada.expect(/Bob joined\./);
    return { first, ada, page, errors };
  };

  /** Stops the server by `signal` and starts another on the same file and port once the terminal saw the drop; resolves where the terminal's output stood. */
  const restart = async (first: RunningServer, signal: 'SIGTERM' | 'SIGKILL', path: string, ada: RoomCli): Promise<number> => {
    const closed = once(first.child, 'close');
    first.child.kill(signal);
    await closed;
    await ada.expect(DROPPED[signal]);
    const from = ada.out.text().length;
    servers.push(await startServer(['--db', path, '--port', String(first.port)]));
    await ada.expect(/Back in the game/, from);
    await ada.expect(/Room \w+ \(/, from);
    return from;
  };

  /** Both see the reveal open the commitment of round 1; the page logged nothing but the outage. */
  const bothFair = async (page: Page, errors: string[], ada: RoomCli, from: number): Promise<void> => {
    assert.match(await waitForText(page, '[data-testid="verdict"]', /Fair|WARNING/), FAIR_PAGE);
    await ada.expect(FAIR_TERMINAL, from);
    // The browser logs each refused WebSocket while the server is down: that is the outage, not a fault of the page.
    assert.deepEqual(errors.filter((error) => !/WebSocket connection .* failed/.test(error)), []);
  };

  for (const mode of ['race', 'pick'] as const) {
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      it(`${mode}, ${signal}: both finish the round afterwards and the reveal opens the commitment made before`, async () => {
        const path = dir.file(`${mode}-${signal}.db`);
        const { first, ada, page, errors } = await seatBoth(mode, path);
        try {
          ada.type('');
          if (mode === 'pick') {
            // Ada picks; Bob is the only guesser.
            await ada.expect(/your turn to pick the secret/);
            ada.type('37');
            await ada.expect(/You picked 37\./);
          } else {
            await ada.expect(/Round 1: guess the number/);
            await guessInTerminal(ada, 1);
          }
          await page.getByLabel('Your guess').waitFor();
          await guessOnPage(page, 0, 1);

          const from = await restart(first, signal, path, ada);
          if (mode === 'race') await guessInTerminal(ada, 2);
          await guessOnPage(page, 0, 2);
          await binarySearch(page, { min: 1, max: 100 });

          await bothFair(page, errors, ada, from);
          const since = ada.out.text().slice(from);
          if (mode === 'pick') assert.match(since, /The secret was 37\./);
          assert.doesNotMatch(since, /guess 1\)|Bob: 0 is too small \(1 guess\)|You picked 37|Round 1: guess the number/, 'nothing handled before the restart is shown again');
          await page.context().close();
        } finally {
          ada.stop();
        }
      });
    }
  }

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`pick, ${signal} while the picker is still choosing: the turn is still hers afterwards, and the round is played out`, async () => {
      const path = dir.file(`picking-${signal}.db`);
      const { first, ada, page, errors } = await seatBoth('pick', path);
      try {
        ada.type('');
        await ada.expect(/Round 1: your turn to pick the secret/);
        const from = await restart(first, signal, path, ada);
        ada.type('37');
        await ada.expect(/You picked 37\./, from);
        await binarySearch(page, { min: 1, max: 100 });
        await bothFair(page, errors, ada, from);
        const since = ada.out.text().slice(from);
        assert.match(since, /The secret was 37\./);
        assert.doesNotMatch(since, /Bob joined|your turn to pick/, 'nothing handled before the restart is shown again');
        await page.context().close();
      } finally {
        ada.stop();
      }
    });
  }
});

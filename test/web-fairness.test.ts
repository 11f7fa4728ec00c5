import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ANNOUNCE, binarySearch, browserAndServer, noBrowser, openPlayer, waitForText } from './helpers/browser.js';
import { honest, swapSecret, webRelay, type Relay } from './helpers/lying-relay.js';

const RANGE = { min: 1, max: 100 };
const VERDICT = '[data-testid="verdict"]';
const SWAPPED = /WARNING: the revealed secret \d+ does NOT match: the secret was changed/;
const FAIR = /^Fair: sha256\(\d+ \u2016 salt\) matches the commitment announced when round 1 started\.$/;

type Mode = 'solo' | 'race' | 'pick';

/** Plays round 1 of a room of `mode` alone (with the server's bot in race and pick), to its end. */
async function playRound(page: Page, mode: Mode): Promise<void> {
  if (mode === 'solo') {
    await page.getByRole('button', { name: 'Play solo' }).click();
    await binarySearch(page, RANGE);
    return;
  }
  await page.getByLabel('Your name').fill('Ada');
  await page.getByLabel('Computer player').selectOption('binary');
  await page.getByRole('button', { name: `Create ${mode} room` }).click();
  await waitForText(page, '[data-testid="players"] li:nth-child(2)', /Bot/);
  await page.getByRole('button', { name: 'Start round' }).click();
  if (mode === 'pick') {
    const secret = page.getByLabel('Secret number for the others');
    await secret.fill('73');
    await secret.press('Enter');
  }
  // In race the bot finds the secret by itself; in pick it is the only guesser.
}

/**
 * The page checks the reveal against the commitment it was given when the round started; the
 * relays sit between the page and a real server, one passing everything as is, one covering up
 * a changed secret with a reveal that is consistent with itself.
 */
describe('the page\u2019s fair-play check, against an honest and a lying server', { skip: noBrowser }, () => {
  const fixture = browserAndServer(['--seed', '11', '--bot-delay-ms', '10']);
  let liar: Relay;
  let straight: Relay;
  before(async () => {
    [liar, straight] = await Promise.all([webRelay(fixture.server.port, swapSecret), webRelay(fixture.server.port, honest)]);
  });
  after(async () => {
    await Promise.all([liar.close(), straight.close()]);
  });

  for (const mode of ['solo', 'race', 'pick'] as const) {
    it(`${mode}: a secret swapped together with its commitment at round_end does NOT match`, async () => {
      const { page } = await openPlayer(fixture.browser, `http://127.0.0.1:${liar.port}/`);
      await playRound(page, mode);
      const verdict = await waitForText(page, VERDICT, /Fair|WARNING/);
      assert.match(verdict, SWAPPED);
      assert.doesNotMatch(verdict, /Fair|matches/);
      assert.equal(await page.locator(`${VERDICT}.bad`).count(), 1, 'shown as a failure');
      await waitForText(page, ANNOUNCE, SWAPPED);
      await page.context().close();
    });

    it(`${mode}: the honest reveal matches the commitment announced at round_start`, async () => {
      const { page, errors } = await openPlayer(fixture.browser, `http://127.0.0.1:${straight.port}/`);
      await playRound(page, mode);
      const verdict = await waitForText(page, VERDICT, /Fair|WARNING/);
      assert.match(verdict, FAIR);
      assert.equal(await page.locator(`${VERDICT}.good`).count(), 1);
      assert.deepEqual(errors, []);
      await page.context().close();
    });
  }

  for (const [relay, expected] of [['lying', SWAPPED], ['honest', FAIR]] as const) {
    it(`reloaded between rounds, shows the last reveal again, checked against the commitment it saw before the reload (${relay} server)`, async () => {
      const port = relay === 'lying' ? liar.port : straight.port;
      const { page } = await openPlayer(fixture.browser, `http://127.0.0.1:${port}/`);
      await playRound(page, 'race');
      const before = await waitForText(page, VERDICT, /Fair|WARNING/);
      assert.match(before, expected);
      await page.reload();
      // The snapshot between rounds carries the reveal; the commitment comes from before the reload.
      assert.equal(await waitForText(page, VERDICT, /Fair|WARNING/), before);
      await page.context().close();
    });

    it(`checks against the commitment of the snapshot it resumed into after a reload (${relay} server)`, async () => {
      const port = relay === 'lying' ? liar.port : straight.port;
      const { page } = await openPlayer(fixture.browser, `http://127.0.0.1:${port}/`);
      await page.getByRole('button', { name: 'Play solo' }).click();
      await page.getByLabel('Your guess').fill('0');
      await page.getByLabel('Your guess').press('Enter');
      await waitForText(page, '[data-testid="attempts"]', /^1$/);
      // The reloaded page never sees this round's round_start: only the room snapshot of its resume.
      await page.reload();
      await waitForText(page, '[data-testid="attempts"]', /^1$/);
      await binarySearch(page, RANGE);
      assert.match(await waitForText(page, VERDICT, /Fair|WARNING/), expected);
      await page.context().close();
    });
  }
});

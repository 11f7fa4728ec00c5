import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ANNOUNCE, binarySearch, browserAndServer, noBrowser, openPlayer, openRecorded, PHONE, waitForText } from './helpers/browser.js';

const DESKTOP = { width: 1280, height: 800 };

/** The problem the page shows for `field`: the text of the element its aria-describedby names, and whether it is marked invalid. */
async function problemOf(page: Page, label: string): Promise<{ text: string; invalid: string | null }> {
  const field = page.getByLabel(label, { exact: true });
  const described = await field.getAttribute('aria-describedby');
  assert.ok(described !== null, `${label} points at its problem`);
  return { text: (await page.locator(`[id="${described}"]`).textContent()) ?? '', invalid: await field.getAttribute('aria-invalid') };
}

describe('small frictions of the page', { skip: noBrowser }, () => {
  const fixture = browserAndServer(['--bot-delay-ms', '50']);

  for (const [label, viewport] of [['on a phone', PHONE], ['on a desktop', DESKTOP]] as const) {
    it(`says next to the guess field what is wrong with a guess, naming the range, and sends nothing, ${label}`, async () => {
      const { page, errors, sent } = await openRecorded(fixture.browser, `${fixture.base}/`, viewport);
      await page.getByLabel('Secret number').selectOption({ label: '1 to 1,000' });
      await page.getByRole('button', { name: 'Play solo' }).click();
      const field = page.getByLabel('Your guess');
      await field.waitFor();
      await field.press('Enter');
      assert.deepEqual(await problemOf(page, 'Your guess'), { text: 'Your guess is empty. Pick a number from 1 to 1000.', invalid: 'true' });
      await field.fill('  ');
      await page.getByRole('button', { name: 'Guess', exact: true }).click();
      assert.equal((await problemOf(page, 'Your guess')).text, 'Your guess is empty. Pick a number from 1 to 1000.');
      await field.fill('abc');
      await field.press('Enter');
      assert.deepEqual(await problemOf(page, 'Your guess'), { text: 'abc is not a whole number. Pick a number from 1 to 1000.', invalid: 'true' });
      assert.equal(await field.inputValue(), 'abc', 'what was typed stays, to be corrected');
      assert.equal(await page.locator('#problem').textContent(), '', 'nothing at the top of the page');
      assert.deepEqual(sent.filter((frame) => frame.includes('"guess"')), [], 'nothing sent');
      await field.fill('500');
      await field.press('Enter');
      await waitForText(page, ANNOUNCE, /^500: /);
      assert.deepEqual(await problemOf(page, 'Your guess'), { text: '', invalid: null });
      assert.equal(await field.inputValue(), '');
      assert.deepEqual(errors, []);
      await page.context().close();
    });

    it(`says next to the secret field what is wrong with a pick, naming the range, ${label}`, async () => {
      const { page, errors } = await openRecorded(fixture.browser, `${fixture.base}/`, viewport);
      await page.getByLabel('Computer player').selectOption('weak');
      await page.getByRole('button', { name: 'Create pick room' }).click();
      await page.getByRole('button', { name: 'Start round' }).click();
      const field = page.getByLabel('Secret number for the others');
      await field.press('Enter');
      assert.deepEqual(await problemOf(page, 'Secret number for the others'), { text: 'The secret is empty. Pick a number from 1 to 100.', invalid: 'true' });
      await field.fill('500');
      await field.press('Enter');
      assert.equal((await problemOf(page, 'Secret number for the others')).text, '500 is outside the range. Pick a number from 1 to 100.');
      await field.fill('5.5');
      await field.press('Enter');
      assert.equal((await problemOf(page, 'Secret number for the others')).text, '5.5 is not a whole number. Pick a number from 1 to 100.');
      await field.fill('42');
      await field.press('Enter');
      await waitForText(page, '[data-testid="round-status"]', /The secret was 42\.$/);
      assert.deepEqual(errors, []);
      await page.context().close();
    });

    it(`takes the title to the landing page, which offers the way back to the room, ${label}`, async () => {
      const ada = await openPlayer(fixture.browser, `${fixture.base}/`, viewport);
      await ada.page.getByLabel('Your name').fill('Ada');
      await ada.page.getByRole('button', { name: 'Create race room' }).click();
      const code = await waitForText(ada.page, '[data-testid="room-code"]', /^[A-Z0-9]{4,}$/);
      const bob = await openPlayer(fixture.browser, `${fixture.base}/r/${code}`, viewport);
      await bob.page.getByLabel('Your name').fill('Bob');
      await bob.page.getByRole('button', { name: 'Join room' }).click();
      await waitForText(ada.page, '[data-testid="players"]', /Bob/);

      await ada.page.getByRole('link', { name: 'Guess the number' }).click();
      await ada.page.getByRole('button', { name: 'Play solo' }).waitFor();
      assert.equal(new URL(ada.page.url()).pathname, '/');
      const back = ada.page.getByRole('button', { name: `Back to room ${code}` });
      await bob.page.getByRole('button', { name: 'Start round' }).click();
      await back.click();
      assert.equal(new URL(ada.page.url()).pathname, `/r/${code}`);
      await waitForText(ada.page, '[data-testid="round-status"]', /^Guess a number from 1 to 100\.$/);
      assert.match((await ada.page.getByTestId('players').textContent()) ?? '', /Ada[^]*Bob/, 'the same seat, in the round Bob started meanwhile');

      await ada.page.getByRole('link', { name: 'Guess the number' }).click();
      await ada.page.goBack();
      await ada.page.getByLabel('Your guess').waitFor();
      assert.equal(new URL(ada.page.url()).pathname, `/r/${code}`, "the browser's Back returns to the room");

      await ada.page.getByRole('link', { name: 'Guess the number' }).click();
      await ada.page.getByRole('button', { name: 'Play solo' }).click();
      await waitForText(ada.page, '.room-head h2', /^Solo game$/);
      await waitForText(bob.page, ANNOUNCE, /^Ada left\.$/);
      assert.equal(await ada.page.locator('#problem').textContent(), '', 'the room held is left first: no "already in a room"');
      await ada.page.getByRole('link', { name: 'Guess the number' }).click();
      await ada.page.getByRole('button', { name: 'Back to your solo game' }).click();
      await ada.page.getByLabel('Your guess').waitFor();
      assert.deepEqual([...ada.errors, ...bob.errors], []);
      await Promise.all([ada.page.context().close(), bob.page.context().close()]);
    });

    it(`wraps the commitment and the salt inside their card, ${label}`, async () => {
      const { page, errors } = await openPlayer(fixture.browser, `${fixture.base}/`, viewport);
      await page.getByRole('button', { name: 'Play solo' }).click();
      await binarySearch(page, { min: 1, max: 100 });
      const salt = await waitForText(page, '[data-testid="salt"]', /^[0-9a-f]{32}$/);
      assert.equal(salt.length, 32);
      // Then with the browser's text twice as large, as a player who needs it would set it.
      for (const size of ['', '200%']) {
        const widths = await page.evaluate<{ card: number[]; page: number[] }>(`(() => {
          const card = document.querySelector('.fairness');
          const root = document.documentElement;
          root.style.fontSize = '${size}';
          return { card: [card.scrollWidth, card.clientWidth], page: [root.scrollWidth, root.clientWidth] };
        })()`);
        const [cardScroll = 0, cardClient = 0] = widths.card;
        const [pageScroll = 0, pageClient = 0] = widths.page;
        assert.ok(cardScroll <= cardClient, `the card does not overflow at text size ${size || '100%'}: ${JSON.stringify(widths)}`);
        assert.ok(pageScroll <= pageClient, `the page does not scroll sideways at text size ${size || '100%'}: ${JSON.stringify(widths)}`);
      }
      assert.deepEqual(errors, []);
      await page.context().close();
    });
  }
});

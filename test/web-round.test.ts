import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ANNOUNCE, binarySearch, browserAndServer, noBrowser, openPlayer, PHONE, waitForText } from './helpers/browser.js';
import { JsonClient } from './helpers/json-client.js';

const RANGE = { min: 1, max: 100 };
const DESKTOP = { width: 1280, height: 800 };
const PLAYERS = '[data-testid="players"]';
const STATUS = '[data-testid="round-status"]';
/** The text the guess field shows while it is empty. */
const placeholder = async (page: Page): Promise<string> => (await page.getByLabel('Your guess').getAttribute('placeholder')) ?? '';
const focusedText = async (page: Page): Promise<string> => String(await page.evaluate('document.activeElement?.textContent ?? ""'));
const seat = (page: Page, name: string) => page.locator(`${PLAYERS} li.seat`).filter({ hasText: name });

describe('a finished round stays, and everyone sees the others play', { skip: noBrowser }, () => {
  const fixture = browserAndServer();

  /** Wins a solo round and checks that all of it is still on screen, waiting for the player. */
  async function winAndSeeItStay(page: Page, round: number): Promise<void> {
    const guesses = await binarySearch(page, RANGE);
    const secret = guesses.at(-1);
    const next = page.getByRole('button', { name: 'Next round' });
    await next.waitFor();
    assert.equal(await focusedText(page), 'Next round', 'the Next round button has the focus');
    assert.equal(await page.getByTestId('round-status').textContent(), `You win! The secret was ${secret}.`);
    assert.equal(await page.getByTestId('attempts').textContent(), String(guesses.length), 'the attempts stay');
    assert.equal(await page.locator('[data-testid="history"] li').count(), guesses.length, 'the history stays');
    assert.equal(await page.locator('svg.chart').count(), 1, 'the chart stays');
    const verdict = await page.getByTestId('verdict').textContent();
    assert.match(verdict ?? '', new RegExp(`^Fair: sha256\\(${secret} \u2016 salt\\) matches the commitment announced when round ${round} started\\.$`));
    assert.equal(await page.getByLabel('Your guess').isDisabled(), true);
    assert.doesNotMatch(await placeholder(page), /(-?\d+) to \1$/, 'a disabled field never shows a range of one number');
  }

  async function seeRoundStartFresh(page: Page, round: number): Promise<void> {
    await waitForText(page, ANNOUNCE, new RegExp(`^Round ${round}: guess a number from 1 to 100\\.$`));
    assert.equal(await page.getByTestId('round-status').textContent(), 'Guess a number from 1 to 100.');
    assert.equal(await page.getByTestId('attempts').textContent(), '0');
    assert.equal(await page.locator('[data-testid="history"] li').count(), 0);
    assert.equal(await page.locator('svg.chart').count(), 0);
    assert.equal(await placeholder(page), '1 to 100');
    assert.equal(await page.locator('input[name="guess"]:focus').count(), 1, 'the guess field has the focus again');
  }

  for (const [label, viewport] of [['on a phone', PHONE], ['on a desktop', DESKTOP]] as const) {
    it(`keeps a solo win on screen until Next round, by Enter then by click (${label})`, async () => {
      const { page, errors } = await openPlayer(fixture.browser, `${fixture.base}/`, viewport);
      await page.getByRole('button', { name: 'Play solo' }).click();
      await page.getByLabel('Your guess').waitFor();
      await winAndSeeItStay(page, 1);
      await page.keyboard.press('Enter');
      await seeRoundStartFresh(page, 2);
      await winAndSeeItStay(page, 2);
      await page.getByRole('button', { name: 'Next round' }).click();
      await seeRoundStartFresh(page, 3);
      assert.equal(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), true, 'no sideways scrolling');
      assert.deepEqual(errors, []);
      await page.context().close();
    });
  }

  it('shows each racer every number the others guess, as they guess it, and keeps the finished round', async () => {
    const ada = await openPlayer(fixture.browser, `${fixture.base}/`, DESKTOP);
    const bob = await openPlayer(fixture.browser, `${fixture.base}/`);
    await ada.page.getByLabel('Your name').fill('Ada');
    await ada.page.getByRole('button', { name: 'Create race room' }).click();
    const link = await waitForText(ada.page, '[data-testid="room-link"]', /\/r\//);
    await bob.page.goto(link);
    await bob.page.getByLabel('Your name').fill('Bob');
    await bob.page.getByRole('button', { name: 'Join room' }).click();
    await waitForText(ada.page, PLAYERS, /Bob/);
    await ada.page.getByRole('button', { name: 'Start round' }).click();
    await waitForText(bob.page, STATUS, /Guess a number from 1 to 100/);
    // Outside the range: always the same hint, so the test knows each answer before it comes.
    const guess = async (page: Page, value: number): Promise<void> => {
      await page.getByLabel('Your guess').fill(String(value));
      await page.getByLabel('Your guess').press('Enter');
      await waitForText(page, ANNOUNCE, new RegExp(`^${value}: `));
    };
    await guess(bob.page, 0);
    await waitForText(ada.page, '[data-testid="heard"]', /^Bob: 0 is too small\.$/);
    await guess(bob.page, -5);
    await waitForText(ada.page, '[data-testid="heard"]', /^Bob: -5 is too small\.$/);
    assert.deepEqual(await seat(ada.page, 'Bob').locator('ol li').allTextContents(), ['0 too small', '-5 too small']);
    assert.equal(await ada.page.getByTestId('heard').getAttribute('aria-live'), 'polite', 'screen readers hear the others play');
    await guess(ada.page, 101);
    await waitForText(bob.page, '[data-testid="heard"]', /^Ada: 101 is too big\.$/);
    assert.deepEqual(await seat(bob.page, 'Ada').locator('ol li').allTextContents(), ['101 too big']);
    assert.deepEqual(await seat(bob.page, 'Bob').locator('ol li').allTextContents(), ['0 too small', '-5 too small'], 'your own numbers are in your row too');
    await ada.page.getByLabel('Your guess').focus();
    await ada.page.screenshot({ path: 'dist/test/race-everyones-numbers.png', fullPage: true });

    const guesses = await binarySearch(ada.page, RANGE);
    const secret = guesses.at(-1);
    await waitForText(bob.page, '[data-testid="heard"]', /^Ada found it!/);
    assert.equal(await waitForText(bob.page, STATUS, /wins/), `Ada wins. The secret was ${secret}.`);
    assert.deepEqual(await seat(bob.page, 'Ada').locator('ol li').last().textContent(), 'found it!');
    assert.equal(await bob.page.locator('[data-testid="history"] li').count(), 2, "Bob's history stays after Ada's win");
    await waitForText(bob.page, '[data-testid="verdict"]', /^Fair: /);
    assert.equal(await focusedText(bob.page), 'Rematch');
    assert.doesNotMatch(await placeholder(bob.page), /(-?\d+) to \1$/);
    assert.doesNotMatch(await placeholder(ada.page), /(-?\d+) to \1$/, "the winner's field does not read N to N");
    assert.equal(await bob.page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), true, 'no sideways scrolling on a phone');
    await bob.page.getByRole('button', { name: 'Rematch' }).click();
    await waitForText(ada.page, ANNOUNCE, /Round 2/);
    assert.equal(await seat(ada.page, 'Bob').locator('ol li').count(), 0, 'a new round starts with empty lists');
    assert.deepEqual([...ada.errors, ...bob.errors], []);
    await Promise.all([ada.page.context().close(), bob.page.context().close()]);
  });

  it('lets the picker watch every guess, from a tab and from a terminal', async () => {
    const ada = await openPlayer(fixture.browser, `${fixture.base}/`);
    const bob = await openPlayer(fixture.browser, `${fixture.base}/`);
    await ada.page.getByLabel('Your name').fill('Ada');
    await ada.page.getByRole('button', { name: 'Create pick room' }).click();
    const code = await waitForText(ada.page, '[data-testid="room-code"]', /^[A-Z0-9]{4,}$/);
    await bob.page.getByLabel('Your name').fill('Bob');
    await bob.page.getByLabel('Room code').fill(code);
    await bob.page.getByRole('button', { name: 'Join room' }).click();
    const cy = await JsonClient.hello(fixture.server.port, 'Cy');
    try {
      await cy.ask({ type: 'join', code }, 'room');
      await waitForText(ada.page, PLAYERS, /Bob[^]*Cy/);
      await ada.page.getByRole('button', { name: 'Start round' }).click();
      const secret = ada.page.getByLabel('Secret number for the others');
      await secret.fill('73');
      await secret.press('Enter');
      await cy.next('round_start');
      cy.send({ type: 'guess', value: 90 });
      await waitForText(ada.page, '[data-testid="heard"]', /^Cy: 90 is too big\.$/);
      await bob.page.getByLabel('Your guess').fill('50');
      await bob.page.getByLabel('Your guess').press('Enter');
      await waitForText(ada.page, '[data-testid="heard"]', /^Bob: 50 is too small\.$/);
      cy.send({ type: 'guess', value: 73 });
      await waitForText(ada.page, '[data-testid="heard"]', /^Cy found it!/);
      assert.deepEqual(await seat(ada.page, 'Cy').locator('ol li').allTextContents(), ['90 too big', 'found it!']);
      assert.deepEqual(await seat(ada.page, 'Bob').locator('ol li').allTextContents(), ['50 too small']);
      assert.equal(await ada.page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), true, 'no sideways scrolling on a phone');
      assert.deepEqual([...ada.errors, ...bob.errors], []);
    } finally {
      cy.tcp.close();
      await Promise.all([ada.page.context().close(), bob.page.context().close()]);
    }
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ANNOUNCE, binarySearch, browserAndServer, noBrowser, openPlayer, waitForText } from './helpers/browser.js';
import { startServer } from './helpers/server.js';

const RANGE = { min: 1, max: 100 };

describe('playing in the browser', { skip: noBrowser }, () => {
  const fixture = browserAndServer();

  async function createRoom(page: Page, name: string, mode: 'race' | 'pick'): Promise<{ code: string; link: string }> {
    await page.getByLabel('Your name').fill(name);
    await page.getByRole('button', { name: `Create ${mode} room` }).click();
    const code = await waitForText(page, '[data-testid="room-code"]', /^[A-Z0-9]{4,}$/);
    const link = (await page.getByTestId('room-link').textContent()) ?? '';
    return { code, link };
  }

  async function joinByLink(page: Page, link: string, code: string, name: string): Promise<void> {
    await page.goto(link);
    assert.equal(await waitForText(page, '[data-testid="room-code"]', /./), code, 'the joiner sees the room code');
    await page.getByLabel('Your name').fill(name);
    await page.getByRole('button', { name: 'Join room' }).click();
    await page.getByLabel('Your guess').waitFor();
  }

  it('plays a whole solo game from / with one click, announcing each answer', async () => {
    const { page, errors } = await openPlayer(fixture.browser, `${fixture.base}/`);
    await page.getByRole('button', { name: 'Create race room' }).waitFor();
    await page.getByRole('button', { name: 'Play solo' }).click();
    const field = page.getByLabel('Your guess');
    await field.waitFor();
    assert.equal(await page.locator('input[name="guess"]:focus').count(), 1, 'the guess field has the focus');
    await field.fill('abc');
    await field.press('Enter');
    await waitForText(page, '[data-testid="guess-error"]', /^abc is not a whole number\. Pick a number from 1 to 100\.$/);
    const guesses = await binarySearch(page, RANGE);
    assert.ok(guesses.length <= 7);
    await waitForText(page, ANNOUNCE, /You win! The secret was \d+\./);
    assert.deepEqual(errors, [], 'a normal game leaves the console clean');
    await page.context().close();
  });

  it('plays by keyboard alone, from the first Tab', async () => {
    const { page, errors } = await openPlayer(fixture.browser, `${fixture.base}/`);
    await page.getByRole('button', { name: 'Play solo' }).waitFor();
    const focused = async (): Promise<string> => String(await page.evaluate('document.activeElement?.textContent ?? ""'));
    for (let presses = 0; presses < 5 && (await focused()) !== 'Play solo'; presses++) await page.keyboard.press('Tab');
    assert.equal(await focused(), 'Play solo', 'Tab reaches "Play solo" right after the page title');
    await page.keyboard.press('Enter');
    await page.locator('input[name="guess"]:focus').waitFor();
    await page.keyboard.type('50');
    await page.keyboard.press('Enter');
    // A win is announced as the round's end (a secret of 50 comes one game in a hundred).
    await waitForText(page, ANNOUNCE, /^(50: (Too small!|Too big!)|You win! The secret was 50\.)/);
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('races two tabs through a shared link, with live progress and a rematch', async () => {
    const ada = await openPlayer(fixture.browser, `${fixture.base}/`);
    const bob = await openPlayer(fixture.browser, `${fixture.base}/`);
    const { code, link } = await createRoom(ada.page, 'Ada', 'race');
    assert.equal(link, `${fixture.base}/r/${code}`);
    assert.equal(new URL(ada.page.url()).pathname, `/r/${code}`);
    await joinByLink(bob.page, link, code, 'Bob');
    await waitForText(ada.page, '[data-testid="players"]', /Bob/);
    assert.equal(await ada.page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), true, 'no sideways scrolling on a phone');
    await ada.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: fixture.base });
    await ada.page.getByRole('button', { name: 'Copy link' }).click();
    await waitForText(ada.page, ANNOUNCE, /Link copied/);
    assert.equal(await ada.page.evaluate('navigator.clipboard.readText()'), link);
    await ada.page.getByRole('button', { name: 'Start round' }).click();
    await waitForText(bob.page, '[data-testid="round-status"]', /Guess a number from 1 to 100/);
    await bob.page.getByLabel('Your guess').fill('0');
    await bob.page.getByLabel('Your guess').press('Enter');
    await waitForText(ada.page, '[data-player]:nth-child(2)', /Bob.*1 guess/);
    const guesses = await binarySearch(ada.page, RANGE);
    await waitForText(bob.page, '[data-testid="round-status"]', /Ada wins/);
    await waitForText(bob.page, '[data-testid="players"]', new RegExp(`Ada.*${guesses.length} guess`));
    await bob.page.getByRole('button', { name: 'Rematch' }).click();
    await waitForText(ada.page, ANNOUNCE, /Round 2/);
    await waitForText(bob.page, '[data-testid="attempts"]', /^0$/);
    assert.deepEqual([...ada.errors, ...bob.errors], []);
    await Promise.all([ada.page.context().close(), bob.page.context().close()]);
  });

  it('races the computer when asked to add one', async () => {
    const { page, errors } = await openPlayer(fixture.browser, `${fixture.base}/`);
    await page.getByLabel('Your name').fill('Ada');
    await page.getByLabel('Computer player').selectOption('binary');
    await page.getByRole('button', { name: 'Create race room' }).click();
    // The server's computer player joins as "Bot".
    await waitForText(page, '[data-testid="players"] li:nth-child(2)', /Bot/);
    await page.getByRole('button', { name: 'Start round' }).click();
    await waitForText(page, '[data-testid="players"] li:nth-child(2)', /[1-9] guess/);
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('plays a pick round and shows that the reveal opens the commitment', async () => {
    const ada = await openPlayer(fixture.browser, `${fixture.base}/`);
    const bob = await openPlayer(fixture.browser, `${fixture.base}/`);
    const { code } = await createRoom(ada.page, 'Ada', 'pick');
    await bob.page.getByLabel('Your name').fill('Bob');
    await bob.page.getByLabel('Room code').fill(code.toLowerCase());
    await bob.page.getByRole('button', { name: 'Join room' }).click();
    await waitForText(ada.page, '[data-testid="players"]', /Bob/);
    await ada.page.getByRole('button', { name: 'Start round' }).click();
    const secret = ada.page.getByLabel('Secret number for the others');
    await secret.fill('73');
    await secret.press('Enter');
    await waitForText(bob.page, '.commitment', /^[0-9a-f]{64}$/);
    const guesses = await binarySearch(bob.page, RANGE);
    assert.equal(guesses.at(-1), 73);
    const verdict = await waitForText(bob.page, '[data-testid="verdict"]', /Fair|WARNING/);
    assert.equal(verdict, 'Fair: sha256(73 \u2016 salt) matches the commitment announced when round 1 started.');
    assert.deepEqual([...ada.errors, ...bob.errors], []);
    await Promise.all([ada.page.context().close(), bob.page.context().close()]);
  });

  it('resumes the game after a reload in the middle of it', async () => {
    const { page, errors } = await openPlayer(fixture.browser, `${fixture.base}/`);
    await page.getByRole('button', { name: 'Play solo' }).click();
    const field = page.getByLabel('Your guess');
    // Guesses below the range are always "Too small!" and still count: no round ends by luck.
    for (const [attempts, value] of [[1, 0], [2, -1]] as const) {
      await field.fill(String(value));
      await field.press('Enter');
      await waitForText(page, '[data-testid="attempts"]', new RegExp(`^${attempts}$`));
    }
    await page.reload();
    await waitForText(page, '[data-testid="attempts"]', /^2$/);
    assert.equal(await page.locator('[data-testid="history"] li').count(), 2);
    await page.getByLabel('Your guess').fill('-2');
    await page.getByLabel('Your guess').press('Enter');
    await waitForText(page, '[data-testid="attempts"]', /^3$/);
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('hands a seat between two tabs only when the player asks, never to and fro by itself', async () => {
    const first = await openPlayer(fixture.browser, `${fixture.base}/`);
    await first.page.getByRole('button', { name: 'Play solo' }).click();
    await first.page.getByLabel('Your guess').fill('0');
    await first.page.getByLabel('Your guess').press('Enter');
    await waitForText(first.page, '[data-testid="attempts"]', /^1$/);
    // A duplicated tab starts with a copy of the first tab's sessionStorage, token included.
    const token = String(await first.page.evaluate('sessionStorage.getItem("guess.token")'));
    const context = await fixture.browser.newContext();
    await context.addInitScript(`sessionStorage.setItem("guess.token", ${JSON.stringify(token)})`);
    const second = await context.newPage();
    await second.goto(`${fixture.base}/`);
    await waitForText(second, '[data-testid="attempts"]', /^1$/);
    await first.page.getByRole('button', { name: 'Play in this tab' }).waitFor();
    assert.equal(await second.getByRole('button', { name: 'Play in this tab' }).isVisible(), false);
    await first.page.getByRole('button', { name: 'Play in this tab' }).click();
    await second.getByRole('button', { name: 'Play in this tab' }).waitFor();
    await waitForText(first.page, '#status', /^Connected$/);
    await first.page.getByLabel('Your guess').fill('0');
    await first.page.getByLabel('Your guess').press('Enter');
    await waitForText(first.page, '[data-testid="attempts"]', /^2$/);
    assert.deepEqual(first.errors, []);
    await Promise.all([first.page.context().close(), context.close()]);
  });

  it('says when the server is gone, reconnects by itself, and starts over when the seat did not survive', async () => {
    const own = await startServer();
    const { page, errors } = await openPlayer(fixture.browser, `http://127.0.0.1:${own.port}/`);
    await page.getByRole('button', { name: 'Play solo' }).click();
    await page.getByLabel('Your guess').waitFor();
    await own.stop();
    await waitForText(page, '#status', /Reconnecting/);
    assert.equal(await page.getByLabel('Your guess').isDisabled(), true, 'no guessing into a dead connection');
    await waitForText(page, '[data-testid="round-status"]', /Disconnected/);
    const again = await startServer(['--port', String(own.port)]);
    try {
      await waitForText(page, '#status', /^Connected$/);
      // A restarted server has forgotten every seat: the page says so and offers a new game.
      await waitForText(page, '#problem', /no longer has your previous game/);
      await page.getByRole('button', { name: 'Play solo' }).click();
      await page.getByLabel('Your guess').fill('0');
      await page.getByLabel('Your guess').press('Enter');
      await waitForText(page, '[data-testid="attempts"]', /^1$/);
    } finally {
      await again.stop();
    }
    // The browser logs failed WebSocket reconnections itself while the server is down; nothing else.
    assert.deepEqual(errors.filter((error) => !/WebSocket connection to .* failed/.test(error)), []);
    await page.context().close();
  });

  it('shows a name made of markup as plain text', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    const ada = await openPlayer(fixture.browser, `${fixture.base}/`);
    const bob = await openPlayer(fixture.browser, `${fixture.base}/`);
    let dialogs = 0;
    for (const page of [ada.page, bob.page]) page.on('dialog', (dialog) => void dialog.dismiss().then(() => dialogs++));
    const { code, link } = await createRoom(ada.page, evil, 'race');
    await joinByLink(bob.page, link, code, 'Bob');
    const names = await bob.page.locator('[data-testid="players"] .name').allTextContents();
    assert.deepEqual(names, [evil, 'Bob']);
    assert.equal(await bob.page.locator('[data-testid="players"] img').count(), 0);
    assert.equal(dialogs, 0);
    await Promise.all([ada.page.context().close(), bob.page.context().close()]);
  });
});

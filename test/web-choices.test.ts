import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import qrcode from 'qrcode-generator';
import { binarySearch, browserAndServer, noBrowser, openPlayer, PHONE, waitForText } from './helpers/browser.js';

const DESKTOP = { width: 1280, height: 800 };

describe('choices on the landing page', { skip: noBrowser }, () => {
  const fixture = browserAndServer(['--bot-delay-ms', '50']);

  for (const [label, viewport] of [['on a phone', PHONE], ['on a desktop', DESKTOP]] as const) {
    it(`creates a room with numbers from 1 to 1,000 and shows the range, ${label}`, async () => {
      const { page, errors } = await openPlayer(fixture.browser, `${fixture.base}/`, viewport);
      await page.getByLabel('Secret number').selectOption({ label: '1 to 1,000' });
      await page.getByRole('button', { name: 'Create race room' }).click();
      await waitForText(page, '[data-testid="range"]', /^Numbers from 1 to 1,000$/);
      await page.getByRole('button', { name: 'Start round' }).click();
      await waitForText(page, '[data-testid="round-status"]', /^Guess a number from 1 to 1000\.$/);
      assert.equal(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), true, 'no sideways scrolling');
      assert.deepEqual(errors, []);
      await page.context().close();
    });

    it(`plays solo over a custom range, ${label}`, async () => {
      const { page, errors } = await openPlayer(fixture.browser, `${fixture.base}/`, viewport);
      await page.getByLabel('Secret number').selectOption({ label: 'Custom…' });
      await page.getByLabel('From').fill('-20');
      await page.getByLabel('To').fill('20');
      await page.getByRole('button', { name: 'Play solo' }).click();
      await waitForText(page, '[data-testid="range"]', /^Numbers from -20 to 20$/);
      await waitForText(page, '[data-testid="round-status"]', /^Guess a number from -20 to 20\.$/);
      const guesses = await binarySearch(page, { min: -20, max: 20 });
      assert.ok(guesses.length <= 6, `found within 6 guesses: ${guesses.join(', ')}`);
      assert.deepEqual(errors, []);
      await page.context().close();
    });

    it(`names the problem of a custom range next to its field, ${label}`, async () => {
      const { page, errors } = await openPlayer(fixture.browser, `${fixture.base}/`, viewport);
      await page.getByLabel('Secret number').selectOption({ label: 'Custom…' });
      await page.getByLabel('From').fill('500');
      await page.getByLabel('To').fill('10');
      await page.getByRole('button', { name: 'Play solo' }).click();
      const to = page.getByLabel('To');
      const described = await to.getAttribute('aria-describedby');
      assert.ok(described !== null, 'the To field points at its error');
      assert.equal(await page.locator(`[id="${described}"]`).textContent(), 'To (10) must not be below From (500).');
      assert.equal(await to.getAttribute('aria-invalid'), 'true');
      assert.equal(await page.locator('input[name="max"]:focus').count(), 1, 'the field at fault has the focus');
      assert.equal(await page.getByTestId('min-error').textContent(), '', 'From is fine');
      await page.getByLabel('From').fill('ten');
      await page.getByRole('button', { name: 'Create race room' }).click();
      assert.equal(await page.getByTestId('min-error').textContent(), 'From must be a whole number, like 1.');
      assert.equal(await page.getByRole('button', { name: 'Play solo' }).count(), 1, 'still on the landing page');
      assert.deepEqual(errors, []);
      await page.context().close();
    });
  }

  for (const [level, name, viewport] of [['binary', 'Bot', PHONE], ['medium', 'Medium bot', DESKTOP], ['weak', 'Weak bot', PHONE]] as const) {
    it(`seats a ${level} computer player by its name, and it asks for the pace chosen`, async () => {
      // The page's connection opens with the page: watch its frames from before it loads.
      const { page, errors } = await openPlayer(fixture.browser, 'about:blank', viewport);
      const creates: unknown[] = [];
      page.on('websocket', (socket) =>
        socket.on('framesent', (frame) => {
          if (String(frame.payload).includes('"create"')) creates.push(JSON.parse(String(frame.payload)));
        }),
      );
      await page.goto(`${fixture.base}/`);
      await page.getByLabel('Computer player').selectOption(level);
      await page.getByLabel('Its pace').selectOption({ label: 'Quick (a guess every 0.3 s)' });
      await page.getByRole('button', { name: 'Create race room' }).click();
      await waitForText(page, '[data-testid="players"] li:nth-child(2) .name', new RegExp(`^${name}$`));
      assert.deepEqual(creates, [{ type: 'create', mode: 'race', bot: level, botDelayMs: 300 }]);
      await page.getByRole('button', { name: 'Start round' }).click();
      await waitForText(page, '[data-testid="players"] li:nth-child(2)', /[1-9] guess/);
      assert.deepEqual(errors, []);
      await page.context().close();
    });
  }

  for (const [label, viewport] of [['on a phone', PHONE], ['on a desktop', DESKTOP]] as const) {
    it(`watches a room from its link, every guess and no guess box, ${label}`, async () => {
      const ada = await openPlayer(fixture.browser, `${fixture.base}/`, viewport);
      await ada.page.getByLabel('Your name').fill('Ada');
      await ada.page.getByRole('button', { name: 'Create race room' }).click();
      const link = await waitForText(ada.page, '[data-testid="room-link"]', /\/r\//);
      const eve = await openPlayer(fixture.browser, link, viewport);
      await eve.page.getByRole('button', { name: 'Watch' }).click();
      await waitForText(eve.page, '[data-testid="round-status"]', /^You are watching/);
      await waitForText(eve.page, '[data-testid="players"]', /Ada/);
      await ada.page.getByRole('button', { name: 'Start round' }).click();
      await waitForText(eve.page, '[data-testid="range"]', /Numbers from 1 to 100/);
      await ada.page.getByLabel('Your guess').fill('0');
      await ada.page.getByLabel('Your guess').press('Enter');
      await waitForText(eve.page, '[data-player] .moves', /0 too small/);
      await waitForText(eve.page, '[data-testid="round-status"]', /^You are watching\.$/);
      assert.equal(await eve.page.locator('input[name="guess"]').count(), 0, 'a spectator has no guess box');
      assert.equal(await eve.page.getByRole('button', { name: 'Start round' }).count(), 0);
      assert.equal(await ada.page.locator('[data-player]').count(), 1, 'the spectator takes no seat');
      assert.deepEqual(eve.errors, []);
      assert.deepEqual(ada.errors, []);
      await eve.page.context().close();
      await ada.page.context().close();
    });
  }

  for (const [label, viewport] of [['on a phone', PHONE], ['on a desktop', DESKTOP]] as const) {
    it(`shows a QR code of the room link, module for module, ${label}`, async () => {
      const { page, errors } = await openPlayer(fixture.browser, `${fixture.base}/`, viewport);
      await page.getByRole('button', { name: 'Create pick room' }).click();
      const link = await waitForText(page, '[data-testid="room-link"]', /\/r\//);
      const svg = page.getByRole('img', { name: `QR code of the room link ${link}` });
      await svg.waitFor();
      const drawn = await page.evaluate<string[]>(
        `[...document.querySelectorAll('svg.qr rect.qr-dark')].map((rect) => rect.getAttribute('x') + ',' + rect.getAttribute('y'))`,
      );
      const qr = qrcode(0, 'M');
      qr.addData(link);
      qr.make();
      const count = qr.getModuleCount();
      assert.equal(await svg.getAttribute('data-modules'), String(count));
      const expected: string[] = [];
      for (let row = 0; row < count; row++) for (let col = 0; col < count; col++) if (qr.isDark(row, col)) expected.push(`${col + 4},${row + 4}`);
      assert.deepEqual(drawn, expected, 'the drawn modules are those of the exact room link');
      const box = await svg.boundingBox();
      assert.ok(box !== null && box.width >= 150 && Math.abs(box.width - box.height) < 1, `a square big enough to scan: ${JSON.stringify(box)}`);
      assert.equal(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), true, 'no sideways scrolling');
      assert.deepEqual(errors, []);
      await page.context().close();
    });
  }
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ANNOUNCE, browserAndServer, noBrowser, openPlayer, waitForText } from './helpers/browser.js';

const HUGE = `9${'0'.repeat(399)}`;

describe('integers of any size typed into the page', { skip: noBrowser }, () => {
  // A range of one number: the secret is always 7.
  const fixture = browserAndServer(['--min', '7', '--max', '7']);

  it('sends them as typed: each is answered, counted, and the game goes on', async () => {
    const { page, errors } = await openPlayer(fixture.browser, `${fixture.base}/`);
    const sent: string[] = [];
    page.on('websocket', (socket) => socket.on('framesent', (frame) => sent.push(String(frame.payload))));
    await page.getByRole('button', { name: 'Play solo' }).click();
    const field = page.getByLabel('Your guess');
    await field.waitFor();
    const answers: Array<[string, RegExp]> = [
      // Echoed as ±2^53, shown as typed.
      ['9007199254740993', /^9007199254740993: Too big!/],
      [`-${HUGE}`, /^-900000000000…000000 \[400 digits\]: Too small!/],
      [HUGE, /^900000000000…000000 \[400 digits\]: Too big!/],
    ];
    for (const [typed, answer] of answers) {
      await field.fill(typed);
      await field.press('Enter');
      await waitForText(page, ANNOUNCE, answer);
    }
    await page.getByTestId('history').locator('li').nth(2).waitFor();
    assert.deepEqual(await page.getByTestId('history').locator('li').allTextContents(), [
      '9007199254740993: too big',
      '-900000000000…000000 [400 digits]: too small',
      '900000000000…000000 [400 digits]: too big',
    ]);
    await field.fill('7');
    await field.press('Enter');
    await waitForText(page, ANNOUNCE, /You win! The secret was 7\./);
    assert.doesNotMatch(await page.locator('body').innerText(), /not a whole number/);
    // What went on the wire: the digits as typed, in a JSON number.
    assert.deepEqual(
      sent.filter((frame) => frame.includes('"guess"')),
      ['9007199254740993', `-${HUGE}`, HUGE, '7'].map((typed) => `{"type":"guess","value":${typed}}`),
    );
    assert.deepEqual(errors, []);
    await page.context().close();
  });
});

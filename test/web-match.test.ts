import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { binarySearch, browserAndServer, noBrowser, openPlayer, openRecorded, PHONE, roomOfTwo, waitForText } from './helpers/browser.js';

const RANGE = { min: 1, max: 100 };
const DESKTOP = { width: 1280, height: 800 };

describe('a match in the browser', { skip: noBrowser }, () => {
  const fixture = browserAndServer();

  it('ends a pick match of two players after each picked once, names the winner to both, and New match starts afresh', async () => {
    const ada = await openPlayer(fixture.browser, `${fixture.base}/`, DESKTOP);
    const bob = await openPlayer(fixture.browser, `${fixture.base}/`);
    await roomOfTwo({ page: ada.page, name: 'Ada' }, { page: bob.page, name: 'Bob' }, 'pick');

    const played: Record<string, number> = {};
    for (const [picker, guesser, secret] of [[ada, bob, 73], [bob, ada, 40]] as const) {
      await picker.page.getByRole('button', { name: /Start round|Rematch/ }).click();
      const field = picker.page.getByLabel('Secret number for the others');
      await field.fill(String(secret));
      await field.press('Enter');
      await waitForText(guesser.page, '.commitment', /^[0-9a-f]{64}$/);
      played[guesser === ada ? 'Ada' : 'Bob'] = (await binarySearch(guesser.page, RANGE)).length;
      if (secret === 73) {
        await guesser.page.getByRole('button', { name: 'Rematch' }).waitFor();
        assert.equal(await guesser.page.getByTestId('match').count(), 0, 'no match result after the first of two rounds');
      }
    }
    const [adaGuesses = 0, bobGuesses = 0] = [played.Ada, played.Bob];
    const winner = adaGuesses < bobGuesses ? 'Ada' : adaGuesses > bobGuesses ? 'Bob' : undefined;
    for (const [player, me] of [[ada, 'Ada'], [bob, 'Bob']] as const) {
      const line = await waitForText(player.page, '[data-testid="match"]', /Match over/);
      const expected = winner === undefined ? 'a tie between Ada and Bob.'.replace(me, 'you') : winner === me ? 'you win the match!' : `${winner} wins the match!`;
      assert.equal(line, `Match over after 2 rounds: ${expected}`);
      const standings = (await player.page.getByTestId('players').textContent()) ?? '';
      assert.match(standings, new RegExp(`Ada.*${adaGuesses} guesses in 1 round.*Bob.*${bobGuesses} guesses in 1 round`), 'the final standings');
    }
    await bob.page.getByRole('button', { name: 'New match' }).click();
    await ada.page.getByLabel('Secret number for the others').waitFor();
    assert.equal(await ada.page.getByTestId('match').count(), 0, 'the result goes when the new match begins');
    assert.doesNotMatch((await ada.page.getByTestId('players').textContent()) ?? '', /in 1 round/, 'standings start again');
    assert.deepEqual([...ada.errors, ...bob.errors], []);
    await Promise.all([ada.page.context().close(), bob.page.context().close()]);
  });
});

describe('the length of a match, chosen on the landing page and kept over a reload', { skip: noBrowser }, () => {
  const fixture = browserAndServer(['--bot-delay-ms', '50']);
  const plan = (page: Page): Promise<string> => waitForText(page, '[data-testid="match-plan"]', /./);
  const creates = (sent: string[]): unknown[] => sent.filter((frame) => frame.includes('"create"')).map((frame) => JSON.parse(frame) as unknown);

  for (const [label, viewport] of [['on a phone', PHONE], ['on a desktop', DESKTOP]] as const) {
    it(`plays a pick match of 2 rounds against the computer, round by round, and keeps its result over a reload, ${label}`, async () => {
      const { page, errors, sent } = await openRecorded(fixture.browser, `${fixture.base}/`, viewport);
      await page.getByLabel('Computer player').selectOption('binary');
      await page.getByLabel('Pick: rounds per match').fill('2');
      await page.getByRole('button', { name: 'Create pick room' }).click();
      assert.equal(await plan(page), 'A match of 2 rounds');
      assert.deepEqual(creates(sent), [{ type: 'create', mode: 'pick', bot: 'binary', rounds: 2 }]);
      await page.getByRole('button', { name: 'Start round' }).click();
      await page.getByLabel('Secret number for the others').fill('40');
      assert.equal(await plan(page), 'Round 1 of 2');
      await page.getByLabel('Secret number for the others').press('Enter');
      await waitForText(page, '[data-testid="round-status"]', /The secret was 40\.$/);
      assert.equal(await plan(page), 'Round 1 of 2', 'the round just played');
      assert.equal(await page.getByTestId('match').count(), 0);
      await page.getByRole('button', { name: 'Rematch' }).click();
      await page.getByLabel('Your guess').waitFor();
      await waitForText(page, '[data-testid="match-plan"]', /^Round 2 of 2$/);
      await binarySearch(page, RANGE);
      const result = await waitForText(page, '[data-testid="match"]', /^Match over after 2 rounds: /);
      const scores = async (): Promise<string[]> => ((await page.getByTestId('players').textContent()) ?? '').match(/\d+ guess(es)? in \d+ rounds?/g) ?? [];
      const standings = await scores();
      assert.equal(standings.length, 2);
      await page.reload();
      assert.equal(await waitForText(page, '[data-testid="match"]', /Match over/), result, 'the result stays after a reload');
      assert.equal(await plan(page), 'Round 2 of 2');
      assert.deepEqual(await scores(), standings, 'and the final standings');
      await page.getByRole('button', { name: 'New match' }).click();
      await page.getByLabel('Secret number for the others').waitFor();
      assert.equal(await plan(page), 'Round 1 of 2', 'a new match of the same length');
      assert.deepEqual(errors, []);
      await page.context().close();
    });

    it(`races first to 3, and a reload brings back everyone's numbers of the round, ${label}`, async () => {
      const ada = await openRecorded(fixture.browser, `${fixture.base}/`, viewport);
      await ada.page.getByLabel('Race: wins that end a match').fill('3');
      const bob = await openPlayer(fixture.browser, `${fixture.base}/`, viewport);
      await roomOfTwo({ page: ada.page, name: 'Ada' }, { page: bob.page, name: 'Bob' }, 'race');
      assert.deepEqual(creates(ada.sent), [{ type: 'create', mode: 'race', firstTo: 3 }]);
      assert.equal(await plan(ada.page), 'First to 3 wins');
      assert.equal(await plan(bob.page), 'First to 3 wins', 'a player who joins is told too');
      await ada.page.getByRole('button', { name: 'Start round' }).click();
      // Outside the range: always the same hint, so the test knows each answer before it comes.
      for (const [player, value] of [[bob, 0], [bob, -5], [ada, 101]] as const) {
        await player.page.getByLabel('Your guess').fill(String(value));
        await player.page.getByLabel('Your guess').press('Enter');
        await waitForText(player === ada ? bob.page : ada.page, '[data-testid="heard"]', new RegExp(`: ${value} is`));
      }
      const moves = (page: Page, name: string): Promise<string[]> => page.locator('[data-player]').filter({ hasText: name }).locator('ol li').allTextContents();
      await ada.page.reload();
      await waitForText(ada.page, '[data-testid="round-status"]', /^Guess a number from 1 to 100\.$/);
      assert.deepEqual(await moves(ada.page, 'Bob'), ['0 too small', '-5 too small'], "Bob's numbers, back after the reload");
      assert.deepEqual(await moves(ada.page, 'Ada'), ['101 too big']);
      assert.equal(await plan(ada.page), 'First to 3 wins');
      await binarySearch(bob.page, RANGE);
      await waitForText(ada.page, '[data-testid="round-status"]', /^Bob wins\./);
      const seen = await moves(ada.page, 'Bob');
      assert.equal(seen.at(-1), 'found it!');
      await ada.page.reload();
      // The snapshot between rounds says how the round ended: the winner and the secret come back too.
      await waitForText(ada.page, '[data-testid="round-status"]', /^Bob wins\. The secret was \d+\./);
      assert.deepEqual(await moves(ada.page, 'Bob'), seen, "Bob's numbers of the finished round, as Ada saw them");
      assert.deepEqual([...ada.errors, ...bob.errors], []);
      await Promise.all([ada.page.context().close(), bob.page.context().close()]);
    });

    it(`names a match length it cannot use next to its field, and creates nothing, ${label}`, async () => {
      const { page, errors, sent } = await openRecorded(fixture.browser, `${fixture.base}/`, viewport);
      await page.getByLabel('Pick: rounds per match').fill('0');
      await page.getByRole('button', { name: 'Create pick room' }).click();
      const rounds = page.getByLabel('Pick: rounds per match');
      assert.equal(await page.locator(`[id="${await rounds.getAttribute('aria-describedby')}"]`).textContent(), 'Rounds must be a whole number from 1 to 100, or empty.');
      assert.equal(await rounds.getAttribute('aria-invalid'), 'true');
      assert.equal(await page.locator('input[name="rounds"]:focus').count(), 1, 'the field at fault has the focus');
      await page.getByLabel('Race: wins that end a match').fill('three');
      await page.getByRole('button', { name: 'Create race room' }).click();
      assert.equal(await page.getByTestId('firstTo-error').textContent(), 'Wins must be a whole number from 1 to 100, or empty.');
      assert.equal(await page.getByTestId('rounds-error').textContent(), '', 'a race does not read the rounds of a pick match');
      assert.deepEqual(creates(sent), []);
      await page.getByLabel('Race: wins that end a match').fill('');
      await page.getByRole('button', { name: 'Create race room' }).click();
      await page.getByRole('button', { name: 'Start round' }).waitFor();
      assert.deepEqual(creates(sent), [{ type: 'create', mode: 'race' }], 'empty: the server decides');
      assert.equal(await page.getByTestId('match-plan').count(), 0, 'a race without end says nothing of one');
      assert.deepEqual(errors, []);
      await page.context().close();
    });
  }
});

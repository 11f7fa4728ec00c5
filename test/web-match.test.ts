import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { binarySearch, browserAndServer, noBrowser, openPlayer, roomOfTwo, waitForText } from './helpers/browser.js';

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

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Leaderboard } from '../src/core/leaderboard.js';
import { CSV_HEADER } from '../src/server/results-csv.js';
import { ANNOUNCE, binarySearch, browserAndServer, noBrowser, openPlayer, PHONE } from './helpers/browser.js';
import { tempDir } from './helpers/db-files.js';
import { JsonClient } from './helpers/json-client.js';
import { parseCsv } from './helpers/csv.js';

const DESKTOP = { width: 1280, height: 800 };
// Names a page or a spreadsheet must not take for markup or a formula.
const NAMES = ['Ada', '<b>Bo</b>', '=1+2'];

/**
 * A server on a file where each of three players has won a race round; the HTTP routes and the
 * page are read from it as a teacher (or a spreadsheet, or a browser) would.
 */
describe('who won, over HTTP and in the page', { timeout: 60_000 }, () => {
  const dir = tempDir();
  const fixture = browserAndServer(['--db', dir.file('games.db')]);
  const clients: JsonClient[] = [];
  after(() => {
    for (const client of clients) client.close();
    dir.remove();
  });
  const get = (path: string): Promise<Response> => fetch(`${fixture.base}${path}`);

  before(async () => {
    for (const name of NAMES) clients.push(await JsonClient.hello(fixture.server.port, name));
    const [host, ...guests] = clients as [JsonClient, ...JsonClient[]];
    const { code } = await host.ask({ type: 'create', mode: 'race' }, 'room');
    for (const guest of guests) await guest.ask({ type: 'join', code }, 'room');
    // Each wins one round in turn; the others do not guess, and see the round end.
    for (const winner of clients) {
      host.send({ type: 'start' });
      await Promise.all(clients.map((c) => c.next('round_start')));
      const end = await winner.binarySearch(1, 100);
      assert.equal(end.winner?.id, winner.player);
      await Promise.all(clients.filter((c) => c !== winner).map((c) => c.next('round_end')));
    }
  });

  it('GET /api/leaderboard: JSON naming every player who won a race round', async () => {
    const response = await get('/api/leaderboard');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const board = (await response.json()) as Leaderboard;
    assert.deepEqual(board.players.raceWins.map((l) => [l.rank, l.name, l.wins, l.rounds]), [
      [1, '<b>Bo</b>', 1, 3],
      [1, '=1+2', 1, 3],
      [1, 'Ada', 1, 3],
    ]);
    const race = (await (await get('/api/leaderboard?mode=race&period=today&min=1')).json()) as Leaderboard;
    assert.deepEqual([race.mode, race.period, race.minRounds], ['race', 'today', 1]);
    assert.deepEqual(race.players.efficiency.map((l) => l.name).sort(), [...NAMES].sort());
    const pick = (await (await get('/api/leaderboard?mode=pick')).json()) as Leaderboard;
    assert.deepEqual(pick.players.raceWins, []);
  });

  it('a query it does not know is 400 with one line saying what is allowed', async () => {
    for (const [query, words] of [
      ['mode=chess', 'mode must be race, pick, solo or all'],
      ['period=year', 'period must be today, 7d or all'],
      ['min=0', 'min must be a whole number of rounds, 1 or more'],
    ] as const) {
      const response = await get(`/api/leaderboard?${query}`);
      assert.equal(response.status, 400, query);
      assert.equal(await response.text(), `${words}\n`);
    }
  });

  it('GET /api/results.csv: a header row, then one row per player per finished round, names safe in a spreadsheet', async () => {
    const response = await get('/api/results.csv');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const [header, ...rows] = parseCsv(await response.text());
    assert.deepEqual(header, [...CSV_HEADER]);
    assert.equal(rows.length, 3 * NAMES.length);
    const name = CSV_HEADER.indexOf('name');
    const won = CSV_HEADER.indexOf('won');
    assert.deepEqual(
      rows.filter((row) => row[won] === 'yes').map((row) => row[name]),
      ['Ada', '<b>Bo</b>', "'=1+2"],
    );
  });

  for (const [label, viewport] of [['on a desktop', DESKTOP], ['on a phone', PHONE]] as const) {
    it(`GET /leaderboard shows the same names without JavaScript, ${label}`, { skip: noBrowser }, async () => {
      const context = await fixture.browser.newContext({ viewport, javaScriptEnabled: false });
      try {
        const page = await context.newPage();
        const response = await page.goto(`${fixture.base}/leaderboard`);
        assert.ok(response !== null);
        assert.equal(response.status(), 200);
        assert.match(response.headers()['content-type'] ?? '', /^text\/html/);
        const raceTable = page.locator('section[aria-label="People"] table', { hasText: 'Race rounds won' });
        const names = await raceTable.locator('tbody th[scope="row"]').allTextContents();
        assert.deepEqual(names, ['<b>Bo</b>', '=1+2', 'Ada']);
        assert.equal(await page.locator('b').count(), 0, 'a name is text, never markup');
        assert.match((await page.locator('main').textContent()) ?? '', /an honour system/);
        // The histogram: a picture with a sentence, and its table; the three race rounds each found once, by people.
        const figure = page.locator('figure.histogram');
        assert.match((await figure.locator('figcaption').textContent()) ?? '', /1\.\.100 \(binary search needs at most 7\)/);
        assert.match((await figure.locator('svg[role="img"]').getAttribute('aria-label')) ?? '', /of 3 rounds found by people and 0 of 0 by bots took at most 7 attempts/);
        const counts = await figure.locator('table tbody td:nth-of-type(1)').allTextContents();
        assert.equal(counts.reduce((sum, count) => sum + Number(count), 0), 3);
        assert.deepEqual((await page.getByTestId('per-player').locator('tbody th').allTextContents()).sort(), [...NAMES].sort());
        // Each found its one round within the bound: a full bar, said in words too.
        assert.deepEqual(await page.getByTestId('per-player').locator('tbody td.share').allTextContents(), ['1 100%', '1 100%', '1 100%']);
        assert.equal(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), true, 'no sideways scrolling');
        // The filters are links, so they work without a script.
        await page.getByRole('link', { name: '7 days' }).click();
        assert.match(page.url(), /\/leaderboard\?mode=all&period=7d$/);
        assert.equal(await page.locator('[aria-current="page"]', { hasText: '7 days' }).count(), 1);
      } finally {
        await context.close();
      }
    });
  }

  it('the landing page links to it, and so does the end of a round', { skip: noBrowser }, async () => {
    const { page, errors } = await openPlayer(fixture.browser, `${fixture.base}/`);
    const link = page.getByRole('link', { name: 'Leaderboard: who won' });
    assert.equal(await link.getAttribute('href'), '/leaderboard');
    await page.getByRole('button', { name: 'Play solo' }).click();
    await page.getByLabel('Your guess').waitFor();
    assert.equal(await page.getByTestId('leaderboard-link').count(), 0, 'not during a round');
    await binarySearch(page, { min: 1, max: 100 });
    await page.locator(ANNOUNCE, { hasText: /You win!/ }).waitFor();
    const after = page.getByRole('link', { name: 'Leaderboard: who won' });
    assert.equal(await after.getAttribute('href'), '/leaderboard');
    const [tab] = await Promise.all([page.context().waitForEvent('page'), after.click()]);
    await tab.locator('h2', { hasText: 'Leaderboard' }).waitFor();
    assert.deepEqual(errors, []);
    await page.context().close();
  });
});

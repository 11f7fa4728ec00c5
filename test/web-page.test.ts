import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, noBrowser, openPlayer } from './helpers/browser.js';
import { startServer, type RunningServer } from './helpers/server.js';

describe('the web page', { skip: noBrowser }, () => {
  let server: RunningServer;
  let browser: Browser;
  before(async () => {
    [server, browser] = await Promise.all([startServer(['--seed', '7']), launchBrowser()]);
  });
  after(async () => {
    await browser.close();
    await server.stop();
  });

  it('loads from / with its actions as real buttons and a clean console', async () => {
    const { page, errors } = await openPlayer(browser, `http://127.0.0.1:${server.port}/`);
    await page.getByRole('button', { name: 'Play solo' }).waitFor();
    await page.getByRole('button', { name: 'Create race room' }).waitFor();
    assert.deepEqual(errors, []);
    await page.context().close();
  });
});

import { existsSync } from 'node:fs';
import { after, before } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startServer, type RunningServer } from './server.js';

/** Debian's Chromium; .ci/run installs it with apt-get when it is missing. */
export const CHROMIUM = '/usr/bin/chromium';

/** For `describe(..., { skip })`: false when the browser is there, else the reason it is not. */
export const noBrowser: string | false = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium; .ci/run does) to run the browser tests`;

/**
 * One headless browser per test file; each player gets its own context (its own
 * sessionStorage, like a separate tab of a separate person). Playwright gives every launch a
 * fresh, temporary profile directory.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface BrowserFixture {
  readonly server: RunningServer;
  readonly browser: Browser;
  /** `http://127.0.0.1:PORT` of the server. */
  readonly base: string;
}

/**
 * For a describe block: a real `guess serve` and one headless browser, started together
 * before its tests and stopped after them. Read the fields inside the tests.
 */
export function browserAndServer(args: readonly string[] = []): BrowserFixture {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  before(async () => {
    [server, browser] = await Promise.all([startServer(args), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the browser fixture is used before its before() hook ran');
    return value;
  };
  return {
    get server() {
      return ready(server);
    },
    get browser() {
      return ready(browser);
    },
    get base() {
      return `http://127.0.0.1:${ready(server).port}`;
    },
  };
}

/** A phone's screen, the default for the players of these tests. */
export const PHONE = { width: 390, height: 844 };

/** A new page in its own context, with every console error and uncaught exception collected. */
export async function openPlayer(browser: Browser, url: string, viewport = PHONE): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport });
  // Every wait in these tests is for an event that comes within milliseconds when things work.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') errors.push(`console.${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()}`));
  await page.goto(url);
  return { page, errors };
}

/** Like openPlayer, with every WebSocket frame the page sends recorded in `sent` (its connection opens as it loads). */
export async function openRecorded(browser: Browser, url: string, viewport = PHONE): Promise<{ page: Page; errors: string[]; sent: string[] }> {
  const { page, errors } = await openPlayer(browser, 'about:blank', viewport);
  const sent: string[] = [];
  page.on('websocket', (socket) => socket.on('framesent', (frame) => sent.push(String(frame.payload))));
  await page.goto(url);
  return { page, errors, sent };
}

/** Waits until the element matching `selector` has text that `pattern` matches; returns that text. */
export async function waitForText(page: Page, selector: string, pattern: RegExp, timeoutMs?: number): Promise<string> {
  const match = page.locator(selector).filter({ hasText: pattern }).first();
  await match.waitFor(timeoutMs === undefined ? undefined : { timeout: timeoutMs });
  return (await match.textContent()) ?? '';
}

export const ANNOUNCE = '[data-testid="announce"]';

/**
 * Plays one round to the win by binary search, typing into the field named "Your guess" and
 * reading each answer from the live region. Returns the guesses made.
 */
export async function binarySearch(page: Page, range: { min: number; max: number }): Promise<number[]> {
  let { min, max } = range;
  const guesses: number[] = [];
  const field = page.getByLabel('Your guess');
  while (min <= max && guesses.length < 64) {
    const value = Math.floor((min + max) / 2);
    guesses.push(value);
    await field.fill(String(value));
    await field.press('Enter');
    const text = await waitForText(page, ANNOUNCE, new RegExp(`^${value}: |You win!`));
    if (/You win!/.test(text) || /Exactly/.test(text)) return guesses;
    if (/Too small/.test(text)) min = value + 1;
    else max = value - 1;
  }
  throw new Error(`binary search did not finish: ${guesses.join(', ')}`);
}

/** `host` creates a room of `mode` from the landing page and `guest` joins it by its code; resolves the code. */
export async function roomOfTwo(host: { page: Page; name: string }, guest: { page: Page; name: string }, mode: 'race' | 'pick'): Promise<string> {
  await host.page.getByLabel('Your name').fill(host.name);
  await host.page.getByRole('button', { name: `Create ${mode} room` }).click();
  const code = await waitForText(host.page, '[data-testid="room-code"]', /^[A-Z0-9]{4,}$/);
  await guest.page.getByLabel('Your name').fill(guest.name);
  await guest.page.getByLabel('Room code').fill(code);
  await guest.page.getByRole('button', { name: 'Join room' }).click();
  await waitForText(host.page, '[data-testid="players"]', new RegExp(guest.name));
  return code;
}

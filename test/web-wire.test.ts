import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ANNOUNCE, browserAndServer, noBrowser, openPlayer, waitForText } from './helpers/browser.js';
import { parseSequence } from './helpers/mermaid-grammar.js';

interface Frame {
  readonly kind: 'sent' | 'received';
  readonly text: string;
}

/** Every frame of the page's WebSockets, in order, as the browser's network layer saw it. */
class Frames extends EventEmitter {
  readonly list: Frame[] = [];

  watch(page: Page): void {
    page.on('websocket', (socket) => {
      socket.on('framesent', (frame) => this.#add({ kind: 'sent', text: String(frame.payload) }));
      socket.on('framereceived', (frame) => this.#add({ kind: 'received', text: String(frame.payload) }));
    });
  }

  #add(frame: Frame): void {
    this.list.push(frame);
    this.emit('frame');
  }

  /** Resolves once at least `n` frames have been seen. */
  async atLeast(n: number): Promise<Frame[]> {
    while (this.list.length < n) await once(this, 'frame');
    return this.list;
  }
}

const PANEL = '#wire-panel';

/** What the open panel draws: each arrow's kind and text, in order (the connection's notes left out). */
async function drawn(page: Page): Promise<Frame[]> {
  // The test compiles without the DOM's types: the page runs this text.
  const json = await page.evaluate(`JSON.stringify([...document.querySelectorAll('${PANEL} li[data-kind="sent"], ${PANEL} li[data-kind="received"]')]
    .map((li) => ({ kind: li.getAttribute('data-kind'), text: li.querySelector('code')?.textContent ?? null })))`);
  return JSON.parse(String(json)) as Frame[];
}

/** Guesses `value` and returns the outcome the page announces. */
async function guess(page: Page, value: number): Promise<'low' | 'high' | 'win'> {
  const field = page.getByLabel('Your guess');
  await field.fill(String(value));
  await field.press('Enter');
  const text = await waitForText(page, ANNOUNCE, new RegExp(`^${value}: |You win!`));
  return /You win!|Exactly/.test(text) ? 'win' : /Too small/.test(text) ? 'low' : 'high';
}

describe('the messages, drawn in the page', { skip: noBrowser }, () => {
  const fixture = browserAndServer(['--seed', '16']);

  it('draws a solo game as it is played, exactly as sent and received, with no secret before round_end, and copies it as Mermaid', async () => {
    const { page, errors } = await openPlayer(fixture.browser, 'about:blank');
    const frames = new Frames();
    frames.watch(page);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: fixture.base });
    await page.goto(`${fixture.base}/`);
    const toggle = page.getByRole('button', { name: 'Show the messages' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await page.getByLabel('Secret number').selectOption('1-1000000');
    await page.getByRole('button', { name: 'Play solo' }).click();
    await page.getByLabel('Your guess').waitFor();
    assert.equal(await page.locator(`${PANEL} li`).count(), 0, 'closed, the panel draws nothing');

    // Opened after the game began: what came before is there too, and what follows is added live.
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.equal(await page.locator(PANEL).isVisible(), true);
    let [min, max] = [1, 1_000_000];
    const step = async (): Promise<'low' | 'high' | 'win'> => {
      const value = Math.floor((min + max) / 2);
      const outcome = await guess(page, value);
      if (outcome === 'low') min = value + 1;
      else if (outcome === 'high') max = value - 1;
      return outcome;
    };
    for (let i = 0; i < 3; i++) assert.notEqual(await step(), 'win', 'the seed gives a secret the first guesses miss');
    const shown = await drawn(page);
    assert.deepEqual(shown, await frames.atLeast(shown.length), 'every frame drawn, in order, with its exact text');
    assert.deepEqual(
      shown.map((f) => (JSON.parse(f.text) as { type: string }).type),
      ['hello', 'create', 'welcome', 'room', 'round_start', 'guess', 'result', 'guess', 'result', 'guess', 'result'],
    );
    assert.match(await page.locator(`${PANEL} li`).first().textContent() ?? '', /connection opened/);
    assert.match(await page.locator(`${PANEL} li[data-kind="received"]`).nth(1).locator('.wire-gap').textContent() ?? '', /^\+\d+ ms$|^\+\d+\.\d s$/, 'the time since the previous arrow');

    // Everything the panel says, in both views and copied, before the round ends.
    const diagramText = (await page.locator(PANEL).textContent()) ?? '';
    await page.getByRole('button', { name: 'List view' }).click();
    const listItems = page.locator(`${PANEL} ol.wire-list > li`);
    assert.match((await listItems.nth(1).textContent()) ?? '', /^Sent \+(\d+ ms|\d+\.\d s) \{"type":"hello"/);
    assert.deepEqual(await drawn(page), shown, 'the list view holds the same messages');
    const listText = (await page.locator(PANEL).textContent()) ?? '';
    await page.getByRole('button', { name: 'Copy as Mermaid' }).click();
    await waitForText(page, `${PANEL} [role="status"]`, /^Copied as Mermaid/);
    const mermaid = String(await page.evaluate('navigator.clipboard.readText()'));
    const statements = parseSequence(mermaid);
    assert.deepEqual(
      statements.filter((s) => s.kind === 'message').map((s) => ({ kind: s.from === 'B' ? 'sent' : 'received', text: s.text })),
      shown,
      'the Mermaid text parses, and its arrows are the frames',
    );

    let outcome: string;
    do outcome = await step();
    while (outcome !== 'win');
    const all = await frames.atLeast(frames.list.findIndex((f) => f.text.includes('"type":"round_end"')) + 1);
    const end = all.find((f) => f.text.includes('"type":"round_end"'));
    const secret = String((JSON.parse(end?.text ?? '{}') as { secret?: number }).secret);
    assert.match(secret, /^\d{5,}$/, 'a secret long enough that no time or count on the panel could match it by chance');
    for (const [what, text] of [['the diagram', diagramText], ['the list', listText], ['the Mermaid text', mermaid]] as const) {
      assert.equal(text.includes(secret), false, `${what} did not hold the secret before round_end`);
    }
    await waitForText(page, `${PANEL} li[data-kind="received"]`, /"type":"round_end"/);
    assert.ok(((await page.locator(PANEL).textContent()) ?? '').includes(`"secret":${secret}`), 'after round_end, the same search finds it');
    const after = await drawn(page);
    assert.deepEqual(after, (await frames.atLeast(after.length)).slice(0, after.length));
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('pauses and resumes on a race room page, and draws nothing once closed', async () => {
    const { page, errors } = await openPlayer(fixture.browser, `${fixture.base}/`);
    await page.getByLabel('Your name').fill('Ada');
    await page.getByRole('button', { name: 'Create race room' }).click();
    await waitForText(page, '[data-testid="room-code"]', /^[A-Z0-9]{4,}$/);
    const toggle = page.getByRole('button', { name: 'Show the messages' });
    await toggle.click();
    await page.getByRole('button', { name: 'Start round' }).click();
    await waitForText(page, `${PANEL} li[data-kind="received"]`, /"type":"round_start"/);
    const pause = page.getByRole('button', { name: 'Pause' });
    await pause.click();
    assert.equal(await pause.getAttribute('aria-pressed'), 'true');
    const before = (await drawn(page)).length;
    await guess(page, 50);
    assert.equal((await drawn(page)).length, before, 'paused, the diagram stays as it was');
    await waitForText(page, '[data-testid="wire-count"]', /paused, 2 new/);
    await pause.click();
    const resumed = await drawn(page);
    assert.equal(resumed.length, before + 2);
    assert.deepEqual(resumed.slice(-2).map((f) => f.kind), ['sent', 'received']);
    assert.equal(resumed.at(-2)?.text, '{"type":"guess","value":50}');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await guess(page, 25);
    assert.equal(await page.locator(`${PANEL} li`).count(), 0, 'closed, nothing is drawn');
    assert.equal(await page.locator(PANEL).isVisible(), false);
    assert.deepEqual(errors, []);
    await page.context().close();
  });
});

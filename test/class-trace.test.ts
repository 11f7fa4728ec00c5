import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { quoteText } from '../src/protocol/escape.js';
import { ANNOUNCE, binarySearch, browserAndServer, noBrowser, openPlayer, waitForText } from './helpers/browser.js';
import { classicAsk } from './helpers/classic.js';
import type { RunningServer } from './helpers/server.js';
import { TcpClient } from './helpers/tcp-client.js';

async function teacherKey(server: RunningServer): Promise<string> {
  const link = /\/class\?key=([A-Za-z0-9_-]+)/;
  const match = link.exec(await server.waitFor(link));
  assert.ok(match, `guess serve prints the teacher's link: ${server.output()}`);
  return match[1] ?? '';
}

const TRACE = 'ol.trace > li';
const TIME = String.raw`\d\d:\d\d:\d\d\.\d{3}`;

/** The line `--trace` prints for one message, its clock left as a pattern. */
function traced(peer: string, direction: 'to-server' | 'to-client', text: string): RegExp {
  const escaped = quoteText(text).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const arrow = direction === 'to-server' ? `──${escaped}──▶` : `◀──${escaped}──`;
  return new RegExp(`^${TIME}  client ${peer.replace(/\./g, '\\.')}  ${arrow}  server$`);
}

async function traceLines(page: Page): Promise<string[]> {
  return page.locator(TRACE).allTextContents();
}

/** Every frame of a page's WebSockets, in order, as the browser's network layer saw them. */
class Frames extends EventEmitter {
  readonly list: Array<{ direction: 'to-server' | 'to-client'; text: string }> = [];

  watch(page: Page): void {
    page.on('websocket', (socket) => {
      socket.on('framesent', (frame) => this.#add('to-server', String(frame.payload)));
      socket.on('framereceived', (frame) => this.#add('to-client', String(frame.payload)));
    });
  }

  #add(direction: 'to-server' | 'to-client', text: string): void {
    this.list.push({ direction, text });
    this.emit('frame');
  }
}

describe("a spectator's trace, from the class view", { skip: noBrowser }, () => {
  const fixture = browserAndServer(['--seed', '16']);

  it("shows a classic client's bytes as they pass, without line endings, and ends when it leaves", async () => {
    const key = await teacherKey(fixture.server);
    const student = await TcpClient.connect(fixture.server.port);
    const first = await classicAsk(student, '50');
    assert.match(first, /^Too (small|big)!$/, 'the chapter\u2019s bare reply');
    const peer = `127.0.0.1:${student.socket.localPort ?? 0}`;

    // Refused without the key, with a wrong one, saying nothing of the connection.
    for (const query of [`?peer=${peer}`, `?key=nope&peer=${peer}`, `?key=${key}x&peer=${peer}`]) {
      const response = await fetch(`${fixture.base}/class/trace${query}`);
      assert.equal(response.status, 403, `/class/trace${query} is refused`);
      assert.equal((await response.text()).includes(peer), false);
    }
    assert.equal((await fetch(`${fixture.base}/class/trace?key=${key}&peer=127.0.0.1:1`)).status, 404, 'a connection that is not there');
    const head = await fetch(`${fixture.base}/class/trace?key=${key}&peer=${peer}`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('cache-control'), 'no-store');
    assert.match(head.headers.get('content-type') ?? '', /^text\/html/);

    const teacher = await openPlayer(fixture.browser, `${fixture.base}/class?key=${key}`, { width: 1280, height: 800 });
    const link = teacher.page.locator(`[data-peer="${peer}"] a`);
    assert.equal(await link.textContent(), `classic · ${peer}`);
    await link.click();
    await waitForText(teacher.page, 'h1', new RegExp(`Messages of classic client ${peer.replace(/\./g, '\\.')}`));
    assert.equal(await teacher.page.locator(TRACE).count(), 0, 'only what passes from the moment the page opened');

    const second = await classicAsk(student, '25');
    await teacher.page.locator(TRACE).nth(1).waitFor();
    const lines = await traceLines(teacher.page);
    assert.equal(lines.length, 2);
    assert.match(lines[0] ?? '', traced(peer, 'to-server', '25'), 'the guess exactly as it came, no line ending');
    assert.match(lines[1] ?? '', traced(peer, 'to-client', second), 'the reply exactly as it was sent');

    student.socket.end();
    await waitForText(teacher.page, '.trace-end', /The connection closed\./);
    assert.deepEqual(teacher.errors, []);
    await teacher.page.context().close();
  });

  it("shows a browser player's JSON frames, each as the page sent or received it, with no secret before the player sends it", async () => {
    const key = await teacherKey(fixture.server);
    const { page, errors } = await openPlayer(fixture.browser, 'about:blank');
    const frames = new Frames();
    frames.watch(page);
    await page.goto(`${fixture.base}/`);
    await page.getByLabel('Secret number').selectOption('1-1000000');
    await page.getByRole('button', { name: 'Play solo' }).click();
    await page.getByLabel('Your guess').waitFor();

    const teacher = await openPlayer(fixture.browser, `${fixture.base}/class?key=${key}`, { width: 1280, height: 800 });
    const link = teacher.page.locator('.class-connections a', { hasText: /^WebSocket · / });
    assert.equal(await link.count(), 1, 'the player\u2019s WebSocket, and neither page\u2019s plain HTTP');
    const peer = ((await link.textContent()) ?? '').replace('WebSocket · ', '');
    await link.click();
    await waitForText(teacher.page, 'h1', /Messages of WebSocket client/);
    const before = frames.list.length;

    await binarySearch(page, { min: 1, max: 1_000_000 });
    const secret = /The secret was (\d+)\./.exec(await waitForText(page, ANNOUNCE, /The secret was \d+\./))?.[1] ?? '';
    assert.match(secret, /^\d{5,}$/);
    // The round's end and the next round's start (a solo game goes on) are the last frames.
    await teacher.page.locator(TRACE).filter({ hasText: 'round_start' }).waitFor();
    const seen = frames.list.slice(before);
    const lines = await traceLines(teacher.page);
    assert.equal(lines.length, seen.length, 'one line per frame');
    seen.forEach((frame, i) => assert.match(lines[i] ?? '', traced(peer, frame.direction, frame.text), `frame ${i} exactly, in order`));
    const firstWithSecret = lines.findIndex((line) => line.includes(secret));
    assert.match(lines[firstWithSecret] ?? '', /──"\{\\"type\\":\\"guess\\"/, 'the secret first appears in the guess the player itself sent');
    assert.deepEqual([...errors, ...teacher.errors], []);
    await Promise.all([page.context().close(), teacher.page.context().close()]);
  });
});

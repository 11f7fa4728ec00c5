import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { binarySearch, browserAndServer, noBrowser, openRecorded, waitForText } from './helpers/browser.js';
import { fakeServer, roomLine, welcomeLine } from './helpers/fake-server.js';
import { webRelay, type Relay, type Rewrite } from './helpers/lying-relay.js';
import { spawnRoomCli } from './helpers/room-cli.js';

function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

function line(message: object): string {
  return `${JSON.stringify(message)}\n`;
}

function progress(seq: number, value: number, outcome: 'low' | 'high', attempts: number): string {
  return line({ type: 'progress', seq, player: 'p2', name: 'Bob', outcome, attempts, value });
}

/**
 * A server that numbers its events but, after a resume, sends again one the client said it had
 * handled: the client drops it, so the player reads each event once.
 */
describe('an event handled before the drop and sent again after the resume is not shown twice', { timeout: 60_000 }, () => {
  it('guess join --room: resumes with the number of the last event it handled, and skips the repeat', async () => {
    const resumes: Array<{ token?: string; seq?: number }> = [];
    const fake = await fakeServer((text, socket, connection) => {
      const message = JSON.parse(text) as { type: string; token?: string; seq?: number };
      if (connection === 1 && message.type === 'hello') socket.write(welcomeLine('tok-1'));
      if (connection === 1 && message.type === 'join') {
        const room = { ...(JSON.parse(roomLine()) as object), seq: 1 };
        // The connection dies right after event 2: no goodbye.
        socket.end(`${line(room)}${progress(2, 50, 'low', 1)}`);
      }
      if (connection === 2 && message.type === 'resume') {
        resumes.push(message);
        const welcome = { ...(JSON.parse(welcomeLine('tok-1')) as object), resumed: true, missed: 2 };
        socket.write(`${line(welcome)}${progress(2, 50, 'low', 1)}${progress(3, 75, 'high', 2)}${roomLine()}`);
      }
    });
    const cli = spawnRoomCli(['join', `127.0.0.1:${fake.port}`, '--room', 'ABCDE', '--name', 'Ada']);
    try {
      await cli.expect(/Bob: 75 is too big \(2 guesses\)\n[^]*Room ABCDE/);
      assert.deepEqual(resumes, [{ type: 'resume', v: 1, token: 'tok-1', seq: 2 }]);
      assert.equal(count(cli.out.text(), 'Bob: 50 is too small'), 1, cli.out.text());
    } finally {
      cli.stop();
      await fake.close();
    }
  });
});

describe('the page drops an event it has handled when a server sends it again after the resume', { skip: noBrowser, timeout: 60_000 }, () => {
  const fixture = browserAndServer(['--seed', '5']);
  let relay: Relay;
  /** The last numbered event the page was sent. */
  let last: Record<string, unknown> | undefined;
  let resumed = false;
  let onResumed = (): void => undefined;
  // After the snapshot that answers the resume, the event numbered last before the cut comes again.
  const replayLate: Rewrite = (message) => {
    if (message.type === 'welcome') resumed = message.resumed === true;
    if (typeof message.seq === 'number') last = message;
    if (message.type !== 'room' || typeof message.seq === 'number' || !resumed || last === undefined) return message;
    onResumed();
    return [message, last];
  };
  before(async () => {
    relay = await webRelay(fixture.server.port, replayLate);
  });
  after(() => relay.close());

  it('solo: a guess answered before a cut, or before a reload, shows once, and each resume says the number of the last event handled', async () => {
    const { page, sent } = await openRecorded(fixture.browser, `http://127.0.0.1:${relay.port}/`);
    await page.getByRole('button', { name: 'Play solo' }).click();
    const field = page.getByLabel('Your guess');
    await field.fill('0');
    await field.press('Enter');
    await waitForText(page, '[data-testid="attempts"]', /^1$/);
    const seq = last?.seq;
    assert.equal(last?.type, 'result');
    const back = new Promise<void>((resolve) => (onResumed = resolve));
    relay.cut();
    await back;
    // Frames are read in order: once this guess is answered, the repeat before it has been read.
    await field.fill('1');
    await field.press('Enter');
    await waitForText(page, '[data-testid="attempts"]', /^2$/);
    const history = await page.locator('[data-testid="history"] li').allTextContents();
    assert.deepEqual(history.map((item) => item.split(':')[0]), ['0', '1'], history.join(' | '));
    const beforeReload = last.seq;
    // A reload keeps the number beside the token: the repeat after its resume is dropped too.
    const reloaded = new Promise<void>((resolve) => (onResumed = resolve));
    await page.reload();
    await reloaded;
    await field.fill('2');
    await field.press('Enter');
    await waitForText(page, '[data-testid="attempts"]', /^3$/);
    const again = await page.locator('[data-testid="history"] li').allTextContents();
    assert.deepEqual(again.map((item) => item.split(':')[0]), ['0', '1', '2'], again.join(' | '));
    const resumes = sent.filter((frame) => frame.includes('"resume"')).map((frame) => JSON.parse(frame) as { seq?: number });
    assert.deepEqual(resumes.map((resume) => resume.seq), [seq, beforeReload], 'resume says the number of the last event handled');
    await binarySearch(page, { min: 3, max: 100 });
    await page.context().close();
  });
});

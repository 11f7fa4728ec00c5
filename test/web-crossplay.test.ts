import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ANNOUNCE, binarySearch, browserAndServer, noBrowser, openPlayer, waitForText } from './helpers/browser.js';
import { TcpClient } from './helpers/tcp-client.js';

type Message = Record<string, unknown> & { type: string };

/** Reads JSON lines until one of `type` arrives (others are skipped); bounded by the connection. */
async function next(client: TcpClient, type: string): Promise<Message> {
  for (;;) {
    const message = JSON.parse(await client.nextLine()) as Message;
    if (message.type === type) return message;
    if (message.type === 'error') throw new Error(`server refused: ${JSON.stringify(message)}`);
  }
}

async function terminalPlayer(port: number, name: string): Promise<TcpClient> {
  const client = await TcpClient.connect(port);
  client.send(`${JSON.stringify({ type: 'hello', name })}\n`);
  await next(client, 'welcome');
  return client;
}

describe('a browser and a terminal in one room', { skip: noBrowser }, () => {
  const fixture = browserAndServer();

  it('race: the terminal hosts, the browser joins by link and sees the terminal win', async () => {
    const term = await terminalPlayer(fixture.server.port, 'Tess');
    term.send(`${JSON.stringify({ type: 'create', mode: 'race' })}\n`);
    const code = String((await next(term, 'room')).code);
    const web = await openPlayer(fixture.browser, `${fixture.base}/r/${code}`);
    await waitForText(web.page, '[data-testid="room-code"]', new RegExp(`^${code}$`));
    await web.page.getByLabel('Your name').fill('Wendy');
    await web.page.getByRole('button', { name: 'Join room' }).click();
    assert.equal((await next(term, 'presence')).name, 'Wendy');
    await waitForText(web.page, '[data-testid="players"]', /Tess/);
    term.send(`${JSON.stringify({ type: 'start' })}\n`);
    await next(term, 'round_start');
    await waitForText(web.page, '[data-testid="round-status"]', /Guess a number/);
    await web.page.getByLabel('Your guess').fill('101');
    await web.page.getByLabel('Your guess').press('Enter');
    const progress = await next(term, 'progress');
    assert.equal(progress.name, 'Wendy');
    assert.equal(progress.attempts, 1);
    let [min, max] = [1, 100];
    for (let i = 0; i < 10; i++) {
      const value = Math.floor((min + max) / 2);
      term.send(`${JSON.stringify({ type: 'guess', value })}\n`);
      const result = await next(term, 'result');
      if (result.outcome === 'win') break;
      if (result.outcome === 'low') min = value + 1;
      else max = value - 1;
    }
    await waitForText(web.page, '[data-testid="round-status"]', /Tess wins/);
    await waitForText(web.page, ANNOUNCE, /Tess wins! The secret was \d+/);
    assert.deepEqual(web.errors, []);
    term.close();
    await web.page.context().close();
  });

  it('pick: the browser picks, the terminal guesses and can open the commitment', async () => {
    const web = await openPlayer(fixture.browser, `${fixture.base}/`);
    await web.page.getByLabel('Your name').fill('Wendy');
    await web.page.getByRole('button', { name: 'Create pick room' }).click();
    const code = await waitForText(web.page, '[data-testid="room-code"]', /^[A-Z0-9]{4,}$/);
    const term = await terminalPlayer(fixture.server.port, 'Tess');
    term.send(`${JSON.stringify({ type: 'join', code })}\n`);
    await next(term, 'room');
    await waitForText(web.page, '[data-testid="players"]', /Tess/);
    await web.page.getByRole('button', { name: 'Start round' }).click();
    await web.page.getByLabel('Secret number for the others').fill('12');
    await web.page.getByLabel('Secret number for the others').press('Enter');
    const start = await next(term, 'round_start');
    term.send(`${JSON.stringify({ type: 'guess', value: 50 })}\n`);
    assert.equal((await next(term, 'result')).outcome, 'high');
    await waitForText(web.page, '[data-testid="players"]', /Tess.*1 guess, last too big/);
    term.send(`${JSON.stringify({ type: 'guess', value: 12 })}\n`);
    assert.equal((await next(term, 'result')).outcome, 'win');
    const end = await next(term, 'round_end');
    assert.equal(end.secret, 12);
    assert.equal(end.commitment, start.commitment);
    await waitForText(web.page, '[data-testid="round-status"]', /Tess wins/);
    assert.deepEqual(web.errors, []);
    term.close();
    await web.page.context().close();
  });

  it('solo in the browser while a terminal plays solo on the same port', async () => {
    const web = await openPlayer(fixture.browser, `${fixture.base}/`);
    await web.page.getByRole('button', { name: 'Play solo' }).click();
    const plain = await TcpClient.connect(fixture.server.port);
    assert.match(await plain.ask('50'), /^(Too small!|Too big!|Exactly! You win!)$/);
    await binarySearch(web.page, { min: 1, max: 100 });
    plain.close();
    await web.page.context().close();
  });
});

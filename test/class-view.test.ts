import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import qrcode from 'qrcode-generator';
import WebSocket from 'ws';
import { ANNOUNCE, binarySearch, browserAndServer, noBrowser, openPlayer, roomOfTwo, waitForText } from './helpers/browser.js';
import { joinLink } from '../src/server/class-view.js';
import { JsonClient } from './helpers/json-client.js';
import { runGuess } from './helpers/process.js';
import { startServer, type RunningServer } from './helpers/server.js';

const LINK = /^.*(http:\/\/127\.0\.0\.1:(\d+)\/class\?key=([A-Za-z0-9_-]+)).*$/m;

/** Waits for the line: it may come in a later chunk than "Listening on", which startServer waits for. */
async function teacherLink(server: RunningServer): Promise<{ link: string; key: string }> {
  const match = LINK.exec(await server.waitFor(LINK));
  assert.ok(match, `guess serve prints the teacher's link: ${server.output()}`);
  assert.equal(Number(match[2]), server.port);
  return { link: match[1] ?? '', key: match[3] ?? '' };
}

describe('the class view', { skip: noBrowser }, () => {
  // Seeded: the race's secret has five digits or more, so that a page without it is not one where
  // a short number happens to appear.
  const fixture = browserAndServer(['--seed', '11']);

  it('is refused without the key or with a wrong one, saying nothing of the rooms, and shows every live room with it', async () => {
    const { key } = await teacherLink(fixture.server);
    assert.ok(key.length >= 20, 'a random key long enough not to be guessed');
    const ada = await openPlayer(fixture.browser, `${fixture.base}/`);
    const bob = await openPlayer(fixture.browser, `${fixture.base}/`);
    const cy = await openPlayer(fixture.browser, `${fixture.base}/`);
    // A six-figure secret: nothing else on the class view (counts, times, the range) could match it by chance.
    await ada.page.getByLabel('Secret number').selectOption('1-1000000');
    const race = await roomOfTwo({ page: ada.page, name: 'Ada' }, { page: bob.page, name: 'Bob' }, 'race');
    await cy.page.getByLabel('Your name').fill('Cy');
    await cy.page.getByLabel('Secret number').selectOption('1-1000000');
    await cy.page.getByRole('button', { name: 'Create pick room' }).click();
    const pick = await waitForText(cy.page, '[data-testid="room-code"]', /^[A-Z0-9]{4,}$/);

    for (const query of ['', '?key=', '?key=nope', `?key=${key.slice(0, -1)}`, `?key=${key}x`, `?KEY=${key}`]) {
      const response = await fetch(`${fixture.base}/class${query}`);
      const body = await response.text();
      assert.equal(response.status, 403, `/class${query} is refused`);
      for (const secret of [race, pick, 'Ada', 'Bob', 'Cy']) assert.equal(body.includes(secret), false, `/class${query} says nothing of ${secret}`);
    }

    const response = await fetch(`${fixture.base}/class?key=${key}`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const body = await response.text();
    for (const shown of [race, pick, 'Ada', 'Bob', 'Cy']) assert.ok(body.includes(shown), `the class view shows ${shown}`);

    // In a browser: both rooms, and a guess appears without anyone touching the projector.
    const teacher = await openPlayer(fixture.browser, `${fixture.base}/class?key=${key}`, { width: 1280, height: 800 });
    const raceRoom = `[data-room="${race}"]`;
    await waitForText(teacher.page, raceRoom, /Race room.*Waiting to start/s);
    await waitForText(teacher.page, `[data-room="${pick}"]`, /Pick room.*Cy/s);
    // Where the class joins: this server's address, in words and as a QR code of exactly that link.
    const join = `${fixture.base}/`;
    assert.equal(await teacher.page.locator('.join-link').textContent(), join);
    assert.match((await teacher.page.locator('.class-join').textContent()) ?? '', new RegExp(`npx guess join 127\\.0\\.0\\.1:${fixture.server.port}.*nc 127\\.0\\.0\\.1 ${fixture.server.port}.*Only this computer can reach this address`, 's'));
    const svg = teacher.page.getByRole('img', { name: `QR code to join: ${join}` });
    const qr = qrcode(0, 'M');
    qr.addData(join);
    qr.make();
    const expected: string[] = [];
    for (let row = 0; row < qr.getModuleCount(); row++) for (let col = 0; col < qr.getModuleCount(); col++) if (qr.isDark(row, col)) expected.push(`${col + 4},${row + 4}`);
    const path = (await svg.locator('path.qr-dark').getAttribute('d')) ?? '';
    assert.deepEqual([...path.matchAll(/M(\d+) (\d+)h1v1h-1z/g)].map((m) => `${m[1]},${m[2]}`), expected, 'the drawn modules are those of the join link');
    const box = await svg.boundingBox();
    assert.ok(box !== null && box.width >= 200 && Math.abs(box.width - box.height) < 1, `a square big enough to scan from the back of a room: ${JSON.stringify(box)}`);
    const type = Number.parseFloat(String(await teacher.page.evaluate('getComputedStyle(document.querySelector("td.name")).fontSize')));
    assert.ok(type >= 24, `large type for a projector: ${type}px`);

    // A picked secret is on the server from the pick to the round's end: never on the class view.
    const dan = await JsonClient.hello(fixture.server.port, 'Dan');
    await dan.ask({ type: 'join', code: pick }, 'room');
    await waitForText(cy.page, '[data-testid="players"]', /Dan/);
    await cy.page.getByRole('button', { name: 'Start round' }).click();
    await cy.page.getByLabel('Secret number for the others').fill('654321');
    await cy.page.getByLabel('Secret number for the others').press('Enter');
    await dan.next('round_start');
    await waitForText(teacher.page, `[data-room="${pick}"]`, /Round 1: guessing/);
    const picked = `${await (await fetch(`${fixture.base}/class?key=${key}`)).text()}${(await teacher.page.textContent('body')) ?? ''}`;
    assert.equal(picked.includes('654321'), false, 'no picked secret on the class view while the round is played');
    dan.tcp.close();

    await ada.page.getByRole('button', { name: 'Start round' }).click();
    await waitForText(teacher.page, raceRoom, /Round 1: guessing/);
    await bob.page.getByLabel('Your guess').fill('50');
    await bob.page.getByLabel('Your guess').press('Enter');
    const row = await waitForText(teacher.page, `${raceRoom} tr:has(td.name:text-is("Bob"))`, /^Bob1/);
    assert.equal(row, 'Bob1');
    const during = `${await (await fetch(`${fixture.base}/class?key=${key}`)).text()}${(await teacher.page.textContent('body')) ?? ''}`;
    await ada.page.getByLabel('Your guess').fill('1');
    await ada.page.getByLabel('Your guess').press('Enter');
    await waitForText(teacher.page, `${raceRoom} tr:has(td.name:text-is("Ada"))`, /^Ada1/);
    await binarySearch(bob.page, { min: 1, max: 1_000_000 });
    const secret = /The secret was (\d+)\./.exec(await waitForText(bob.page, ANNOUNCE, /The secret was \d+\./))?.[1] ?? '';
    assert.match(secret, /^\d{5,}$/, 'the seed draws a secret of five digits or more');
    assert.equal(during.includes(secret), false, 'no secret on the class view while the round is played');
    await waitForText(teacher.page, raceRoom, /Round 1 over.*Bob.*found it/s);
    // The standings, leader first: Bob (seat 2) won the round, Ada made a guess and won nothing.
    assert.deepEqual(
      JSON.parse(
        String(
          await teacher.page.evaluate(
            `JSON.stringify([...document.querySelectorAll('${raceRoom} tbody tr')].map((row) => [row.querySelector('.name').textContent, row.querySelector('.score').textContent]))`,
          ),
        ),
      ),
      [
        ['Bob', '1 win'],
        ['Ada', '0 wins'],
      ],
    );
    assert.deepEqual([...ada.errors, ...bob.errors, ...cy.errors, ...teacher.errors], []);
    await Promise.all([ada, bob, cy, teacher].map((p) => p.page.context().close()));
  });

  it('never writes the key to the log at info level, even for a WebSocket asked on /class', async () => {
    const { key } = await teacherLink(fixture.server);
    const socket = new WebSocket(`ws://127.0.0.1:${fixture.server.port}/class?key=${key}`);
    const [error] = (await once(socket, 'error')) as [Error];
    assert.match(error.message, /404/);
    await fixture.server.waitFor(/WebSocket refused/);
    await fetch(`${fixture.base}/class?key=${key}`);
    await fetch(`${fixture.base}/class?key=${key}-wrong`);
    assert.equal(fixture.server.output().split(key).length - 1, 1, 'the key is printed once, in the teacher\u2019s link');
  });

  it('takes the key from --teacher-key, and refuses one too short to keep anyone out', async () => {
    const server = await startServer(['--teacher-key', 'physics-2b_room12', '--log-level', 'debug']);
    try {
      const { key, link } = await teacherLink(server);
      assert.equal(key, 'physics-2b_room12');
      assert.equal((await fetch(link)).status, 200);
      assert.equal((await fetch(link.replace('room12', 'room13'))).status, 403);
      const socket = new WebSocket(link.replace('http:', 'ws:'));
      await once(socket, 'error');
      await server.waitFor(/WebSocket refused/);
      assert.equal(server.output().split(key).length - 1, 1, 'not in the log at debug level either');
    } finally {
      await server.stop();
    }
    const refused = await runGuess(['serve', '--port', '0', '--teacher-key', 'short']);
    assert.equal(refused.code, 2);
    assert.equal(refused.stderr, 'guess: --teacher-key must be 8 to 128 letters, digits, "-" or "_"\n');
  });
});

describe('where the class view says to join', () => {
  it('is the address the teacher reached, or a network address of this machine instead of loopback', () => {
    const lan = ['192.168.1.20', '10.0.0.5'];
    assert.deepEqual(joinLink('192.168.1.20:65432', '0.0.0.0:65432', lan), { link: 'http://192.168.1.20:65432/', onlyHere: false });
    assert.deepEqual(joinLink('lab-pc.local:65432', '0.0.0.0:65432', lan), { link: 'http://lab-pc.local:65432/', onlyHere: false });
    for (const host of ['127.0.0.1:65432', 'localhost:65432', '[::1]:65432']) {
      assert.deepEqual(joinLink(host, '127.0.0.1:65432', lan), { link: 'http://192.168.1.20:65432/', onlyHere: false }, host);
      assert.deepEqual(joinLink(host, '127.0.0.1:65432', []), { link: `http://${host}/`, onlyHere: true }, host);
    }
    assert.deepEqual(joinLink(undefined, '10.0.0.5:8080', []), { link: 'http://10.0.0.5:8080/', onlyHere: false });
    assert.deepEqual(joinLink('not a host', '10.0.0.5:8080', []), { link: 'http://10.0.0.5:8080/', onlyHere: false });
  });
});

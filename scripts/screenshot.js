// `npm run screenshot`: in headless Chromium against a real `guess serve`, saves the landing page
// with its choices filled in as docs/img/web-landing.png, then plays a little of a race room and
// saves the host's page (QR code, everyone's numbers) as docs/img/web-client.png, for the README.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = fileURLToPath(new URL('../docs/img/web-client.png', import.meta.url));
const landingOut = fileURLToPath(new URL('../docs/img/web-landing.png', import.meta.url));
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';

const server = spawn(process.execPath, ['bin/guess.js', 'serve', '--port', '0', '--seed', '11', '--log-level', 'silent'], { cwd: root });
const lines = createInterface({ input: server.stdout });
let port;
for await (const line of lines) {
  const match = /^Listening on .*:(\d+)$/.exec(line);
  if (match) {
    port = Number(match[1]);
    break;
  }
}
const base = `http://127.0.0.1:${port}`;
const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const view = { viewport: { width: 960, height: 820 }, deviceScaleFactor: 1 };
  const cy = await (await browser.newContext(view)).newPage();
  await cy.goto(base);
  await cy.getByLabel('Your name').fill('Cy');
  await cy.getByLabel('Computer player').selectOption('weak');
  await cy.getByLabel('Its pace').selectOption({ label: 'Slow (a guess every 2 s)' });
  await cy.getByLabel('Race: wins that end a match').fill('3');
  await cy.getByLabel('Secret number').selectOption({ label: 'Custom…' });
  await cy.getByLabel('From').fill('1');
  await cy.getByLabel('To').fill('500');
  await cy.getByLabel('Your name').focus();
  await cy.screenshot({ path: landingOut, fullPage: true });
  console.log(`Saved ${landingOut}`);

  const ada = await (await browser.newContext(view)).newPage();
  const bob = await (await browser.newContext()).newPage();
  await ada.goto(base);
  await ada.getByLabel('Your name').fill('Ada');
  await ada.getByLabel('Race: wins that end a match').fill('3');
  await ada.getByRole('button', { name: 'Create race room' }).click();
  const link = await ada.getByTestId('room-link').textContent();
  await bob.goto(link);
  await bob.getByLabel('Your name').fill('Bob');
  await bob.getByRole('button', { name: 'Join room' }).click();
  await ada.getByTestId('players').getByText('Bob').waitFor();
  await ada.getByRole('button', { name: 'Start round' }).click();
  // A few steps of binary search each, so the picture shows a range closing in.
  const play = async (page, steps) => {
    let [min, max] = [1, 100];
    for (let i = 0; i < steps; i++) {
      const value = Math.floor((min + max) / 2);
      await page.getByLabel('Your guess').fill(String(value));
      await page.getByLabel('Your guess').press('Enter');
      const answer = page.getByTestId('announce').getByText(new RegExp(`^${value}: `));
      await answer.waitFor();
      const text = await answer.textContent();
      if (text.includes('small')) min = value + 1;
      else max = value - 1;
    }
  };
  await play(bob, 2);
  await play(ada, 4);
  await ada.getByTestId('players').getByText(/2 guesses/).waitFor();
  await ada.getByLabel('Your guess').focus();
  await ada.screenshot({ path: out, fullPage: true });
  console.log(`Saved ${out}`);
} finally {
  await browser.close();
  server.kill('SIGTERM');
  await once(server, 'close');
}

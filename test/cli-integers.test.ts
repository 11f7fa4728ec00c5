import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ERRORS } from '../src/protocol/errors.js';
import { JsonClient } from './helpers/json-client.js';
import { runGuess } from './helpers/process.js';
import { spawnRoomCli, type RoomCli } from './helpers/room-cli.js';
import { startServer, type RunningServer } from './helpers/server.js';

const PROMPT = 'Please input your guess: ';
const HUGE = `9${'0'.repeat(399)}`;
// What the player types: two integers too big for a double to hold, one too small, then the secret.
const TYPED = ['9007199254740993', HUGE, `-${HUGE}`, '7'];

describe('integers of any size typed into the terminal', { timeout: 30_000 }, () => {
  // A range of one number: the secret is always 7.
  let server: RunningServer;
  const running: RoomCli[] = [];
  before(async () => {
    server = await startServer(['--min', '7', '--max', '7']);
  });
  after(async () => {
    for (const cli of running) cli.stop();
    await server.stop();
  });

  it('guess play answers them and the game goes on', async () => {
    const { code, stdout } = await runGuess(['play', '--min', '7', '--max', '7'], `${TYPED.join('\n')}\nn\n`);
    assert.equal(code, 0);
    const reminder = '(The number is between 7 and 7.)';
    assert.match(
      stdout,
      new RegExp(
        [`${PROMPT}Too big!`, reminder, `${PROMPT}Too big!`, reminder, `${PROMPT}Too small!`, reminder, `${PROMPT}Exactly! You win!`, 'You found it in 4 guesses.']
          .map((line) => line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('\\n'),
      ),
    );
  });

  for (const dialect of [[], ['--classic']]) {
    it(`guess join ${dialect.join(' ') || '(plain)'} sends them as typed, and the game goes on`, async () => {
      const from = server.output().length;
      const { code, stdout, stderr } = await runGuess(['join', `127.0.0.1:${server.port}`, '--trace', ...dialect], `${TYPED.join('\n')}\nn\n`);
      assert.equal(code, 0);
      // The trace shows the bytes sent: the digits as typed, not a rounded number.
      for (const typed of TYPED) assert.ok(stderr.includes(`\u2500\u2500"${typed}${dialect.length === 0 ? '\\n' : ''}"\u2500\u2500\u25b6`), typed.slice(0, 40));
      assert.doesNotMatch(stderr, /^guess:/m);
      // In plain lines join knows the range (it asks), so it reminds of it as play does; --classic cannot ask.
      const reminder = dialect.length === 0 ? '\\n\\(The number is between 7 and 7\\.\\)' : '';
      assert.match(stdout, new RegExp(`${PROMPT}Too big!${reminder}\\n${PROMPT}Too big!${reminder}\\n${PROMPT}Too small!${reminder}\\n${PROMPT}Exactly! You win!\\nYou found it in 4 guesses\\.`));
      const log = await server.waitFor(/"msg":"Disconnected"[^\n]*\n/, from);
      assert.match(log, /"guesses":4/);
    });
  }

  it('guess join --room sends them as typed: answered, counted, and the game goes on', async () => {
    const ada = await JsonClient.hello(server.port, 'Ada');
    const { code } = await ada.ask({ type: 'create', mode: 'race' }, 'room');
    const bob = spawnRoomCli(['join', `127.0.0.1:${server.port}`, '--room', code, '--name', 'Bob', '--trace']);
    running.push(bob);
    await bob.expect(new RegExp(`Room ${code} \\(race, 7\u20137\\): Ada, Bob\\.`));
    ada.send({ type: 'start' });
    await bob.expect(/Round 1: guess the number between 7 and 7!/);
    const answers = [];
    for (const typed of TYPED) {
      const from = bob.out.text().length;
      bob.type(typed);
      // An answer line, or an error (not the trace of the reply, which has the sentence too).
      const answer = /(?:Too big!|Too small!|Exactly! You win!) {2}\([^)\n]*\)|Error: [^\n]*/;
      answers.push(answer.exec(await bob.expect(answer, from))?.[0]);
    }
    assert.deepEqual(answers, [
      // Echoed as ±2^53 (a JSON number every reader takes whole), shown as the player typed it.
      'Too big!  (9007199254740993, guess 1)',
      'Too big!  (900000000000…000000 [400 digits], guess 2)',
      'Too small!  (-900000000000…000000 [400 digits], guess 3)',
      'Exactly! You win!  (7, guess 4)',
    ]);
    const progress = [];
    for (let i = 0; i < 3; i++) progress.push(await ada.next('progress').then((p) => [p.outcome, p.value]));
    assert.deepEqual(progress, [['high', 2 ** 53], ['high', 2 ** 53], ['low', -(2 ** 53)]]);
    assert.doesNotMatch(bob.out.text(), /Error/);
    // The trace shows each guess as sent: the digits as typed, in a JSON number.
    for (const typed of TYPED) assert.ok(bob.out.text().includes(`{\\"type\\":\\"guess\\",\\"value\\":${typed}}`), typed.slice(0, 40));
    ada.close();
  });

  it('guess host --mode pick: a picker who types a huge number is told it is out of range, and picks again', async () => {
    const ada = spawnRoomCli(['host', `127.0.0.1:${server.port}`, '--mode', 'pick', '--name', 'Ada', '--min', '1', '--max', '100']);
    running.push(ada);
    const invitation = await ada.expect(/--room ([A-Z2-9]{5})\n/);
    const code = /--room ([A-Z2-9]{5})/.exec(invitation)?.[1] ?? '';
    const bob = await JsonClient.hello(server.port, 'Bob');
    await bob.ask({ type: 'join', code }, 'room');
    await ada.expect(/Bob joined\./);
    ada.type('');
    await ada.expect(/your turn to pick the secret, 1\u2013100/);
    const from = ada.out.text().length;
    ada.type('9007199254740993');
    ada.type(HUGE);
    ada.type('37');
    const seen = await ada.expect(/You picked 37\./, from);
    assert.equal(seen.split(`Error: ${ERRORS.E_PICK_OUT_OF_RANGE}`).length - 1, 2, seen);
    await bob.next('round_start');
    bob.tcp.send(`{"type":"guess","value":${HUGE}}\n`);
    assert.deepEqual(await bob.next('result').then((r) => [r.outcome, r.attempts]), ['high', 1]);
    bob.close();
  });
});

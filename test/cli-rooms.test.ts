import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { runGuess } from './helpers/process.js';
import { spawnRoomCli, searchInTerminal, type RoomCli } from './helpers/room-cli.js';
import { startServer, type RunningServer } from './helpers/server.js';

describe('guess host and guess join --room', { timeout: 60_000 }, () => {
  let server: RunningServer;
  const running: RoomCli[] = [];
  const spawn = (args: readonly string[]): RoomCli => {
    const cli = spawnRoomCli(args);
    running.push(cli);
    return cli;
  };

  before(async () => {
    server = await startServer(['--seed', '17']);
  });
  after(async () => {
    for (const cli of running) cli.stop();
    await server.stop();
  });

  /** Starts a host, reads the command it prints for the friend, and runs it. */
  async function hostAndFriend(mode: string): Promise<{ ada: RoomCli; bob: RoomCli; code: string }> {
    const ada = spawn(['host', `127.0.0.1:${server.port}`, '--mode', mode, '--name', 'Ada', '--min', '1', '--max', '100']);
    const invitation = await ada.expect(/npx guess join (\S+) --room ([A-Z2-9]{5})\n/);
    const [, address = '', code = ''] = /npx guess join (\S+) --room ([A-Z2-9]{5})/.exec(invitation) ?? [];
    assert.equal(address, `127.0.0.1:${server.port}`);
    const bob = spawn(['join', address, '--room', code, '--name', 'Bob']);
    await bob.expect(new RegExp(`Room ${code} \\(${mode}, 1\u2013100\\): Ada, Bob\\.`));
    await ada.expect(/Bob joined\./);
    return { ada, bob, code };
  }

  /** Types /quit: resolves the exit status, once the goodbye of `guess play` was said last. */
  async function quit(cli: RoomCli): Promise<number | null> {
    const closed = once(cli.child, 'close');
    cli.type('/quit');
    const [code] = (await closed) as [number | null];
    assert.match(cli.out.text(), /\nThanks for playing!\n$/);
    return code;
  }

  it('plays a race: the host starts, the friend sees every guess live, both see the winner and a verified commitment', async () => {
    const { ada, bob } = await hostAndFriend('race');
    ada.type('');
    await Promise.all([ada.expect(/Round 1: guess the number between 1 and 100!/), bob.expect(/Round 1: guess the number between 1 and 100!/)]);
    const guesses = await searchInTerminal(ada, 1, 100);
    await bob.expect(/Ada: 50 is too (small|big) \(1 guess\)/);
    await bob.expect(new RegExp(`Ada found it! \\(${guesses} guess`));
    for (const [cli, winner] of [[ada, 'you win!'], [bob, 'Ada wins!']] as const) {
      const end = await cli.expect(/Round 1 over: .*\n.*\n/);
      assert.ok(end.includes(winner), end);
      assert.match(end, /Fair: sha256\(\d+ \u2016 salt\) matches the commitment/);
    }
    assert.equal(await quit(bob), 0);
    await ada.expect(/Bob left\./);
    assert.equal(await quit(ada), 0);
  });

  it('plays pick: the host picks, the friend guesses and checks the reveal', async () => {
    const { ada, bob } = await hostAndFriend('pick');
    bob.type('');
    await ada.expect(/your turn to pick the secret, 1\u2013100/);
    await bob.expect(/Ada is picking the secret/);
    ada.type('42');
    await ada.expect(/You picked 42\./);
    await bob.expect(/Round 1: guess the number between 1 and 100!/);
    await searchInTerminal(bob, 1, 100);
    const end = await bob.expect(/Round 1 over: you win! The secret was 42\.\n.*\n/);
    assert.match(end, /Fair: sha256\(42 \u2016 salt\) matches/);
    await ada.expect(/Round 1 over: Bob wins! The secret was 42\./);
    ada.type('');
    await bob.expect(/your turn to pick the secret/);
    assert.equal(await quit(ada), 0);
    assert.equal(await quit(bob), 0);
  });

  it('gives each player a name of its own in the room: Bob, Bob (2), Player 1', async () => {
    const host = spawn(['host', `127.0.0.1:${server.port}`, '--mode', 'race', '--name', 'Bob']);
    const [, code = ''] = /--room ([A-Z2-9]{5})/.exec(await host.expect(/--room [A-Z2-9]{5}\n/)) ?? [];
    const twin = spawn(['join', `127.0.0.1:${server.port}`, '--room', code, '--name', 'Bob']);
    assert.match(await twin.expect(new RegExp(`Room ${code} [^\n]*\n`)), new RegExp(`Room ${code} \\(race, 1\u2013100\\): Bob, Bob \\(2\\)\\.`));
    assert.match(await host.expect(/ joined\.\n/), /Bob \(2\) joined\./);
    const nameless = spawn(['join', `127.0.0.1:${server.port}`, '--room', code, '--name', '']);
    const seen = await nameless.expect(new RegExp(`Room ${code} [^\n]*\n`));
    assert.match(seen, new RegExp(`Room ${code} \\(race, 1\u2013100\\): Bob, Bob \\(2\\), Player 1\\.`));
    for (const cli of [nameless, twin, host]) assert.equal(await quit(cli), 0);
  });

  it('says how to start a round to a player who guesses before one', async () => {
    const ada = spawn(['host', `127.0.0.1:${server.port}`, '--mode', 'race', '--name', 'Ada']);
    await ada.expect(/\/quit to leave\.\n/);
    const from = ada.out.text().length;
    ada.type('50');
    const seen = await ada.expect(/Error: [^\n]*\n/, from);
    assert.equal(/Error: [^\n]*\n/.exec(seen)?.[0], 'Error: No round is under way: any player starts one (Enter in the terminal, Start round on the page)\n');
    ada.type('');
    await ada.expect(/Round 1: guess the number/, from);
    assert.equal(await quit(ada), 0);
  });

  it('tells a spectator who types how to leave', async () => {
    const ada = spawn(['host', `127.0.0.1:${server.port}`, '--mode', 'race', '--name', 'Ada']);
    const [, code = ''] = /--room ([A-Z2-9]{5})/.exec(await ada.expect(/--room [A-Z2-9]{5}\n/)) ?? [];
    const eve = spawn(['join', `127.0.0.1:${server.port}`, '--room', code, '--spectate', '--name', 'Eve']);
    await eve.expect(/\/quit to leave\.\n/);
    await ada.expect(/Eve \(watching\) joined\./);
    for (const typed of ['50', '']) {
      const from = eve.out.text().length;
      eve.type(typed);
      const seen = await eve.expect(/(Error: |You are )[^\n]*\n/, from);
      assert.equal(/(Error: |You are )[^\n]*\n/.exec(seen)?.[0], 'You are watching this room, not playing: type /quit to leave.\n', `after typing '${typed}'`);
    }
    ada.type('');
    await eve.expect(/Round 1 is on/);
    assert.equal(await quit(eve), 0);
    await ada.expect(/Eve \(watching\) left\./);
    assert.equal(await quit(ada), 0);
  });

  it('says which room code is unknown and exits 1', async () => {
    const lost = spawn(['join', `127.0.0.1:${server.port}`, '--room', 'ZZZZZ', '--name', 'Lost']);
    await lost.expect(/Error: No room has that code/);
    const [code] = (await once(lost.child, 'close')) as [number | null];
    assert.equal(code, 1);
  });

  const levels = [[['--bot'], 'Bot'], [['--medium'], 'Medium bot'], [['--weak'], 'Weak bot'], [['--bot', '--weak'], 'Weak bot']] as const;
  for (const [flags, name] of levels) {
    it(`host ${flags.join(' ')} seats the computer player "${name}"`, async () => {
      const ada = spawn(['host', `127.0.0.1:${server.port}`, ...flags, '--name', 'Ada', '--min', '1', '--max', '100']);
      await ada.expect(new RegExp(`\\n${name} joined\\.\\n`));
      assert.equal(await quit(ada), 0);
    });
  }

  it('host --mode pick --rounds 2 --bot ends the match after two rounds and names its winner', async () => {
    const ada = spawn(['host', `127.0.0.1:${server.port}`, '--mode', 'pick', '--rounds', '2', '--bot', '--name', 'Ada', '--min', '1', '--max', '100']);
    await ada.expect(/\nBot joined\.\n/);
    ada.type('');
    await ada.expect(/Round 1: your turn to pick the secret/);
    ada.type('1');
    await ada.expect(/Round 1 over: Bot wins! The secret was 1\./);
    assert.doesNotMatch(ada.out.text(), /Match over/);
    ada.type('');
    await ada.expect(/Round 2 is on|Round 2: guess the number/);
    const mine = await searchInTerminal(ada, 1, 100);
    const matchEnd = /Match over after 2 rounds: (.*)\nFinal standings: Ada 1 win \((\d+) guess(?:es)?\) \u00b7 Bot 1 win \((\d+) guess(?:es)?\)\n/;
    const [, verdict = '', adaGuesses = '', botGuesses = ''] = matchEnd.exec(await ada.expect(matchEnd)) ?? [];
    assert.equal(Number(adaGuesses), mine);
    const expected = mine < Number(botGuesses) ? 'you win the match!' : mine > Number(botGuesses) ? 'Bot wins the match!' : 'a tie between you and Bot.';
    assert.equal(verdict, expected);
    await ada.expect(/Press Enter for a new match/);
    assert.equal(await quit(ada), 0);
  });

  it('host --first-to 1 --bot ends a race match with the round its first win', async () => {
    const ada = spawn(['host', `127.0.0.1:${server.port}`, '--first-to', '1', '--bot', '--name', 'Ada', '--min', '1', '--max', '100']);
    await ada.expect(/\nBot joined\.\n/);
    ada.type('');
    await ada.expect(/Round 1 over: Bot wins!/);
    await ada.expect(/Match over after 1 round: Bot wins the match!\nFinal standings: Ada 0 wins \(0 guesses\) \u00b7 Bot 1 win/);
    assert.equal(await quit(ada), 0);
  });

  it('refuses --rounds outside pick and out of 1..100 as usage errors', async () => {
    for (const [flags, message] of [
      [['--rounds', '2'], /--rounds is for --mode pick/],
      [['--mode', 'pick', '--rounds', '0'], /--rounds must be from 1 to 100, got 0/],
      [['--mode', 'pick', '--first-to', '3'], /--first-to is for a race/],
    ] as const) {
      const { code, stderr } = await runGuess(['host', `127.0.0.1:${server.port}`, ...flags]);
      assert.equal(code, 2, flags.join(' '));
      assert.match(stderr, message);
    }
  });

  it('refuses --medium with --weak as a usage error', async () => {
    const { code, stderr } = await runGuess(['host', `127.0.0.1:${server.port}`, '--medium', '--weak']);
    assert.equal(code, 2);
    assert.match(stderr, /--medium and --weak are two levels of one computer player: choose one/);
  });
});

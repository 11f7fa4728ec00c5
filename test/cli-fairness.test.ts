import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { JsonClient } from './helpers/json-client.js';
import { honest, swapSecret, tcpRelay, type Relay } from './helpers/lying-relay.js';
import { spawnRoomCli, type RoomCli } from './helpers/room-cli.js';
import { startServer, type RunningServer } from './helpers/server.js';

/** The line printed right after the end of round 1: the fairness verdict. */
async function fairnessLine(cli: RoomCli): Promise<string> {
  const text = await cli.expect(/Round 1 over: .*\n.*\n/);
  return /Round 1 over: .*\n(.*)\n/.exec(text)?.[1] ?? '';
}

const SWAPPED = /WARNING: the revealed secret \d+ does NOT match: the secret was changed/;
const FAIR = /Fair: sha256\(\d+ \u2016 salt\) matches the commitment announced when round 1 started\./;

/**
 * The terminal checks the reveal against the commitment it was given when the round started (or
 * in the snapshot of the room it joined mid-round); the relays sit between it and a real server,
 * one passing everything as is, one covering up a changed secret with a reveal consistent with itself.
 */
describe('the terminal\u2019s fair-play check, against an honest and a lying server', { timeout: 60_000 }, () => {
  let server: RunningServer;
  let liar: Relay;
  let straight: Relay;
  const cleanups: Array<() => void> = [];
  before(async () => {
    server = await startServer(['--seed', '13', '--bot-delay-ms', '10']);
    [liar, straight] = await Promise.all([tcpRelay(server.port, swapSecret), tcpRelay(server.port, honest)]);
  });
  after(async () => {
    for (const cleanup of cleanups) cleanup();
    await Promise.all([liar.close(), straight.close()]);
    await server.stop();
  });
  const cli = (args: readonly string[]): RoomCli => {
    const spawned = spawnRoomCli(args);
    cleanups.push(() => spawned.stop());
    return spawned;
  };
  const relayFor = (lying: boolean): Relay => (lying ? liar : straight);

  for (const mode of ['race', 'pick'] as const) {
    for (const [lying, expected] of [[true, SWAPPED], [false, FAIR]] as const) {
      it(`${mode} against the bot, ${lying ? 'lying' : 'honest'} server: ${lying ? 'does NOT match' : 'matches'}`, async () => {
        const ada = cli(['host', `127.0.0.1:${relayFor(lying).port}`, '--mode', mode, '--bot', '--name', 'Ada']);
        await ada.expect(/Room code: /);
        ada.type('');
        if (mode === 'pick') {
          await ada.expect(/your turn to pick the secret/);
          ada.type('73');
        }
        const verdict = await fairnessLine(ada);
        assert.match(verdict, expected);
        if (lying) assert.doesNotMatch(ada.out.text(), /Fair:/);
      });
    }
  }

  for (const [lying, expected] of [[true, SWAPPED], [false, FAIR]] as const) {
    it(`joined mid-round, checks against the snapshot's commitment (${lying ? 'lying' : 'honest'} server)`, async () => {
      const bob = await JsonClient.hello(server.port, 'Bob');
      cleanups.push(() => bob.close());
      const { code } = await bob.ask({ type: 'create', mode: 'race', min: 1, max: 100 }, 'room');
      await bob.ask({ type: 'start' }, 'round_start');
      const ada = cli(['join', `127.0.0.1:${relayFor(lying).port}`, '--room', code, '--name', 'Ada']);
      // Ada never sees this round's round_start: only the room snapshot of her join.
      await ada.expect(new RegExp(`Room ${code} \\(race`));
      await bob.next('presence');
      await bob.binarySearch(1, 100);
      assert.match(await fairnessLine(ada), expected);
    });
  }
});

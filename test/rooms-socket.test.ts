import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonClient, opens } from './helpers/json-client.js';
import { roomServer } from './helpers/room-server.js';

/** Full games over real sockets against a real `guess serve` process. */
describe('rooms over JSON lines', { timeout: 60_000 }, () => {
  const { hello, connect } = roomServer(['--seed', '11', '--bot-delay-ms', '5', '--pick-timeout-ms', '60000']);

  /** Creates a room and seats the others in it; resolves its code. */
  async function room(host: JsonClient, others: readonly JsonClient[], create: object): Promise<string> {
    const { code } = await host.ask({ type: 'create', ...create }, 'room');
    assert.match(code, /^[A-HJKMNP-Z2-9]{5}$/);
    for (const other of others) {
      const seen = await other.ask({ type: 'join', code: code.toLowerCase() }, 'room');
      assert.equal(seen.code, code);
    }
    return code;
  }

  for (const count of [2, 3]) {
    it(`plays a race between ${count} players: one winner, named to everyone, commitment opened, then a rematch`, async () => {
      const players = await Promise.all(Array.from({ length: count }, (_, i) => hello(`Racer${i + 1}`)));
      const [host, ...others] = players as [JsonClient, ...JsonClient[]];
      await room(host, others, { mode: 'race', min: 1, max: 1000 });
      for (let round = 1; round <= 2; round++) {
        host.send({ type: 'start' });
        const starts = await Promise.all(players.map((p) => p.next('round_start')));
        assert.ok(starts.every((s) => s.round === round && s.commitment === starts[0]?.commitment));
        const ends = await Promise.all(players.map((p) => p.binarySearch(1, 1000)));
        const first = ends[0];
        assert.ok(first);
        assert.ok(ends.every((e) => e.round === round && e.secret === first.secret && e.winner?.id === first.winner?.id));
        const winner = players.find((p) => p.player === first.winner?.id);
        assert.ok(winner, 'the winner is one of the players');
        assert.ok(winner.received.some((m) => m.type === 'result' && m.outcome === 'win' && m.value === first.secret));
        assert.equal(first.winner?.name, `Racer${players.indexOf(winner) + 1}`);
        assert.ok(opens(starts[0]?.commitment ?? '', first), 'sha256(secret ‖ salt) is the commitment');
        const wins = first.standings.reduce((sum, s) => sum + s.wins, 0);
        assert.equal(wins, round, 'one win per round');
      }
    });
  }

  for (const count of [2, 3]) {
    it(`plays pick between ${count} players: the picker picks, the others guess, roles swap on rematch`, async () => {
      const players = await Promise.all(Array.from({ length: count }, (_, i) => hello(`Picker${i + 1}`)));
      const [host, ...others] = players as [JsonClient, ...JsonClient[]];
      await room(host, others, { mode: 'pick', min: 1, max: 100 });
      for (const [round, pickerIndex] of [[1, 0], [2, 1]] as const) {
        const picker = players[pickerIndex];
        assert.ok(picker);
        const guessers = players.filter((p) => p !== picker);
        others[0]?.send({ type: 'start' });
        const picking = await Promise.all(players.map((p) => p.next('picking')));
        assert.ok(picking.every((p) => p.picker === picker.player && p.round === round));
        assert.equal(await guessers[0]?.refused({ type: 'pick', value: 5 }), 'E_NOT_YOUR_TURN');
        assert.equal(await picker.refused({ type: 'pick', value: 0 }), 'E_PICK_OUT_OF_RANGE');
        const secret = 23 + round;
        assert.equal((await picker.ask({ type: 'pick', value: secret }, 'picked')).value, secret);
        const start = await picker.next('round_start');
        assert.deepEqual(new Set(start.guessers), new Set(guessers.map((g) => g.player)));
        assert.equal(await picker.refused({ type: 'guess', value: secret }), 'E_NOT_YOUR_TURN');
        const ends = await Promise.all(guessers.map((g) => g.binarySearch(1, 100)));
        const end = await picker.next('round_end');
        for (const e of [...ends, end]) {
          assert.equal(e.secret, secret);
          assert.equal(e.reason, 'all_found');
          assert.ok(opens(start.commitment, e));
        }
        assert.ok(guessers.some((g) => g.player === end.winner?.id));
      }
    });
  }

  it('ends a pick match of `rounds` rounds with `match_end` to everyone, then starts a new one', async () => {
    const players = await Promise.all(['Mia', 'Ned'].map((name) => hello(name)));
    const [mia, ned] = players as [JsonClient, JsonClient];
    await room(mia, [ned], { mode: 'pick', min: 1, max: 100, rounds: 2 });
    for (let round = 1; round <= 2; round++) {
      mia.send({ type: 'start' });
      const { picker } = await mia.next('picking');
      const [chooser, guesser] = picker === mia.player ? [mia, ned] : [ned, mia];
      await chooser.ask({ type: 'pick', value: 10 * round }, 'picked');
      await guesser.next('round_start');
      await guesser.binarySearch(1, 100);
      await chooser.next('round_end');
    }
    const ends = await Promise.all(players.map((p) => p.next('match_end')));
    const standings = ends[0]?.standings ?? [];
    const fewest = Math.min(...standings.map((s) => s.guesses));
    const leaders = standings.filter((s) => s.guesses === fewest);
    for (const end of ends) {
      assert.equal(end.rounds, 2);
      assert.deepEqual(end.standings, standings);
      if (leaders.length === 1) assert.equal(end.winner?.id, leaders[0]?.id);
      else assert.deepEqual(end.tied.map((p) => p.id), leaders.map((s) => s.id));
    }
    assert.ok(players.every((p) => p.received.filter((m) => m.type === 'match_end').length === 1));
    ned.send({ type: 'start' });
    assert.equal((await mia.next('picking')).round, 3, 'a new match starts');
  });

  it('lets one person race a binary-search bot', async () => {
    const ada = await hello('Ada');
    await room(ada, [], { mode: 'race', min: 1, max: 1_000_000, bot: 'binary' });
    const bot = await ada.next('presence');
    assert.equal(bot.event, 'joined');
    ada.send({ type: 'start' });
    const start = await ada.next('round_start');
    assert.ok(start.guessers.includes(bot.player));
    const end = await ada.next('round_end');
    assert.deepEqual(end.winner, { id: bot.player, name: bot.name });
    const botGuesses = ada.received.filter((m) => m.type === 'progress' && m.player === bot.player);
    assert.ok(botGuesses.length <= 20, `${botGuesses.length} guesses`);
  });

  it('refuses what the rules forbid with error codes, and the connection stays usable', async () => {
    const raw = await connect();
    assert.equal(await raw.refused({ type: 'guess', value: 1 }), 'E_HELLO_FIRST');
    assert.equal(await raw.refused({ type: 'resume', token: 'nope' }), 'E_UNKNOWN_TOKEN');
    await raw.ask({ type: 'hello', name: 'Raw' }, 'welcome');
    assert.equal(await raw.refused({ type: 'join', code: 'ZZZZZ' }), 'E_UNKNOWN_ROOM');
    assert.equal(await raw.refused({ type: 'guess', value: 1 }), 'E_NOT_IN_ROOM');
    assert.equal(await raw.refused({ type: 'create', mode: 'race', min: 10, max: 1 }), 'E_BAD_RANGE');
    const players = await Promise.all(Array.from({ length: 8 }, (_, i) => hello(`Seat${i + 1}`)));
    const [host, ...others] = players as [JsonClient, ...JsonClient[]];
    const code = await room(host, others, { mode: 'race' });
    assert.equal(await raw.refused({ type: 'join', code }), 'E_ROOM_FULL', 'the ninth player');
    assert.equal((await raw.ask({ type: 'join', code, as: 'spectator' }, 'room')).role, 'spectator');
    assert.equal(await raw.refused({ type: 'create', mode: 'race' }), 'E_IN_ROOM');
    host.send({ type: 'start' });
    await raw.next('round_start');
    assert.equal(await raw.refused({ type: 'guess', value: 50 }), 'E_NOT_YOUR_TURN');
    assert.equal(await host.refused({ type: 'start' }), 'E_ROUND_RUNNING');
    assert.equal((await raw.ask({ type: 'leave' }, 'left')).code, code);
  });
});

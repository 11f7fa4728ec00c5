import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { openDatabase } from '../src/store/handles.js';
import { seededRandom } from '../src/core/random.js';
import { tempDir } from './helpers/db-files.js';
import { JsonClient, opens, type Message } from './helpers/json-client.js';
import { startServer, type RunningServer } from './helpers/server.js';

type Stop = 'SIGTERM' | 'SIGKILL';

/** Stops the server by `signal`; with SIGTERM, checks the goodbye each client got and that the process ends 0 within 1 s. */
async function stop(server: RunningServer, signal: Stop, clients: readonly JsonClient[]): Promise<void> {
  const closed = once(server.child, 'close');
  const sentAt = Date.now();
  server.child.kill(signal);
  if (signal === 'SIGTERM') {
    for (const client of clients) {
      const goodbye = await client.next('shutdown');
      assert.deepEqual([goodbye.token, goodbye.retryAfterMs], [client.token, 3000]);
    }
  }
  const [code] = (await closed) as [number | null];
  if (signal === 'SIGTERM') {
    assert.equal(code, 0);
    assert.ok(Date.now() - sentAt < 1000, `exited ${Date.now() - sentAt} ms after SIGTERM`);
  }
}

/** The rounds of room `code` whose results the file holds, as `guess stats` reads them. */
function keptRounds(path: string, code: string): number[] {
  const db = openDatabase(path, { readonly: true });
  try {
    return db.prepare<[string], number>('select round from results where room = ? order by round').pluck().all(code);
  } finally {
    db.close();
  }
}

/** A new connection that resumes `token` as its very first line; resolves once the `room` snapshot came. */
async function resume(port: number, token: string, seq?: number): Promise<{ client: JsonClient; room: Extract<Message, { type: 'room' }> }> {
  const client = await JsonClient.connect(port);
  client.token = token;
  client.send(seq === undefined ? { type: 'resume', token } : { type: 'resume', token, seq });
  const welcome = await client.next('welcome');
  assert.equal(welcome.resumed, true);
  client.player = welcome.player;
  return { client, room: await client.next('room') };
}

describe('a restart on the same --db loses nothing acknowledged', { timeout: 120_000 }, () => {
  const dir = tempDir();
  const servers: RunningServer[] = [];
  const clients: JsonClient[] = [];
  after(async () => {
    for (const client of clients) client.close();
    for (const server of servers) await server.stop();
    dir.remove();
  });
  const serve = async (args: string[]): Promise<RunningServer> => {
    const server = await startServer(args);
    servers.push(server);
    return server;
  };
  const keep = <T extends JsonClient>(client: T): T => {
    clients.push(client);
    return client;
  };

  // With --fsync commit as well: the replies then wait for the disk too, and the same must hold.
  for (const [signal, fsync] of [['SIGTERM', 'second'], ['SIGKILL', 'second'], ['SIGKILL', 'commit']] as const) {
    it(`${signal} mid-race (--fsync ${fsync}): both players resume the same round, attempts go on, and the reveal opens the commitment made before`, async () => {
      const path = dir.file(`race-${signal}-${fsync}.db`);
      const first = await serve(['--db', path, '--fsync', fsync]);
      const ada = keep(await JsonClient.hello(first.port, 'Ada'));
      const bob = keep(await JsonClient.hello(first.port, 'Bob'));
      const { code } = await ada.ask({ type: 'create', mode: 'race', min: 1, max: 1000 }, 'room');
      await bob.ask({ type: 'join', code }, 'room');
      ada.send({ type: 'start' });
      const { commitment } = await ada.next('round_start');
      const adas = await ada.ask({ type: 'guess', value: 1 }, 'result');
      const bobs = await bob.ask({ type: 'guess', value: 2 }, 'result');
      await stop(first, signal, [ada, bob]);
      const file = readFileSync(path).toString('latin1') + (existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`).toString('latin1') : '');
      assert.ok(file.includes(commitment), 'the file is the one the room was kept in');
      for (const client of [ada, bob]) assert.ok(!file.includes(client.token), 'tokens are kept as hashes, never as they are');

      const second = await serve(['--db', path, '--port', String(first.port)]);
      const a = await resume(second.port, ada.token);
      keep(a.client);
      assert.deepEqual([a.room.code, a.room.state, a.room.commitment], [code, 'playing', commitment]);
      assert.deepEqual(a.room.history, [{ value: 1, outcome: adas.outcome }]);
      assert.equal(a.room.players.find((p) => p.id === bob.player)?.attempts, bobs.attempts);
      const b = await resume(second.port, bob.token);
      keep(b.client);
      const next = await a.client.ask({ type: 'guess', value: 3 }, 'result');
      assert.equal(next.attempts, adas.attempts + 1, 'one more than the last acknowledged before the restart');
      const end = await a.client.binarySearch(4, 1000);
      assert.equal(end.commitment, commitment);
      assert.ok(opens(commitment, end), 'the secret and salt revealed after the restart open the commitment made before it');
      assert.ok(opens(commitment, await b.client.next('round_end')));
    });
  }

  it('SIGKILL mid-pick: the secret the picker chose survives, and the guesser finds it', async () => {
    const path = dir.file('pick.db');
    const first = await serve(['--db', path]);
    const ada = keep(await JsonClient.hello(first.port, 'Ada'));
    const bob = keep(await JsonClient.hello(first.port, 'Bob'));
    const { code } = await ada.ask({ type: 'create', mode: 'pick', min: 1, max: 100 }, 'room');
    await bob.ask({ type: 'join', code }, 'room');
    ada.send({ type: 'start' });
    const picking = await ada.next('picking');
    const [picker, guesser] = picking.picker === ada.player ? [ada, bob] : [bob, ada];
    await picker.ask({ type: 'pick', value: 42 }, 'picked');
    const { commitment } = await guesser.next('round_start');
    assert.equal((await guesser.ask({ type: 'guess', value: 10 }, 'result')).outcome, 'low');
    await stop(first, 'SIGKILL', []);

    const second = await serve(['--db', path, '--port', String(first.port)]);
    const g = await resume(second.port, guesser.token);
    keep(g.client);
    assert.deepEqual([g.room.state, g.room.commitment, g.room.history.length], ['playing', commitment, 1]);
    const win = await g.client.ask({ type: 'guess', value: 42 }, 'result');
    assert.deepEqual([win.outcome, win.attempts], ['win', 2]);
    const end = await g.client.next('round_end');
    assert.equal(end.secret, 42);
    assert.ok(opens(commitment, end));
    const p = await resume(second.port, picker.token);
    keep(p.client);
    assert.equal(p.room.state, 'ended', 'the picker, back later, finds the round over');
  });

  it('SIGKILL right after a solo win: the next round keeps its commitment, the missed events come back, and the won round is kept once', async () => {
    const path = dir.file('solo-win.db');
    const first = await serve(['--db', path]);
    const ada = keep(await JsonClient.hello(first.port, 'Ada'));
    const { code } = await ada.ask({ type: 'create', mode: 'solo', min: 1, max: 100 }, 'room');
    const start = await ada.next('round_start');
    const end = await ada.binarySearch(1, 100);
    assert.ok(opens(start.commitment, end));
    const won = ada.received.findLast((m) => m.type === 'result');
    const next = await ada.next('round_start');
    // Killed, as a rule, within the second before the room's record is rewritten: the win and the
    // round it drew are then in the journal alone (what follows must hold either way).
    await stop(first, 'SIGKILL', []);

    const second = await serve(['--db', path, '--port', String(first.port)]);
    const a = await resume(second.port, ada.token, (won as { seq?: number } | undefined)?.seq);
    keep(a.client);
    assert.deepEqual(a.client.received.map((m) => m.type), ['welcome', 'round_end', 'round_start', 'room'], 'the events after the win come again');
    assert.deepEqual(a.client.received.slice(1, 3), [end, next]);
    assert.deepEqual([a.room.round, a.room.state, a.room.commitment], [next.round, 'playing', next.commitment]);
    const db = openDatabase(path, { readonly: true });
    try {
      assert.equal(db.prepare<[string], number>('select count(*) from results where room = ?').pluck().get(code), 1, 'the won round, once');
    } finally {
      db.close();
    }
    assert.ok(opens(next.commitment, await a.client.binarySearch(1, 100)), 'the round drawn before the kill is the one played after it');
  });

  /** A server on `path` where Ada won a solo round, its result then written with a transaction (Bob's room). */
  const oneRoundWritten = async (path: string): Promise<{ first: RunningServer; ada: JsonClient; code: string }> => {
    const first = await serve(['--db', path]);
    const ada = keep(await JsonClient.hello(first.port, 'Ada'));
    const { code } = await ada.ask({ type: 'create', mode: 'solo', min: 1, max: 100 }, 'room');
    await ada.next('round_start');
    await ada.binarySearch(1, 100);
    await ada.next('round_start');
    // A change that needs a transaction: the waiting result goes with it, marked as written.
    const bob = keep(await JsonClient.hello(first.port, 'Bob'));
    await bob.ask({ type: 'create', mode: 'solo' }, 'room');
    return { first, ada, code };
  };

  it('SIGKILL after a win already written and one whose result still waits: each won round is kept once', async () => {
    const path = dir.file('two-wins.db');
    const { first, ada, code } = await oneRoundWritten(path);
    const rounds = (): number[] => keptRounds(path, code);
    assert.deepEqual(rounds(), [1]);
    // The second win's turn is guesses alone: its result waits (a second at most), its guess is in the journal.
    await ada.binarySearch(1, 100);
    await ada.next('round_start');
    await stop(first, 'SIGKILL', []);

    // Both wins are in the journal (a room's record is rewritten three seconds after its first
    // journaled guess): the restart keeps again the round whose result was not written, only it.
    await serve(['--db', path, '--port', String(first.port)]);
    assert.deepEqual(rounds(), [1, 2]);
  });

  it('a file of the version before the results mark: the rounds its journal ends were kept with it, and are not kept again', async () => {
    const path = dir.file('before-mark.db');
    // The result written with a transaction, as a server of that version wrote it with its guess.
    const { first, code } = await oneRoundWritten(path);
    await stop(first, 'SIGKILL', []);
    const db = openDatabase(path);
    try {
      db.exec("delete from meta where key = 'results-through'; pragma user_version = 8");
    } finally {
      db.close();
    }
    await serve(['--db', path, '--port', String(first.port)]);
    assert.deepEqual(keptRounds(path, code), [1]);
  });

  it('SIGKILL with a bot and a spectator: the spectator resumes its place and the bot plays on until it finds the secret', async () => {
    const path = dir.file('bot.db');
    const first = await serve(['--db', path, '--bot-delay-ms', '2000']);
    const ada = keep(await JsonClient.hello(first.port, 'Ada'));
    const eve = keep(await JsonClient.hello(first.port, 'Eve'));
    const { code } = await ada.ask({ type: 'create', mode: 'race', min: 1, max: 1000, bot: 'binary', botDelayMs: 100 }, 'room');
    await eve.ask({ type: 'join', code, as: 'spectator' }, 'room');
    ada.send({ type: 'start' });
    const { commitment } = await eve.next('round_start');
    await eve.next('progress');
    await stop(first, 'SIGKILL', []);

    const second = await serve(['--db', path, '--port', String(first.port)]);
    const e = await resume(second.port, eve.token);
    keep(e.client);
    assert.equal(e.room.role, 'spectator');
    const bot = e.room.players.find((p) => p.bot);
    assert.ok(bot !== undefined && bot.attempts >= 1);
    const end = await e.client.next('round_end');
    assert.deepEqual([end.winner?.id, end.commitment], [bot.id, commitment], 'the bot, at its own pace, won the round it started before the restart');
    assert.ok(opens(commitment, end));
  });

  it('--retry-after-ms is what the goodbye announces, and every seat is held at least that long after the restart', async () => {
    const path = dir.file('retry.db');
    const flags = ['--db', path, '--retry-after-ms', '2500', '--seat-hold-ms', '500'];
    const first = await serve(flags);
    const ada = keep(await JsonClient.hello(first.port, 'Ada'));
    const bob = keep(await JsonClient.hello(first.port, 'Bob'));
    const { code } = await ada.ask({ type: 'create', mode: 'race' }, 'room');
    await bob.ask({ type: 'join', code }, 'room');
    const closed = once(first.child, 'close');
    first.child.kill('SIGTERM');
    assert.equal((await ada.next('shutdown')).retryAfterMs, 2500);
    await closed;
    const second = await serve([...flags, '--port', String(first.port)]);
    const restartedAt = Date.now();
    const a = await resume(second.port, ada.token);
    keep(a.client);
    let left;
    do left = await a.client.next('presence');
    while (left.event !== 'left');
    assert.equal(left.player, bob.player);
    const held = Date.now() - restartedAt;
    // Well past the 500 ms --seat-hold-ms (the start-up line reaches the test a little after the restore).
    assert.ok(held >= 2000, `Bob's seat was given up ${held} ms after the restart, before the 2,500 ms announced`);
  });

  it('the file does not keep a seat whose hold ran out, nor its events', async () => {
    const path = dir.file('hold.db');
    const server = await serve(['--db', path, '--seat-hold-ms', '300']);
    const ada = keep(await JsonClient.hello(server.port, 'Ada'));
    const bob = keep(await JsonClient.hello(server.port, 'Bob'));
    const { code } = await ada.ask({ type: 'create', mode: 'race' }, 'room');
    await bob.ask({ type: 'join', code }, 'room');
    const kept = (): { members: string[]; events: number } => {
      const db = openDatabase(path, { readonly: true });
      try {
        const row = db.prepare<[string], { record: string }>('select record from rooms where code = ?').get(code);
        const members = (JSON.parse(row?.record ?? '{"members":[]}') as { members: { id: string }[] }).members.map((m) => m.id);
        const events = db.prepare<[string], { n: number }>('select count(*) as n from events where player = ?').get(bob.player)?.n ?? 0;
        return { members, events };
      } finally {
        db.close();
      }
    };
    assert.deepEqual(kept(), { members: [ada.player, bob.player], events: 1 }, 'Bob and his event (the room he joined) are kept');
    bob.close();
    const seen: string[] = [];
    while (seen.at(-1) !== 'left') seen.push((await ada.next('presence')).event);
    assert.deepEqual(seen, ['joined', 'dropped', 'left'], "Bob's hold ran out");
    assert.deepEqual(kept(), { members: [ada.player], events: 0 });
  });

  it('the file keeps rooms, not closed ones: a room left by everyone is gone after the restart', async () => {
    const path = dir.file('retention.db');
    const first = await serve(['--db', path, '--seat-hold-ms', '1000']);
    const ada = keep(await JsonClient.hello(first.port, 'Ada'));
    const { code } = await ada.ask({ type: 'create', mode: 'solo' }, 'room');
    await ada.ask({ type: 'leave' }, 'left');
    const kept = keep(await JsonClient.hello(first.port, 'Bob'));
    const race = await kept.ask({ type: 'create', mode: 'race' }, 'room');
    await stop(first, 'SIGKILL', []);
    const second = await serve(['--db', path, '--port', String(first.port)]);
    const again = keep(await JsonClient.hello(second.port, 'Cy'));
    assert.equal(await again.refused({ type: 'join', code }), 'E_UNKNOWN_ROOM', 'the solo room closed when Ada left');
    assert.equal((await again.ask({ type: 'join', code: race.code }, 'room')).code, race.code, "Bob's race is still there");
  });
});

/**
 * "Nothing missed, nothing twice": two players guess as fast as answers come while their
 * connections are cut, and the server killed, at random moments. Each resumes with the last
 * event number it saw; in the end the events each saw are numbered 1..N with no gap and no
 * repeat, and its count of answered guesses equals the attempts the server has for it.
 */
describe('cut at random points of a round', { timeout: 120_000 }, () => {
  const dir = tempDir();
  after(() => dir.remove());

  it('each client ends with the server view, whatever was cut and when', async () => {
    const random = seededRandom(2026);
    const path = dir.file('cuts.db');
    let server = await startServer(['--db', path]);
    const port = server.port;
    try {
      const players = [new Player('Ada'), new Player('Bob')];
      const [ada, bob] = players as [Player, Player];
      await ada.hello(port);
      await bob.hello(port);
      const { code } = await ada.request({ type: 'create', mode: 'race', min: 1, max: 1_000_000 }, 'room');
      await bob.request({ type: 'join', code }, 'room');
      await ada.request({ type: 'start' }, 'round_start');

      for (let cut = 0; cut < 8; cut++) {
        const playing = players.map((p) => p.play(random));
        // Let some guesses through first: a cut lands among acknowledged and unacknowledged ones.
        await Promise.all(players.map((p) => p.answered(p.results + 1 + random(0, 20))));
        if (cut % 2 === 0) {
          const closed = once(server.child, 'close');
          server.child.kill('SIGKILL');
          await closed;
          await Promise.all(playing);
          server = await startServer(['--db', path, '--port', String(port)]);
          for (const p of players) await p.resume(port);
        } else {
          const p = players[random(0, 1)] as Player;
          p.cut();
          for (const q of players) q.stop();
          await Promise.all(playing);
          await p.resume(port);
          for (const q of players) q.stopped = false;
        }
      }
      for (const p of players) {
        const last = await p.request({ type: 'guess', value: 1 }, 'result');
        assert.deepEqual(p.seqs, p.seqs.map((_, i) => i + 1), `${p.name}: events numbered 1..N, none missed, none twice`);
        assert.equal(last.attempts, p.results, `${p.name}: the server counts every answered guess, and only those`);
      }
    } finally {
      await server.stop();
    }
  });
});

/** A JSON player that keeps the number of every event it handled, and drops any it has seen. */
class Player {
  readonly name: string;
  client: JsonClient | undefined;
  token = '';
  /** The numbers of the events handled, in order. */
  readonly seqs: number[] = [];
  /** Guesses answered in this round. */
  results = 0;
  stopped = true;
  #waiters: Array<() => void> = [];

  constructor(name: string) {
    this.name = name;
  }

  async hello(port: number): Promise<void> {
    this.client = await JsonClient.hello(port, this.name);
    this.token = this.client.token;
    this.stopped = false;
  }

  async resume(port: number): Promise<void> {
    const { client, room } = await resume(port, this.token, this.seqs.at(-1) ?? 0);
    // Replayed events came before the snapshot: handled as any other (the snapshot has no seq).
    for (const message of client.received) this.#handle(message);
    const mine = room.players.find((p) => p.id === client.player);
    assert.equal(mine?.attempts, this.results, `${this.name}: the snapshot after resume agrees with the answers handled`);
    this.client = client;
    this.stopped = false;
  }

  /** Resolves once `count` guesses have been answered (or the connection is gone). */
  answered(count: number): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.results >= count || this.stopped) resolve();
        else this.#waiters.push(check);
      };
      check();
    });
  }

  /** Guesses, one at a time, until the connection goes or `stop`. */
  async play(random: (min: number, max: number) => number): Promise<void> {
    const client = this.client;
    while (!this.stopped && client !== undefined && client === this.client) {
      client.send({ type: 'guess', value: random(1, 999_999) });
      try {
        for (;;) {
          const message = await client.nextAny();
          this.#handle(message);
          if (message.type === 'result') break;
        }
      } catch {
        this.stopped = true;
      }
    }
    for (const wake of this.#waiters.splice(0)) wake();
  }

  cut(): void {
    this.client?.tcp.socket.resetAndDestroy();
  }

  stop(): void {
    this.stopped = true;
  }

  async request<T extends Message['type']>(message: object, type: T): Promise<Extract<Message, { type: T }>> {
    const client = this.client;
    assert.ok(client);
    client.send(message);
    for (;;) {
      const reply = await client.nextAny();
      this.#handle(reply);
      if (reply.type === type) return reply as Extract<Message, { type: T }>;
      if (reply.type === 'error') throw new Error(`${reply.code}: ${reply.message}`);
    }
  }

  #handle(message: Message): void {
    const seq = (message as { seq?: number }).seq;
    if (seq === undefined) return;
    if (seq <= (this.seqs.at(-1) ?? 0)) return;
    this.seqs.push(seq);
    if (message.type === 'result') this.results++;
    if (message.type === 'round_start') this.results = 0;
    for (const wake of this.#waiters.splice(0)) wake();
  }
}

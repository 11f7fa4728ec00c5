import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { WebSocket } from 'ws';
import { SENTENCES, compare } from '../src/core/game.js';
import { parseGuess } from '../src/core/guess.js';
import type { ServerMessage } from '../src/protocol/messages.js';
import { classicAsk } from './helpers/classic.js';
import { echoOf, outcomeOf, typedInteger } from './helpers/integers.js';
import { JsonClient } from './helpers/json-client.js';
import { startServer, type RunningServer } from './helpers/server.js';
import { TcpClient } from './helpers/tcp-client.js';

// A range of one number: the secret is always 7, so every integer has one known answer.
const SECRET = 7;

type Of<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

/** A WebSocket player on loopback, as the page speaks: waits on messages, never on time. */
class WsPlayer {
  readonly #socket: WebSocket;
  readonly #messages: ServerMessage[] = [];
  readonly #waiters: Array<() => void> = [];

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.on('message', (data: Buffer) => {
      this.#messages.push(JSON.parse(data.toString('utf8')) as ServerMessage);
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  static async open(port: number): Promise<WsPlayer> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    await once(socket, 'open');
    return new WsPlayer(socket);
  }

  send(text: string): void {
    this.#socket.send(text);
  }

  /** The next message of `type`; those before it are dropped. */
  async next<T extends ServerMessage['type']>(type: T): Promise<Of<T>> {
    for (;;) {
      const message = this.#messages.shift();
      if (message === undefined) await new Promise<void>((resolve) => this.#waiters.push(resolve));
      else if (message.type === type) return message as Of<T>;
      else if (message.type === 'error') throw new Error(`${message.code}: ${message.message}`);
    }
  }

  close(): void {
    this.#socket.close();
  }
}

/** An event as the room made it: its number for this player (`seq`) set aside. */
function withoutSeq<T extends object>(event: T): Omit<T, 'seq'> {
  const rest: Partial<T> & { seq?: number } = { ...event };
  delete rest.seq;
  return rest as Omit<T, 'seq'>;
}

/** The JSON text of a guess: compact (the hot path) or spaced (the long way), the digits exact. */
const guessText = (n: bigint, spaced: boolean): string =>
  spaced ? `{ "type": "guess", "value": ${n.toString()} }` : `{"type":"guess","value":${n.toString()}}`;

describe('one answer for an integer of any size, on every path', { timeout: 60_000 }, () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer(['--min', String(SECRET), '--max', String(SECRET)]);
  });
  after(async () => {
    await server.stop();
  });

  it('the judge, plain, classic, JSON over TCP (solo room) and WebSocket (race room) all agree, and all count it', async () => {
    const plain = await TcpClient.connect(server.port);
    const classic = await TcpClient.connect(server.port);
    const json = await JsonClient.hello(server.port, 'Tcp');
    await json.ask({ type: 'create', mode: 'solo' }, 'room');
    await json.next('round_start');
    const ws = await WsPlayer.open(server.port);
    ws.send(JSON.stringify({ type: 'hello', v: 1, name: 'Web' }));
    await ws.next('welcome');
    ws.send(JSON.stringify({ type: 'create', mode: 'race' }));
    await ws.next('room');
    ws.send(JSON.stringify({ type: 'start' }));
    await ws.next('round_start');
    // Guesses since the last win, as every path should count them.
    let attempts = 0;
    try {
      await fc.assert(
        fc.asyncProperty(typedInteger, fc.boolean(), async (typed, spaced) => {
          const n = BigInt(typed);
          const outcome = outcomeOf(SECRET, n);
          const sentence = SENTENCES[outcome];
          const parsed = parseGuess(typed);
          assert.equal(parsed.ok && compare(SECRET, parsed.value), outcome, `judge: ${typed}`);
          assert.equal(await plain.ask(typed), sentence, `plain: ${typed}`);
          assert.equal(await classicAsk(classic, typed), sentence, `classic: ${typed}`);
          attempts++;
          const expected = { type: 'result', value: echoOf(n), outcome, message: sentence, attempts };
          json.tcp.send(`${guessText(n, spaced)}\n`);
          assert.deepEqual(withoutSeq(await json.next('result')), expected, `JSON over TCP: ${typed}`);
          ws.send(guessText(n, !spaced));
          assert.deepEqual(withoutSeq(await ws.next('result')), expected, `WebSocket: ${typed}`);
          if (outcome !== 'win') return;
          attempts = 0;
          await ws.next('round_end');
          ws.send(JSON.stringify({ type: 'start' }));
          await ws.next('round_start');
        }),
        { seed: 11, numRuns: 60 },
      );
    } finally {
      plain.close();
      classic.close();
      json.close();
      ws.close();
    }
  });

  it('a picker who types a huge number is refused as out of range; huge guesses in the round are answered and counted', async () => {
    const picker = await JsonClient.hello(server.port, 'Ada');
    const room = await picker.ask({ type: 'create', mode: 'pick', min: 1, max: 100 }, 'room');
    const guesser = await JsonClient.hello(server.port, 'Bob');
    await guesser.ask({ type: 'join', code: room.code }, 'room');
    picker.send({ type: 'start' });
    await picker.next('picking');
    const huge = `9${'0'.repeat(399)}`;
    for (const value of ['9007199254740993', huge, `-${huge}`, '101']) {
      picker.tcp.send(`{"type":"pick","value":${value}}\n`);
      assert.equal((await picker.next('error')).code, 'E_PICK_OUT_OF_RANGE', value);
    }
    picker.send({ type: 'pick', value: 37 });
    await guesser.next('round_start');
    const answers = [];
    for (const value of ['9007199254740993', huge, `-${huge}`, '37']) {
      guesser.tcp.send(`{"type":"guess","value":${value}}\n`);
      const { outcome, attempts } = await guesser.next('result');
      answers.push([outcome, attempts]);
    }
    assert.deepEqual(answers, [['high', 1], ['high', 2], ['low', 3], ['win', 4]]);
    const progress = await picker.next('progress');
    assert.deepEqual([progress.outcome, progress.value], ['high', 2 ** 53]);
    picker.close();
    guesser.close();
  });
});

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BinarySearchBot, type Verdict } from '../bench/bot.js';
import { DIALECTS } from '../bench/json-dialects.js';
import { Load } from '../bench/load.js';
import { playsWithoutError } from './helpers/bench-load.js';
import { startServer } from './helpers/server.js';

describe('the load generator\u2019s binary-search checker', () => {
  it('accepts a truthful game and starts over after a win', () => {
    const bot = new BinarySearchBot({ min: 1, max: 100 });
    assert.equal(bot.next(), 50);
    assert.equal(bot.judge('low', 'Too small!'), undefined);
    assert.equal(bot.next(), 75);
    assert.equal(bot.judge('high', 'Too big!'), undefined);
    assert.equal(bot.next(), 62);
    assert.equal(bot.judge('win', 'Exactly! You win!'), undefined);
    assert.equal(bot.next(), 50);
  });

  it('flags a reply that leaves no possible secret', () => {
    const bot = new BinarySearchBot({ min: 1, max: 3 });
    assert.equal(bot.next(), 2);
    assert.equal(bot.judge('low', 'Too small!'), undefined);
    assert.equal(bot.next(), 3);
    assert.match(bot.judge('low', 'Too small!') ?? '', /leaves no possible secret/);
  });

  it('flags an unreadable reply and a reply nobody asked for', () => {
    const bot = new BinarySearchBot({ min: 1, max: 100 });
    assert.match(bot.judge('low', 'Too small!') ?? '', /no guess outstanding/);
    bot.next();
    assert.match(bot.judge(undefined, 'Too smal!') ?? '', /unexpected reply/);
  });

  it('flags a round exactly when no secret in the range fits every reply', () => {
    const verdict = fc.constantFrom<Verdict>('low', 'high');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.array(verdict, { maxLength: 8 }), (size, replies) => {
        const range = { min: 1, max: size };
        const bot = new BinarySearchBot(range);
        let possible = Array.from({ length: size }, (_, i) => i + 1);
        for (const reply of replies) {
          const guess = bot.next();
          possible = possible.filter((secret) => (reply === 'low' ? secret > guess : secret < guess));
          const problem = bot.judge(reply, reply);
          assert.equal(problem !== undefined, possible.length === 0);
          if (problem !== undefined) return;
        }
      }),
    );
  });
});

describe('the load generator\u2019s reading of replies', () => {
  it('takes plain sentences and JSON results as verdicts, and nothing else', () => {
    assert.equal(DIALECTS.plain.read('Too small!'), 'low');
    assert.equal(DIALECTS.plain.read('Guesses must be an integer. Try again...'), undefined);
    assert.equal(DIALECTS.json.read('{"type":"result","value":50,"outcome":"win","message":"Exactly! You win!","attempts":1}'), 'win');
    assert.equal(DIALECTS.ws.read('{"type":"round_start","round":2}'), 'other');
    assert.equal(DIALECTS.json.read('{"type":"error","code":"E_NOT_INTEGER","message":"x"}'), undefined);
    assert.equal(DIALECTS.json.read('{"type":"result","outcome":"maybe"}'), undefined);
    assert.equal(DIALECTS.json.read('not json'), undefined);
  });
});

describe('the load generator against real sockets', () => {
  it('counts a lying server\u2019s replies as errors', async () => {
    // Always "too small": binary search runs out of numbers within log2(8) + 1 guesses.
    const liar = createServer((socket) => {
      socket.on('data', () => socket.write('Too small!\n'));
      socket.on('error', () => {});
    });
    liar.listen(0, '127.0.0.1');
    await once(liar, 'listening');
    const errors: string[] = [];
    let allFlagged = (): void => {};
    const flagged = new Promise<void>((resolve) => (allFlagged = resolve));
    const load = new Load(
      { host: '127.0.0.1', port: (liar.address() as AddressInfo).port, dialect: 'plain', conns: 2, range: { min: 1, max: 8 } },
      {
        error: (message) => {
          errors.push(message);
          if (errors.length === 2) allFlagged();
        },
      },
    );
    try {
      assert.equal((await load.connect()).connected, 2);
      load.start();
      await flagged;
      assert.equal(load.stats().errors, 2);
      assert.match(errors[0] ?? '', /'Too small!' for 8 leaves no possible secret in 1\.\.8/);
    } finally {
      load.close();
      liar.close();
    }
  });

  it('plays our server without an error', async () => {
    const server = await startServer(['--min', '1', '--max', '16', '--log-level', 'warn']);
    try {
      await playsWithoutError(server.port, 'plain', (reply) => reply === 'Exactly! You win!');
    } finally {
      await server.stop();
    }
  });
});

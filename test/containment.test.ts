import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { untilClosed } from './helpers/raw-client.js';
import { TcpClient } from './helpers/tcp-client.js';
import { createGameServer } from '../src/server/server.js';

/** Every test here talks to a real process or socket: none may hang the suite. */
const BOUNDED = { timeout: 15_000 };

describe('a bug met while serving one connection', () => {
  it('closes that connection, is logged with its error, and the others play on', BOUNDED, async () => {
    // The source of secrets breaks on its second use: the second connection's session cannot start.
    let calls = 0;
    const random = (min: number): number => {
      calls++;
      if (calls === 2) throw new Error('secret source broke');
      return min;
    };
    const errors: Array<{ fields: object; message: string }> = [];
    const log = { info() {}, warn() {}, debug() {}, error: (fields: object, message: string) => errors.push({ fields, message }) };
    const server = createGameServer({ random, log, host: '127.0.0.1', port: 0 });
    const { port } = await server.listen();
    try {
      const first = await TcpClient.connect(port);
      assert.equal(await first.ask('5'), 'Too big!');
      assert.equal((await untilClosed(port, '5\n')).length, 0);
      assert.equal(errors.length, 1);
      const [logged] = errors;
      assert.ok(logged !== undefined);
      assert.equal(logged.message, 'Internal error while serving a connection; closing it');
      assert.match(String((logged.fields as { err?: Error }).err?.message), /secret source broke/);
      assert.equal(await first.ask('1'), 'Exactly! You win!');
      const third = await TcpClient.connect(port);
      assert.equal(await third.ask('1'), 'Exactly! You win!');
      first.close();
      third.close();
    } finally {
      await server.close();
    }
  });
});

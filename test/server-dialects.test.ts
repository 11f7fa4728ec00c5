import assert from 'node:assert/strict';
import { once } from 'node:events';
import { get } from 'node:http';
import { connect as rawConnect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { maxBinarySearchGuesses } from '../src/core/game.js';
import { binarySearch, verdictOf } from './helpers/binary-search.js';
import { classicAsk } from './helpers/classic.js';
import { startServer, type RunningServer } from './helpers/server.js';
import { TcpClient } from './helpers/tcp-client.js';

// Secrets in 50..100: 42 is always too small and 200 always too big, whatever the seed draws.
const RANGE = { min: 50, max: 100 };

describe('server dialects', { timeout: 30_000 }, () => {
  let server: RunningServer;
  const clients: TcpClient[] = [];
  const connect = async (): Promise<TcpClient> => {
    const client = await TcpClient.connect(server.port);
    clients.push(client);
    return client;
  };

  before(async () => {
    server = await startServer(['--min', '50', '--max', '100', '--seed', '3']);
  });
  after(async () => {
    for (const client of clients) client.close();
    await server.stop();
  });

  describe('plain lines', () => {
    it('answers `42\\n` and `42\\r\\n` with exact sentence lines', async () => {
      const client = await connect();
      assert.equal(await client.ask('42'), 'Too small!');
      client.send('200\r\n');
      assert.equal(await client.nextLine(), 'Too big!');
      assert.equal(client.received.toString(), 'Too small!\nToo big!\n');
    });

    it('never speaks first: the first bytes received are the reply to the first guess', async () => {
      const client = await connect();
      client.send('42\n');
      assert.equal(await client.nextLine(), 'Too small!');
      assert.equal(client.received.toString(), 'Too small!\n');
    });

    it('answers the lines of one read in one write, in order', async () => {
      // One write of a few hundred bytes reaches the server as one read over loopback; its fifty
      // answers, sent in one write, arrive as one chunk. One write per answer would arrive as
      // many (the server sets TCP_NODELAY).
      const socket = rawConnect({ port: server.port, host: '127.0.0.1', noDelay: true });
      await once(socket, 'connect');
      socket.write('42\nx\n'.repeat(25));
      const [chunk] = (await once(socket, 'data')) as [Buffer];
      socket.destroy();
      assert.equal(chunk.toString(), 'Too small!\nGuesses must be an integer. Try again...\n'.repeat(25));
    });

    it('answers a line that is not an integer, and the game goes on', async () => {
      const client = await connect();
      for (const bad of ['4.2', 'abc', '1e3', "42'", '', '٤٢']) {
        assert.match(await client.ask(bad), /^Guesses must be an integer/, JSON.stringify(bad));
      }
      assert.equal(await client.ask(' +42 '), 'Too small!');
    });

    it('plays a whole round by binary search, then starts another on the same connection', async () => {
      const client = await connect();
      for (let round = 0; round < 2; round++) {
        const { guesses } = await binarySearch(RANGE, async (guess) => verdictOf(await client.ask(String(guess))));
        assert.ok(guesses <= maxBinarySearchGuesses(RANGE));
      }
    });

    it('reads guesses that arrive many to a packet, and answers them in order', async () => {
      const client = await connect();
      client.send('42\n200\nx\n42\n');
      assert.deepEqual(
        [await client.nextLine(), await client.nextLine(), await client.nextLine(), await client.nextLine()],
        ['Too small!', 'Too big!', 'Guesses must be an integer. Try again...', 'Too small!'],
      );
    });

    it('accepts a line of exactly 1024 bytes', async () => {
      const client = await connect();
      assert.equal(await client.ask(`${'0'.repeat(1022)}42`), 'Too small!');
      client.send(`${'0'.repeat(1021)}200\r\n`);
      assert.equal(await client.nextLine(), 'Too big!');
    });

    it('answers a line over 1 KiB with an error line, then closes', async () => {
      const client = await connect();
      assert.equal(await client.ask('42'), 'Too small!');
      client.send(`${'1'.repeat(1025)}\n`);
      assert.equal(await client.nextLine(), 'Error: Message too long: the limit is 1024 bytes per line');
      await client.closed();
    });

    it('closes a connection whose first bytes run past 1 KiB with no line ending', async () => {
      const client = await connect();
      client.send('7'.repeat(3000));
      assert.match(await client.nextLine(), /^Error: Message too long/);
      await client.closed();
    });
  });

  describe('classic (the chapter\u2019s bare dialect)', () => {
    it('answers bytes with no line ending with the bare sentence, no newline', async () => {
      const client = await connect();
      assert.equal(await classicAsk(client, '42'), 'Too small!');
      assert.equal(await classicAsk(client, '200'), 'Too big!');
      assert.equal(await classicAsk(client, 'x'), 'Guesses must be an integer. Try again...');
      const { guesses } = await binarySearch(RANGE, async (guess) => verdictOf(await classicAsk(client, String(guess))));
      assert.ok(guesses <= maxBinarySearchGuesses(RANGE));
      // Every reply, back to back: not one byte between the sentences.
      assert.match(client.received.toString(), /^Too small!Too big!Guesses must be an integer\. Try again\.\.\.(Too (small|big)!)*Exactly! You win!$/);
    });

    it('judges a guess split into two writes as one, first message or later', async () => {
      const client = await connect();
      // Judged apart, `2` and `00` would both be too small; together they are 200, too big.
      assert.equal(await classicAsk(client, ['2', '00']), 'Too big!');
      assert.equal(await classicAsk(client, ['2', '00']), 'Too big!');
      assert.equal(await classicAsk(client, ['4', '2']), 'Too small!');
      assert.equal(client.received.toString(), 'Too big!Too big!Too small!');
    });

    it('answers a message over 1 KiB with a bare error, then closes', async () => {
      const client = await connect();
      assert.equal(await classicAsk(client, '42'), 'Too small!');
      client.send('7'.repeat(1500));
      await client.closed();
      assert.equal(client.received.toString(), 'Too small!Message too long: the limit is 1024 bytes');
    });
  });

  describe('JSON lines', () => {
    it('welcomes a hello, answers each bad line with an error object and keeps the connection', async () => {
      const client = await connect();
      const welcome = JSON.parse(await client.ask('{"type":"hello","name":"Ada","extra":true}')) as Record<string, unknown>;
      assert.equal(welcome.type, 'welcome');
      assert.equal(welcome.v, 1);
      assert.equal(welcome.name, 'Ada');
      assert.equal(typeof welcome.token, 'string');
      client.send('nope\n{"x":1}\n{"type":"guess","value":"42"}\n{"type":"guess","value":4.5}\n');
      for (const code of ['E_BAD_JSON', 'E_UNKNOWN_TYPE', 'E_BAD_MESSAGE', 'E_NOT_INTEGER']) {
        const reply = JSON.parse(await client.nextLine()) as Record<string, unknown>;
        assert.equal(reply.type, 'error');
        assert.equal(reply.code, code);
        assert.equal(typeof reply.message, 'string');
      }
      const again = JSON.parse(await client.ask('{"type":"hello"}')) as Record<string, unknown>;
      assert.equal(again.code, 'E_HELLO_TWICE');
      assert.equal(client.socket.closed, false);
    });

    it('refuses a hello or resume below protocol version 1 with E_VERSION, and the connection stays', async () => {
      const client = await connect();
      const codeOf = async (line: string): Promise<unknown> => (JSON.parse(await client.ask(line)) as Record<string, unknown>).code;
      assert.equal(await codeOf('{"type":"hello","v":0,"name":"Old"}'), 'E_VERSION');
      assert.equal(await codeOf('{"type":"resume","v":0,"token":"whatever"}'), 'E_VERSION');
      assert.equal(await codeOf('{"type":"hello","v":-3}'), 'E_VERSION');
      // A newer client is welcomed with the version this server speaks: additions do not bump it.
      const welcome = JSON.parse(await client.ask('{"type":"hello","v":2,"name":"New"}')) as Record<string, unknown>;
      assert.deepEqual([welcome.type, welcome.v, welcome.name], ['welcome', 1, 'New']);
    });

    it('decodes a UTF-8 character that TCP split across reads', async () => {
      const client = await connect();
      const bytes = Buffer.from('{"type":"hello","name":"Zo\u00eb\u{1f600}"}\n');
      // One byte per write: the two- and four-byte characters arrive in pieces.
      for (const byte of bytes) client.send(Buffer.of(byte));
      const welcome = JSON.parse(await client.nextLine()) as Record<string, unknown>;
      assert.equal(welcome.type, 'welcome');
      assert.equal(welcome.name, 'Zo\u00eb\u{1f600}');
    });

    it('answers a JSON line over 1 KiB with an error object, then closes', async () => {
      const client = await connect();
      client.send(`{"pad":"${'x'.repeat(2000)}"}\n`);
      const reply = JSON.parse(await client.nextLine()) as Record<string, unknown>;
      assert.equal(reply.code, 'E_LINE_TOO_LONG');
      await client.closed();
    });
  });

  describe('HTTP', () => {
    it('answers a valid HTTP/1.1 response: the web client', async () => {
      const response = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
        get({ host: '127.0.0.1', port: server.port, path: '/' }, resolve).on('error', reject);
      });
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      await once(response, 'end');
      assert.equal(response.statusCode, 200);
      assert.equal(response.httpVersion, '1.1');
      assert.match(response.headers['content-type'] ?? '', /^text\/html/);
      assert.equal(Number(response.headers['content-length']), Buffer.byteLength(body));
      assert.match(body, /<title>Guess the number<\/title>/);
    });

    it('recognises a request line sent a few bytes at a time', async () => {
      const client = await connect();
      for (const part of ['G', 'ET', ' /', ' HTTP/1.1\r\n', 'Host: x\r\n', '\r\n']) client.send(part);
      // Read until the head and as many body bytes as it announces have arrived (keep-alive or not).
      let text: string;
      for (let want = 1; ; ) {
        text = (await client.receivedBytes(want)).toString('latin1');
        const end = text.indexOf('\r\n\r\n');
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(text)?.[1] ?? NaN);
        if (end !== -1 && Number.isInteger(length) && text.length >= end + 4 + length) {
          assert.equal(text.length, end + 4 + length, 'nothing after the announced body');
          break;
        }
        want = text.length + 1;
      }
      assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
    });
  });

  it('logs each connection and disconnection', async () => {
    const client = await connect();
    assert.equal(await client.ask('42'), 'Too small!');
    const port = client.socket.localPort ?? 0;
    client.close();
    const log = await server.waitFor(new RegExp(`"peer":"127\\.0\\.0\\.1:${port}"[^\\n]*"msg":"Disconnected"`));
    assert.match(log, new RegExp(`"msg":"Connected by 127\\.0\\.0\\.1:${port}"`));
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { escapeBytes, traceLine } from '../src/protocol/trace.js';
import { runGuess } from './helpers/process.js';
import { startServer, type RunningServer } from './helpers/server.js';
import { TcpClient } from './helpers/tcp-client.js';

const CLOCK = String.raw`\d\d:\d\d:\d\d\.\d{3}`;

describe('trace lines', () => {
  it('escapes the bytes exactly', () => {
    assert.equal(escapeBytes(Buffer.from('42\n')), '"42\\n"');
    assert.equal(escapeBytes(Buffer.from('42\r\n')), '"42\\r\\n"');
    assert.equal(escapeBytes(Buffer.from('Too small!')), '"Too small!"');
    assert.equal(escapeBytes(Buffer.from('a"b\\c\td')), '"a\\"b\\\\c\\td"');
    assert.equal(escapeBytes(Buffer.from([0x00, 0x1b, 0x7f])), '"\\x00\\x1b\\x7f"');
    assert.equal(escapeBytes(Buffer.from('é😀')), '"\\u00e9\\u{1f600}"');
    assert.equal(escapeBytes(Buffer.from([0xff])), '"\\ufffd"');
    assert.equal(escapeBytes(Buffer.from('')), '""');
  });

  it('escapes a view into a larger buffer without reading outside it', () => {
    const whole = Buffer.from('xx42\nyy');
    assert.equal(escapeBytes(whole.subarray(2, 5)), '"42\\n"');
  });

  it('draws an arrow from the sender to the receiver', () => {
    const time = new Date('2026-01-01T12:00:01.234Z');
    assert.equal(
      traceLine(time, '127.0.0.1:50412', 'to-server', Buffer.from('42\n')),
      '12:00:01.234  client 127.0.0.1:50412  ──"42\\n"──▶  server',
    );
    assert.equal(
      traceLine(time, '127.0.0.1:50412', 'to-client', Buffer.from('Too small!\n')),
      '12:00:01.234  client 127.0.0.1:50412  ◀──"Too small!\\n"──  server',
    );
  });
});

describe('--trace', { timeout: 30_000 }, () => {
  // 42 is always too small for a secret in 50..100.
  let server: RunningServer;
  before(async () => {
    server = await startServer(['--trace', '--min', '50', '--max', '100']);
  });
  after(async () => {
    await server.stop();
  });

  it('`serve --trace` prints a line per message, with the bytes escaped and an arrow', async () => {
    const client = await TcpClient.connect(server.port);
    try {
      const port = client.socket.localPort ?? 0;
      assert.equal(await client.ask('42'), 'Too small!');
      const output = await server.waitFor(new RegExp(`client 127\\.0\\.0\\.1:${port}  ◀──"Too small!\\\\n"──`));
      // The exact text after the clock: the peer, then the bytes as a quoted, escaped string.
      const lines = output.split('\n').filter((line) => new RegExp(`^${CLOCK}  `).test(line)).map((line) => line.slice(14));
      assert.ok(lines.includes(`client 127.0.0.1:${port}  ──"42\\n"──▶  server`), output);
      assert.ok(lines.includes(`client 127.0.0.1:${port}  ◀──"Too small!\\n"──  server`), output);
    } finally {
      client.close();
    }
  });

  it('`join --trace` prints the same diagram on stderr, seen from the client', async () => {
    const { code, stdout, stderr } = await runGuess(['join', `127.0.0.1:${server.port}`, '--trace'], '42\n');
    assert.equal(code, 0);
    assert.match(stdout, /Too small!/);
    const lines = stderr.split('\n');
    assert.equal(lines.length, 5);
    // First the range (see docs/PROTOCOL.md, Plain lines), then the guess.
    assert.match(lines[0] ?? '', new RegExp(`^${CLOCK}  client 127\\.0\\.0\\.1:\\d+  ──"range\\\\n"──▶  server$`));
    assert.match(lines[1] ?? '', new RegExp(`^${CLOCK}  client 127\\.0\\.0\\.1:\\d+  ◀──"The number is between 50 and 100\\.\\\\n"──  server$`));
    assert.match(lines[2] ?? '', new RegExp(`^${CLOCK}  client 127\\.0\\.0\\.1:\\d+  ──"42\\\\n"──▶  server$`));
    assert.match(lines[3] ?? '', new RegExp(`^${CLOCK}  client 127\\.0\\.0\\.1:\\d+  ◀──"Too small!\\\\n"──  server$`));
    assert.equal(lines[4], '');
  });

  it('`join --classic --trace` shows bare bytes, with no line ending', async () => {
    const { code, stderr } = await runGuess(['join', `127.0.0.1:${server.port}`, '--classic', '--trace'], '42\n');
    assert.equal(code, 0);
    assert.match(stderr, / {2}──"42"──▶ {2}server\n/);
    assert.match(stderr, / {2}◀──"Too small!"── {2}server\n/);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeBytes, traceLine } from '../src/protocol/trace.js';

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

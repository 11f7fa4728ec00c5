import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULTS, resolveConfig, type ServerOptions } from '../src/server/config.js';
import { SILENT_LOG } from './helpers/log.js';

const base: ServerOptions = {
  random: () => 1,
  log: SILENT_LOG,
};

describe('server config', () => {
  it('fills every limit from DEFAULTS, and freezes both', () => {
    const config = resolveConfig(base);
    assert.ok(Object.isFrozen(DEFAULTS));
    assert.ok(Object.isFrozen(config));
    for (const [key, value] of Object.entries(DEFAULTS)) assert.deepEqual(config[key as keyof typeof config], value, key);
  });

  it('keeps an explicit value rather than the default', () => {
    assert.equal(resolveConfig({ ...base, idleTimeoutMs: 1 }).idleTimeoutMs, 1);
    assert.equal(resolveConfig({ ...base, limitLoopback: true }).limitLoopback, true);
  });

  it('lets the benchmark through by default: 10,000 loopback connections, loopback exempt from rates', () => {
    const config = resolveConfig(base);
    assert.ok(config.maxConnections > 10_000);
    assert.equal(config.limitLoopback, false);
    assert.equal(config.shutdownTimeoutMs, 5_000);
    assert.equal(config.retryAfterMs, 3_000, 'the README says clients are told to wait 3,000 ms by default');
    assert.ok(config.maxWsPayloadBytes >= config.maxLineBytes);
  });

  it('refuses a limit that is not a positive integer, naming it', () => {
    for (const key of ['maxConnections', 'maxConnectionsPerIp', 'maxMessagesPerSecond', 'idleTimeoutMs', 'firstMessageTimeoutMs', 'maxOutputBytes', 'writeTimeoutMs', 'maxWsPayloadBytes', 'wsPingMs', 'maxRooms', 'shutdownTimeoutMs', 'retryAfterMs'] as const) {
      for (const bad of [0, -1, 1.5, Number.NaN]) {
        assert.throws(() => resolveConfig({ ...base, [key]: bad }), (error: unknown) => error instanceof TypeError && error.message.startsWith(`${key} `), `${key}=${bad}`);
      }
    }
  });

  it('lets the WebSocket payload follow the line length unless set', () => {
    assert.equal(resolveConfig({ ...base, maxLineBytes: 4096 }).maxWsPayloadBytes, 4096);
    assert.equal(resolveConfig({ ...base, maxWsPayloadBytes: 2048 }).maxWsPayloadBytes, 2048);
  });

  it('refuses a WebSocket payload smaller than a line, naming both options', () => {
    assert.throws(() => resolveConfig({ ...base, maxWsPayloadBytes: 100 }), /maxWsPayloadBytes \(100\) must be at least maxLineBytes \(1024\)/);
  });
});

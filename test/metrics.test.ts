import assert from 'node:assert/strict';
import { once } from 'node:events';
import { get as httpGet } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { HandlingClock, SAMPLE_EVERY } from '../src/server/handling-clock.js';
import { JsonClient } from './helpers/json-client.js';
import { startServer, type RunningServer } from './helpers/server.js';
import { TcpClient } from './helpers/tcp-client.js';

function scrape(port: number): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    httpGet({ host: '127.0.0.1', port, path: '/metrics', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (part: string) => (body += part));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', body }));
    }).on('error', reject);
  });
}

/** The value of one sample, `name{labels}` exactly as the text format writes it. */
function sample(body: string, series: string): number | undefined {
  const line = body.split('\n').find((text) => text.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', { timeout: 30_000 }, () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  it('counts connections by transport and dialect, rooms by mode, guesses and resumes, with the process metrics, and no name, code or token', async () => {
    const empty = await scrape(server.port);
    assert.equal(empty.status, 200);
    assert.match(empty.type, /^text\/plain; version=0\.0\.4/);
    assert.equal(sample(empty.body, 'guess_rooms{mode="solo"}'), 0);
    assert.ok(sample(empty.body, 'process_cpu_user_seconds_total') !== undefined, 'Node\u2019s process metrics');

    const plain = await TcpClient.connect(server.port);
    await plain.ask('50');
    await plain.ask('25');
    const ada = await JsonClient.hello(server.port, 'Ada Lovelace');
    const room = await ada.ask({ type: 'create', mode: 'solo', min: 1, max: 100 }, 'room');
    await ada.next('round_start');
    await ada.ask({ type: 'guess', value: 50 }, 'result');
    const during = await scrape(server.port);
    assert.equal(sample(during.body, 'guess_connections{transport="tcp",dialect="plain"}'), 1);
    assert.equal(sample(during.body, 'guess_connections{transport="tcp",dialect="json"}'), 1);
    assert.equal(sample(during.body, 'guess_rooms{mode="solo"}'), 1);
    assert.equal(sample(during.body, 'guess_guesses_total{dialect="plain"}'), 2);
    assert.equal(sample(during.body, 'guess_guesses_total{dialect="json"}'), 1);
    // hello, create and guess; the plain connection's two lines.
    assert.equal(sample(during.body, 'guess_messages_total{dialect="json"}'), 3);
    assert.equal(sample(during.body, 'guess_messages_total{dialect="plain"}'), 2);
    assert.ok((sample(during.body, 'guess_message_handling_seconds_total') ?? 0) > 0, 'the time they took');
    assert.ok((sample(during.body, 'guess_store_commits_total') ?? 0) >= 2, 'the room and the guess were committed');
    for (const secret of [room.code, 'Ada', ada.token, ada.player]) assert.ok(!during.body.includes(`"${secret}"`), `no label holds ${secret}`);

    plain.close();
    await once(plain.socket, 'close');
    ada.close();
    await once(ada.tcp.socket, 'close');
    const back = await JsonClient.connect(server.port);
    back.send({ type: 'resume', token: ada.token });
    await back.next('room');
    const after = await scrape(server.port);
    assert.equal(sample(after.body, 'guess_connections{transport="tcp",dialect="plain"}'), undefined, 'the plain connection is gone');
    assert.equal(sample(after.body, 'guess_guesses_total{dialect="plain"}'), 2, 'its guesses still counted');
    assert.equal(sample(after.body, 'guess_messages_total{dialect="plain"}'), 2, 'and its messages');
    assert.equal(sample(after.body, 'guess_messages_total{dialect="json"}'), 4, 'the resume too');
    assert.equal(sample(after.body, 'guess_resumes_total'), 1);
    back.close();
  });
});

describe('the handling time', () => {
  it('times the first read and every sixteenth after it, each for sixteen: the total is right when reads take alike', () => {
    let clock = 0;
    let clockReads = 0;
    const stats = { handlingSeconds: 0 };
    const handling = new HandlingClock(stats, () => {
      clockReads++;
      return clock;
    });
    const read = (ms: number): void => {
      const started = handling.begin();
      clock += ms;
      handling.end(started);
    };
    read(2);
    assert.equal(stats.handlingSeconds, (2 * SAMPLE_EVERY) / 1000, 'the first read, the first of its sixteen');
    for (let i = 1; i < 10 * SAMPLE_EVERY; i++) read(2);
    // 160 reads of 2 ms each: 0.32 s, from ten of them, two clock reads each.
    assert.ok(Math.abs(stats.handlingSeconds - 0.32) < 1e-9, String(stats.handlingSeconds));
    assert.equal(clockReads, 20);
  });
});

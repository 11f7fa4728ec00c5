import { after, before } from 'node:test';
import type { JsonClient } from './json-client.js';
import { startRedis, type RunningRedis } from './redis.js';
import type { RunningServer } from './server.js';

export interface ClusterFixture {
  /** The suite's own Redis, started before its first test. */
  readonly redis: RunningRedis;
  /** Stopped after the last test: push every server and player a test starts. */
  readonly servers: RunningServer[];
  readonly players: JsonClient[];
}

/** For a suite of servers sharing one Redis: call it in the `describe`, read the fixture in the tests. */
export function clusterFixture(): ClusterFixture {
  let redis: RunningRedis | undefined;
  const servers: RunningServer[] = [];
  const players: JsonClient[] = [];
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    for (const player of players) player.close();
    await Promise.all(servers.map((server) => server.stop()));
    await redis?.stop();
  });
  return {
    get redis(): RunningRedis {
      if (redis === undefined) throw new Error('Redis is started before the first test');
      return redis;
    },
    servers,
    players,
  };
}

import { after, before } from 'node:test';
import { JsonClient } from './json-client.js';
import { startRedis, type RunningRedis } from './redis.js';
import { startServer, type RunningServer } from './server.js';

export interface ClusterFixture {
  /** The suite's own Redis, started before its first test. */
  readonly redis: RunningRedis;
  /** Stopped after the last test: push every server and player a test starts. */
  readonly servers: RunningServer[];
  readonly players: JsonClient[];
  /** A server of the cluster (its games in this Redis, numbers in 1..max), once it says new rooms are open. */
  readonly serve: (max: number) => Promise<RunningServer>;
  /** A player greeted on `server`, closed after the suite. */
  readonly hello: (server: RunningServer, name: string) => Promise<JsonClient>;
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
  const fixture: ClusterFixture = {
    get redis(): RunningRedis {
      if (redis === undefined) throw new Error('Redis is started before the first test');
      return redis;
    },
    servers,
    players,
    serve: async (max) => {
      const server = await startServer(['--redis', fixture.redis.url, '--db', ':memory:', '--min', '1', '--max', String(max)]);
      servers.push(server);
      await server.waitFor(/answers: new rooms are open/);
      return server;
    },
    hello: async (server, name) => {
      const player = await JsonClient.hello(server.port, name);
      players.push(player);
      return player;
    },
  };
  return fixture;
}

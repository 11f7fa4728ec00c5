import { after, before } from 'node:test';
import { JsonClient } from './json-client.js';
import { startServer, type RunningServer } from './server.js';

export interface RoomServer {
  /** The running server (set once the suite's `before` has run). */
  readonly server: () => RunningServer;
  /** Connects a JSON client and says hello; it is closed after the suite. */
  readonly hello: (name: string) => Promise<JsonClient>;
  /** Connects a JSON client that has said nothing yet; closed after the suite. */
  readonly connect: () => Promise<JsonClient>;
}

/** For one suite: a real `guess serve ARGS` started before its tests, stopped after them with every client it made. */
export function roomServer(args: readonly string[]): RoomServer {
  let running: RunningServer | undefined;
  const clients: JsonClient[] = [];
  const server = (): RunningServer => {
    if (running === undefined) throw new Error('the server is not started yet');
    return running;
  };
  const keep = (client: JsonClient): JsonClient => {
    clients.push(client);
    return client;
  };
  before(async () => {
    running = await startServer(args);
  });
  after(async () => {
    for (const client of clients) client.close();
    await running?.stop();
  });
  return {
    server,
    hello: async (name) => keep(await JsonClient.hello(server().port, name)),
    connect: async () => keep(await JsonClient.connect(server().port)),
  };
}

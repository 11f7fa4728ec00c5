import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { resolveConfig, type ServerConfig, type ServerOptions } from './config.js';
import { serveConnection } from './connection.js';
import { createHttpFront } from './http-front.js';
import { Hub } from './hub.js';
import { JsonPeer } from './json-peer.js';
import { loadWebAssets } from './web-assets.js';

export interface GameServer {
  readonly config: ServerConfig;
  /** Serves a socket accepted elsewhere (tests, or another listener). */
  handleSocket(socket: Socket): void;
  readonly connections: number;
  /** Binds and resolves with the address actually bound (port 0 gets a free one). */
  listen(): Promise<AddressInfo>;
  /** Stops accepting and closes every connection. */
  close(): Promise<void>;
}

export function createGameServer(options: ServerOptions): GameServer {
  const config = resolveConfig(options);
  const sockets = new Set<Socket>();
  let listener: Server | undefined;
  const assets = loadWebAssets(config.webRoot);
  if (assets.size === 0) config.log.warn({ webRoot: config.webRoot }, 'The web client is not built: run `npm run build`');
  const hub = new Hub(config);
  const http = createHttpFront(config, { assets, health: () => ({ connections: sockets.size }) }, (peer) => new JsonPeer(hub, peer));

  const handleSocket = (socket: Socket): void => {
    sockets.add(socket);
    serveConnection(socket, config, () => sockets.delete(socket), http.handleSocket, hub);
  };

  return {
    config,
    handleSocket,
    get connections() {
      return sockets.size;
    },
    listen() {
      return new Promise((resolve, reject) => {
        const server = createServer({ noDelay: true }, handleSocket);
        listener = server;
        server.once('error', reject);
        server.listen({ host: config.host, port: config.port, backlog: 4096 }, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        hub.close();
        for (const socket of sockets) socket.destroy();
        if (listener === undefined) resolve();
        else listener.close(() => resolve());
      });
    },
  };
}

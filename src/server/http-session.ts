import type { ServerConfig } from './config.js';
import type { Session, Wire } from './wire.js';

const HEAD_END = Buffer.from('\r\n\r\n');
const MAX_HEAD_BYTES = 16 * 1024;

/**
 * Reserved for the browser client: reads the request head, answers with a short page that says
 * how to play from a terminal, and closes.
 */
export class HttpSession implements Session {
  readonly #wire: Wire;
  readonly #config: ServerConfig;
  #head = Buffer.alloc(0);
  #answered = false;

  constructor(wire: Wire, config: ServerConfig) {
    this.#wire = wire;
    this.#config = config;
  }

  receive(chunk: Buffer): void {
    if (this.#answered) return;
    this.#head = Buffer.concat([this.#head, chunk]);
    if (this.#head.includes(HEAD_END) || this.#head.length > MAX_HEAD_BYTES) {
      this.#answered = true;
      const { host, port } = this.#config;
      const body =
        'This is a guess-a-number game server.\n' +
        `Play from a terminal: npx guess join ${host}:${port}  (or: nc ${host} ${port})\n`;
      this.#wire.sendAndClose(
        Buffer.from(
          'HTTP/1.1 200 OK\r\n' +
            'Content-Type: text/plain; charset=utf-8\r\n' +
            `Content-Length: ${Buffer.byteLength(body)}\r\n` +
            'Connection: close\r\n\r\n' +
            body,
        ),
      );
    }
  }

  close(): void {}
}

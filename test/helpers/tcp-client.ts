import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { LineDecoder } from '../../src/protocol/line-decoder.js';

/** A test client on loopback that reads whole lines, waiting on events (never on time). */
export class TcpClient {
  readonly socket: Socket;
  readonly #lines: string[] = [];
  readonly #waiters: Array<{ resolve: (line: string) => void; reject: (error: Error) => void }> = [];
  readonly #decoder = new LineDecoder(1 << 20);
  #ended = false;
  readonly #byteWaiters = new Set<() => void>();
  /** Every byte received, for checks on exact output. */
  received = Buffer.alloc(0);

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
      for (const check of this.#byteWaiters) check();
      this.#decoder.push(chunk, (line) => {
        const waiter = this.#waiters.shift();
        if (waiter === undefined) this.#lines.push(line);
        else waiter.resolve(line);
      });
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.#ended = true;
      for (const check of this.#byteWaiters) check();
      for (const waiter of this.#waiters.splice(0)) waiter.reject(new Error('connection closed'));
    });
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<TcpClient> {
    const socket = connect({ port, host, noDelay: true });
    await once(socket, 'connect');
    return new TcpClient(socket);
  }

  send(text: string | Buffer): void {
    this.socket.write(text);
  }

  /** The next whole line from the server. */
  nextLine(): Promise<string> {
    const line = this.#lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.#ended) return Promise.reject(new Error('connection closed'));
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /**
   * Resolves with everything received once at least `count` bytes have arrived in total (for
   * dialects without line endings); rejects if the connection closes first.
   */
  receivedBytes(count: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.received.length >= count) {
          this.#byteWaiters.delete(check);
          resolve(this.received);
        } else if (this.#ended) {
          this.#byteWaiters.delete(check);
          reject(new Error(`connection closed after ${this.received.length} of ${count} bytes`));
        }
      };
      this.#byteWaiters.add(check);
      check();
    });
  }

  async ask(line: string): Promise<string> {
    this.send(`${line}\n`);
    return this.nextLine();
  }

  /** Resolves when the server closes the connection. */
  async closed(): Promise<void> {
    if (this.socket.closed) return;
    await once(this.socket, 'close');
  }

  close(): void {
    this.socket.destroy();
  }
}

import { createHash } from 'node:crypto';
import type { RoomEvent } from '../../src/core/room-events.js';
import type { ServerMessage } from '../../src/protocol/messages.js';
import { TcpClient } from './tcp-client.js';

export type Message = ServerMessage;
type Of<T extends Message['type']> = Extract<Message, { type: T }>;

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A JSON-lines player on loopback: sends objects, waits for the next message of a type (never on time). */
export class JsonClient {
  readonly tcp: TcpClient;
  /** Every message received, in order. */
  readonly received: Message[] = [];
  #read = 0;
  player = '';
  token = '';

  private constructor(tcp: TcpClient) {
    this.tcp = tcp;
  }

  static async connect(port: number): Promise<JsonClient> {
    return new JsonClient(await TcpClient.connect(port));
  }

  /** Connects and says hello. */
  static async hello(port: number, name: string): Promise<JsonClient> {
    const client = await JsonClient.connect(port);
    client.send({ type: 'hello', v: 1, name });
    const welcome = await client.next('welcome');
    client.player = welcome.player;
    client.token = welcome.token;
    return client;
  }

  send(message: object): void {
    this.tcp.send(`${JSON.stringify(message)}\n`);
  }

  /** The next message (after those already taken) of the given type; others before it are skipped but kept in `received`. */
  async next<T extends Message['type']>(type: T): Promise<Of<T>> {
    for (;;) {
      while (this.#read < this.received.length) {
        const message = this.received[this.#read++];
        if (message?.type === type) return message as Of<T>;
      }
      const line = await this.tcp.nextLine();
      this.received.push(JSON.parse(line) as Message);
    }
  }

  /** Sends a request and resolves the reply of the given type, failing on an `error`. */
  async ask<T extends Message['type']>(message: object, type: T): Promise<Of<T>> {
    this.send(message);
    for (;;) {
      const reply = await this.nextAny();
      if (reply.type === type) return reply as Of<T>;
      if (reply.type === 'error') throw new Error(`${reply.code}: ${reply.message}`);
    }
  }

  /** The next message, whatever its type. */
  async nextAny(): Promise<Message> {
    if (this.#read < this.received.length) return this.received[this.#read++] as Message;
    const line = await this.tcp.nextLine();
    const message = JSON.parse(line) as Message;
    this.received.push(message);
    this.#read++;
    return message;
  }

  /** Sends a request expected to be refused; resolves the error code. */
  async refused(message: object): Promise<string> {
    const error = await this.ask(message, 'error');
    return error.code;
  }

  /**
   * Plays the current round by binary search until this player wins or the round ends. Resolves
   * the round's end as this player saw it.
   */
  async binarySearch(min: number, max: number): Promise<Of<'round_end'>> {
    let low = min;
    let high = max;
    for (;;) {
      this.send({ type: 'guess', value: low + Math.floor((high - low) / 2) });
      for (;;) {
        const reply = await this.nextAny();
        if (reply.type === 'round_end') return reply;
        if (reply.type === 'error') {
          // The round ended (someone else won) while our guess was on its way.
          if (reply.code === 'E_NO_ROUND') return this.next('round_end');
          throw new Error(`${reply.code}: ${reply.message}`);
        }
        if (reply.type !== 'result') continue;
        if (reply.outcome === 'win') return this.next('round_end');
        if (reply.outcome === 'low') low = reply.value + 1;
        else high = reply.value - 1;
        break;
      }
    }
  }

  close(): void {
    this.tcp.close();
  }
}

export function opens(commitment: string, end: Of<'round_end'>): boolean {
  return sha256(`${end.secret}${end.salt}`) === commitment;
}

export type { RoomEvent };

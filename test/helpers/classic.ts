import { SENTENCES } from '../../src/core/game.js';
import type { TcpClient } from './tcp-client.js';

const REPLIES: readonly string[] = Object.values(SENTENCES);

/**
 * Sends bytes with no line ending, as the chapter's client does, and resolves with the one bare
 * reply that follows. Waits on data events until the bytes since the send form a whole sentence
 * (one of the chapter's, or of `replies`).
 */
export async function classicAsk(client: TcpClient, text: string | readonly string[], replies: readonly string[] = REPLIES): Promise<string> {
  const offset = client.received.length;
  for (const part of typeof text === 'string' ? [text] : text) client.send(part);
  let want = offset + 1;
  for (;;) {
    const reply = (await client.receivedBytes(want)).subarray(offset).toString('utf8');
    if (replies.includes(reply)) return reply;
    if (!replies.some((sentence) => sentence.startsWith(reply))) return reply;
    want = offset + Buffer.byteLength(reply) + 1;
  }
}

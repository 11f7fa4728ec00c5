import WebSocket from 'ws';
import type { Verdict } from './bot.js';
import { openLines, plain, type BotDialect, type DialectName, type Link, type LinkEvents, type Reading, type Target } from './dialects.js';

/** A handshake that has not finished by then is a failure, so a run cannot hang on one. */
const HANDSHAKE_MS = 15_000;

type Opener = (target: Target, events: LinkEvents) => Promise<Link>;

/**
 * The JSON dialect's solo game, over any transport: `hello`, `create` a solo room with the
 * server's range, wait for `round_start`; then `guess` objects, each answered by a `result`
 * (after a win, `round_end` and the next `round_start` follow by themselves).
 */
function jsonDialect(name: DialectName, open: Opener): BotDialect {
  return {
    name,
    open: async (target, events) => {
      // Until the game is set up, messages go to the handshake; afterwards, to the bot.
      let onMessage: (text: string) => void = () => undefined;
      let onFailure: (message: string) => void = events.error;
      let onClosed = (): void => onFailure('connection closed by the server while setting up a game');
      const link = await open(target, {
        reply: (text) => onMessage(text),
        error: (message) => onFailure(message),
        closed: () => onClosed(),
      });
      try {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('no round_start within 15 s of hello')), HANDSHAKE_MS);
          onFailure = (message) => {
            clearTimeout(timer);
            reject(new Error(message));
          };
          onMessage = (text) => {
            const message = parse(text);
            if (message?.type === 'welcome') {
              const { min, max } = target.range;
              link.send(`${JSON.stringify({ type: 'create', mode: 'solo', min, max })}${newline(name)}`);
            } else if (message?.type === 'round_start') {
              clearTimeout(timer);
              resolve();
            } else if (message?.type !== 'room') {
              clearTimeout(timer);
              reject(new Error(`setting up a solo game: ${text.slice(0, 200)}`));
            }
          };
          link.send(`{"type":"hello","name":"bench"}${newline(name)}`);
        });
      } catch (error) {
        link.close();
        throw error;
      }
      onMessage = events.reply;
      onFailure = events.error;
      onClosed = events.closed;
      return link;
    },
    encode: name === 'json' ? (guess) => `{"type":"guess","value":${guess}}\n` : (guess) => `{"type":"guess","value":${guess}}`,
    read: readJson,
  };
}

function newline(name: DialectName): string {
  return name === 'json' ? '\n' : '';
}

const OUTCOMES: Readonly<Record<string, Verdict>> = { low: 'low', high: 'high', win: 'win' };
const NOT_REPLIES = new Set(['round_end', 'round_start', 'room', 'progress', 'presence']);

function readJson(text: string): Reading {
  const message = parse(text);
  if (message === undefined) return undefined;
  if (message.type === 'result') return OUTCOMES[String(message.outcome)];
  return NOT_REPLIES.has(String(message.type)) ? 'other' : undefined;
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The game's WebSocket (`/ws`), one JSON object per text frame. */
function openWebSocket(target: Target, events: LinkEvents): Promise<Link> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${target.host}:${target.port}/ws`, { perMessageDeflate: false });
    let open = false;
    let closing = false;
    ws.on('open', () => {
      open = true;
      resolve({
        send: (text) => ws.send(text),
        close: () => {
          closing = true;
          ws.terminate();
        },
      });
    });
    ws.on('message', (data: Buffer) => events.reply(data.toString('utf8')));
    ws.on('error', (error: NodeJS.ErrnoException) => {
      if (!open) reject(error);
      else if (!closing) events.error(`connection error: ${error.message}`);
    });
    ws.on('close', () => {
      if (open && !closing) events.closed();
    });
  });
}

/** The dialects the generator speaks; whether the server does too is probed before a run. */
export const DIALECTS: Readonly<Record<DialectName, BotDialect>> = {
  plain,
  json: jsonDialect('json', openLines),
  ws: jsonDialect('ws', openWebSocket),
};

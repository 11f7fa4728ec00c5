import { networkInterfaces } from 'node:os';
import { SENTENCES } from '../core/game.js';
import type { BotKind, Mode, Role } from '../core/room-events.js';
import { integerLiteral } from '../core/guess.js';
import { integerMessage } from '../protocol/integer-message.js';
import type { IncomingMessage } from '../protocol/server-messages.js';
import type { ClientError } from './errors.js';
import type { LineInput } from './line-input.js';
import { RoomLink, seconds } from './room-link.js';
import { describe, emptyView } from './room-view.js';
import { GOODBYE } from './terminal-game.js';

export interface RoomPlan {
  readonly host: string;
  readonly port: number;
  readonly name: string;
  readonly trace: ((line: string) => void) | undefined;
  /** Create a room (`guess host`), or join one (`guess join --room`). */
  readonly create?: { readonly mode: Mode; readonly min?: number; readonly max?: number; readonly bot?: BotKind; readonly rounds?: number; readonly firstTo?: number };
  readonly join?: { readonly code: string; readonly as: Role };
}

export const ROOM_PROMPT = '> ';

const HELP = 'Type a number to guess (or to pick, when it is your turn), Enter to start a round, /quit to leave.';
const WATCHING = 'You are watching this room, not playing: type /quit to leave.';

/**
 * A room game in the terminal: what others do is printed as it happens, above the line being
 * typed; what the player types becomes guesses, picks, starts. Resolves the exit status.
 */
export async function playRoom(plan: RoomPlan, input: LineInput): Promise<number> {
  const view = emptyView();
  let settle: (code: number) => void = () => undefined;
  const over = new Promise<number>((resolve) => (settle = resolve));
  const seen = { inRoom: false, leaving: false };

  const onMessage = (message: IncomingMessage): void => {
    for (const line of describe(view, message)) input.notify(line);
    if (message.type === 'welcome' && !message.resumed) {
      if (plan.create !== undefined) link.send({ type: 'create', ...plan.create });
      else if (plan.join !== undefined) link.send({ type: 'join', code: plan.join.code, as: plan.join.as });
    } else if (message.type === 'room') {
      if (!seen.inRoom && plan.create !== undefined) for (const line of invitation(plan, message.code)) input.notify(line);
      if (!seen.inRoom) input.notify(view.role === 'spectator' ? WATCHING : HELP);
      seen.inRoom = true;
    } else if (message.type === 'error' && !seen.inRoom) {
      settle(1);
    } else if (message.type === 'left' || message.type === 'closed') {
      settle(0);
    }
  };
  const onGone = (error: ClientError): void => {
    // The server's goodbye, when it is the end (there was no seat to come back to), is no failure.
    if (error.code === 'E_SHUTDOWN') {
      input.notify(error.message);
      settle(0);
      return;
    }
    input.notify(`guess: ${error.message}`);
    settle(1);
  };

  const link = await RoomLink.open(
    { host: plan.host, port: plan.port, name: plan.name, trace: plan.trace },
    {
      message: onMessage,
      reconnecting: (windowMs, goodbye) => input.notify(`${sentence(goodbye ?? 'Connection lost')} Reconnecting by itself for up to ${seconds(windowMs)}\u2026`),
      gone: onGone,
    },
  );

  const typing = (async () => {
    for (;;) {
      const line = await input.ask(ROOM_PROMPT);
      if (line === undefined || /^\s*\/?(quit|leave|q)\s*$/i.test(line)) {
        seen.leaving = true;
        if (!seen.inRoom) settle(0);
        link.send({ type: 'leave' });
        return;
      }
      if (view.role === 'spectator') {
        input.print(WATCHING);
        continue;
      }
      const text = line.trim();
      if (text === '' || text === '/start' || text === 'start') {
        if (view.state === 'waiting' || view.state === 'ended') link.send({ type: 'start' });
        continue;
      }
      const picking = view.state === 'picking' && view.picker === view.me;
      const message = integerMessage(picking ? 'pick' : 'guess', text);
      if (message === undefined) {
        input.print(/^[+-]?[0-9]/.test(text) ? SENTENCES.notInteger : HELP);
        continue;
      }
      link.sendText(message);
      if (!picking) view.typed.sent(integerLiteral(text) ?? '');
    }
  })();

  const code = await over;
  link.close();
  input.close();
  await typing;
  if (seen.leaving && code === 0) input.print(GOODBYE);
  return code;
}

/** The server's words with a full stop, for our words to follow. */
export function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** The exact command a friend runs, on this machine and from the local network. */
function invitation(plan: RoomPlan, code: string): string[] {
  const address = plan.host.includes(':') ? `[${plan.host}]:${plan.port}` : `${plan.host}:${plan.port}`;
  const lines = [`Room code: ${code}`, `Your friend joins with:  npx guess join ${address} --room ${code}`];
  if (plan.host === '127.0.0.1' || plan.host === 'localhost' || plan.host === '::1') {
    const lan = lanAddress();
    if (lan !== undefined) {
      lines.push(`From another computer:   npx guess join ${lan}:${plan.port} --room ${code}   (the server must run with --host 0.0.0.0)`);
    }
  }
  return lines;
}

function lanAddress(): string | undefined {
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) if (entry.family === 'IPv4' && !entry.internal) return entry.address;
  }
  return undefined;
}

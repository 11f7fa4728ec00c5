/**
 * The JSON dialect: one object per line over TCP, one object per text frame over WebSocket.
 * Client messages are decoded here, once, into a typed union; nothing past this module looks at
 * raw JSON. Unknown fields are ignored so that newer clients can talk to older servers.
 * docs/PROTOCOL.md is the contract; every type and field below has its entry there.
 */
import * as v from 'valibot';
import { SENTENCES } from '../core/game.js';
import type { OutcomeKind, RoomEvent } from '../core/room-events.js';
import { ERRORS, type ErrorCode } from './errors.js';
import { exactInteger } from './json-integer.js';

/** Bumped when a change would break an existing client. `hello` and `welcome` carry it. */
export const PROTOCOL_VERSION = 1;

/** Longest player name, in characters, after trimming; longer names are cut. */
export const MAX_NAME_LENGTH = 32;

/** The pace a `create` may ask of its bot: slower than a person can read is no game, faster floods the room. */
export const MIN_BOT_DELAY_MS = 100;
export const MAX_BOT_DELAY_MS = 10_000;

const Integerish = v.number();

const Version = v.optional(v.pipe(v.number(), v.integer()));

const Name = v.optional(
  v.pipe(
    v.string(),
    // Control characters would let a name rewrite another player's terminal.
    v.transform((name) => Array.from(name.replace(/[\p{Cc}\p{Cf}]/gu, '').trim()).slice(0, MAX_NAME_LENGTH).join('')),
  ),
);

/** Longest match, in rounds or wins. */
export const MAX_MATCH_ROUNDS = 100;

const MatchCount = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_MATCH_ROUNDS));

const Code = v.pipe(v.string(), v.trim(), v.toUpperCase(), v.maxLength(16));

const SCHEMAS = {
  hello: v.object({ type: v.literal('hello'), v: Version, name: Name }),
  resume: v.object({
    type: v.literal('resume'),
    v: Version,
    token: v.pipe(v.string(), v.maxLength(128)),
    seq: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  }),
  create: v.object({
    type: v.literal('create'),
    mode: v.picklist(['race', 'pick', 'solo']),
    min: v.optional(Integerish),
    max: v.optional(Integerish),
    bot: v.optional(v.picklist(['binary', 'medium', 'weak'])),
    botDelayMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(MIN_BOT_DELAY_MS), v.maxValue(MAX_BOT_DELAY_MS))),
    maxPlayers: v.optional(v.pipe(v.number(), v.integer())),
    rounds: v.optional(MatchCount),
    firstTo: v.optional(MatchCount),
  }),
  join: v.object({ type: v.literal('join'), code: Code, as: v.optional(v.picklist(['player', 'spectator'])) }),
  leave: v.object({ type: v.literal('leave') }),
  start: v.object({ type: v.literal('start') }),
  guess: v.object({ type: v.literal('guess'), value: Integerish }),
  pick: v.object({ type: v.literal('pick'), value: Integerish }),
} as const;

type Schemas = typeof SCHEMAS;
export type ClientMessageType = keyof Schemas;
export type ClientMessage = { [K in ClientMessageType]: v.InferOutput<Schemas[K]> }[ClientMessageType];
export type ClientMessageOf<K extends ClientMessageType> = Extract<ClientMessage, { type: K }>;

export const CLIENT_MESSAGE_TYPES = Object.freeze(Object.keys(SCHEMAS)) as readonly ClientMessageType[];

export interface WelcomeMessage {
  readonly type: 'welcome';
  readonly v: number;
  /** Your player id: other messages name you by it. */
  readonly player: string;
  readonly name: string;
  /** Keep it secret: `resume {token}` on a new connection gets your seat back. */
  readonly token: string;
  /** True when this answers `resume`: a `room` snapshot and the missed messages follow. */
  readonly resumed: boolean;
  /** With `resumed`: how many replayed messages follow before the `room` snapshot. */
  readonly missed?: number;
}

export interface ErrorMessage {
  readonly type: 'error';
  readonly code: ErrorCode;
  readonly message: string;
}

/** The server is going down; the connection closes right after (docs/PROTOCOL.md "Shutdown"). */
export interface ShutdownMessage {
  readonly type: 'shutdown';
  readonly message: string;
  /** When to try again. */
  readonly retryAfterMs: number;
  /** The player's `welcome` token again, for `resume`; absent before `welcome`. */
  readonly token?: string;
}

export type ServerMessage = WelcomeMessage | ErrorMessage | ShutdownMessage | RoomEvent;
export type ServerMessageType = ServerMessage['type'];

/** A refused line, as a value: the session answers it with an `error` and reads on. */
export interface DecodeError {
  readonly code: ErrorCode;
  readonly message: string;
}

export type Decoded = { readonly ok: true; readonly message: ClientMessage } | { readonly ok: false; readonly error: DecodeError };

/** Decodes one line (or frame) of text. Never throws. */
export function decodeClientMessage(text: string): Decoded {
  const guess = compactGuess(text);
  if (guess !== undefined) return { ok: true, message: { type: 'guess', value: guess } };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return refuse('E_BAD_JSON', 'A message must be one JSON object (this is not valid JSON)');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return refuse('E_BAD_JSON', 'A message must be one JSON object, like {"type":"hello","name":"Ada"}');
  }
  const type = (raw as { type?: unknown }).type;
  if (typeof type !== 'string') return refuse('E_UNKNOWN_TYPE', 'A message needs a "type" field, a string');
  // Guesses are most of the traffic and their schema is one number, checked here by hand to skip
  // the schema library's generic walk; a pick is the same number. The number is read from its
  // literal, exactly, whatever its size. Anything else about them goes the long way.
  if (type === 'guess' || type === 'pick') {
    const value = (raw as { value?: unknown }).value;
    if (typeof value === 'number') {
      const exact = exactInteger(text, 'value', value);
      return exact === undefined ? refuse('E_NOT_INTEGER', ERRORS.E_NOT_INTEGER) : { ok: true, message: { type, value: exact } };
    }
  }
  if (!Object.hasOwn(SCHEMAS, type)) {
    return refuse('E_UNKNOWN_TYPE', `Unknown message type ${JSON.stringify(type.slice(0, 32))}`);
  }
  const parsed = v.safeParse(SCHEMAS[type as ClientMessageType], raw);
  if (!parsed.success) return refuse('E_BAD_MESSAGE', describeIssue(type, parsed.issues[0]));
  return { ok: true, message: parsed.output };
}

const GUESS_PREFIX = '{"type":"guess","value":';
const CLOSING_BRACE = 0x7d;
// Up to 15 digits every integer is exact in a double, as JSON.parse would read it.
const MAX_COMPACT_DIGITS = 15;

/**
 * The hottest path of all: a guess written as clients write it, `{"type":"guess","value":42}`,
 * is read without JSON.parse or an object to throw away. Anything else (spaces, another key
 * order, a sign, a fraction, a leading zero, more digits) returns undefined and goes the long
 * way, which reads the same text the same way (a property test holds the two together).
 */
export function compactGuess(text: string): number | undefined {
  const end = text.length - 1;
  let i = GUESS_PREFIX.length;
  if (end <= i || end - i > MAX_COMPACT_DIGITS || text.charCodeAt(end) !== CLOSING_BRACE || !text.startsWith(GUESS_PREFIX)) return undefined;
  if (text.charCodeAt(i) === 0x30 && end - i > 1) return undefined;
  let value = 0;
  for (; i < end; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  return value;
}

/** One message as the text of a line (without its LF) or of a WebSocket frame. */
export function encodeServerMessage(message: ServerMessage): string {
  // The hot path: a `result` answers every guess. Written by hand it costs a tenth of
  // JSON.stringify, with the same text: same key order, finite numbers printed as JSON prints
  // them (anything else goes the long way).
  if (isUsualResult(message)) return `${RESULT_HEAD}${message.value}${RESULT_MIDDLE[message.outcome]}${message.attempts}}`;
  return JSON.stringify(message);
}

/**
 * A room event as sent to a player: its text with `seq` last. A `result` is written in one go,
 * the hot path's one string per guess, from as few pieces as its numbers allow: each piece
 * joined is one more object for the garbage collector until the text is written.
 */
export function encodeNumbered(message: RoomEvent, seq: number): string {
  if (isUsualResult(message)) return `${RESULT_HEAD}${message.value}${RESULT_MIDDLE[message.outcome]}${message.attempts},"seq":${seq}}`;
  return `${encodeServerMessage(message).slice(0, -1)},"seq":${seq}}`;
}

const RESULT_HEAD = '{"type":"result","value":';

/** A `result`'s text between its value and its attempts, for each outcome with its own sentence. */
const RESULT_MIDDLE: Readonly<Record<OutcomeKind, string>> = {
  low: `,"outcome":"low","message":${JSON.stringify(SENTENCES.low)},"attempts":`,
  high: `,"outcome":"high","message":${JSON.stringify(SENTENCES.high)},"attempts":`,
  win: `,"outcome":"win","message":${JSON.stringify(SENTENCES.win)},"attempts":`,
};

/** A `result` whose message is its outcome's sentence and whose numbers print as themselves. */
export function isUsualResult(message: ServerMessage): message is Extract<ServerMessage, { type: 'result' }> {
  return message.type === 'result' && message.message === SENTENCES[message.outcome] && Number.isFinite(message.value) && Number.isFinite(message.attempts);
}

export function errorMessage(code: ErrorCode, message: string = ERRORS[code]): ErrorMessage {
  return { type: 'error', code, message };
}

function refuse(code: ErrorCode, message: string): Decoded {
  return { ok: false, error: { code, message } };
}

function describeIssue(type: string, issue: v.BaseIssue<unknown> | undefined): string {
  if (issue === undefined) return `Bad "${type}" message`;
  const path = issue.path?.map((item) => String(item.key)).join('.') ?? '';
  const where = path === '' ? `"${type}"` : `${type}.${path}`;
  return `${where}: expected ${issue.expected ?? 'something else'}, got ${issue.received}`;
}

/**
 * The JSON dialect seen from the client's side: every line (or frame) a server sends is decoded
 * here, once, by the terminal client and the web page alike, into a typed message or a reason
 * to stop. Nothing past this module trusts a field it did not check. docs/PROTOCOL.md
 * ("Clients decode every reply") is the rule; the schemas follow the server's types, and the
 * compiler holds the two together (see `Accepts` below).
 */
import * as v from 'valibot';
import { excerpt } from './escape.js';
import type { ServerMessage } from './messages.js';

const Num = v.number();
const Count = v.pipe(v.number(), v.integer(), v.minValue(0));
const Id = v.string();
/** Text a person reads: control and format characters (escape sequences, bidi overrides) are dropped. */
const Shown = v.pipe(v.string(), v.transform((text) => text.replace(/[\p{Cc}\p{Cf}]/gu, '')));
const Mode = v.picklist(['race', 'pick', 'solo']);
const Role = v.picklist(['player', 'spectator']);
const Outcome = v.picklist(['low', 'high', 'win']);
/** A list the client reads and never changes (the server's types say readonly too). */
const List = <T extends v.GenericSchema>(item: T) => v.pipe(v.array(item), v.readonly());
const PlayerRef = v.object({ id: Id, name: Shown });
/** An event's number for its player (see `resume`); absent on replies and from older servers. */
const Seq = v.optional(Count);
const Standing = v.object({ id: Id, name: Shown, wins: Count, rounds: Count, guesses: Count });
const MatchState = v.object({
  rounds: v.nullable(Count),
  firstTo: v.nullable(Count),
  played: Count,
  over: v.boolean(),
  result: v.exactOptional(v.object({ winner: v.nullable(PlayerRef), tied: List(PlayerRef) })),
});
const RoundEnd = {
  round: Count,
  reason: v.picklist(['found', 'all_found', 'abandoned']),
  winner: v.nullable(PlayerRef),
  secret: Num,
  salt: v.string(),
  commitment: v.string(),
};
/** Absent in solo rooms; a client that finds none shows no match. */
const Match = v.exactOptional(MatchState);

const SCHEMAS = {
  welcome: v.object({
    type: v.literal('welcome'),
    v: Count,
    player: Id,
    name: Shown,
    token: v.string(),
    resumed: v.boolean(),
    missed: v.optional(Count),
  }),
  // A newer server may add error codes: any code is read, the client acts on those it knows.
  error: v.object({ type: v.literal('error'), code: v.string(), message: Shown }),
  shutdown: v.object({ type: v.literal('shutdown'), message: Shown, retryAfterMs: Count, token: v.optional(v.string()) }),
  room: v.object({
    type: v.literal('room'),
    seq: Seq,
    code: Shown,
    mode: Mode,
    min: Num,
    max: Num,
    maxPlayers: Count,
    you: Id,
    role: Role,
    state: v.picklist(['waiting', 'picking', 'playing', 'ended']),
    round: Count,
    picker: v.nullable(Id),
    commitment: v.nullable(v.string()),
    players: List(
      v.object({
        id: Id,
        name: Shown,
        seat: Count,
        bot: v.boolean(),
        connected: v.boolean(),
        attempts: Count,
        found: v.boolean(),
        // A server from before `guesses` sends none: the seat has made none that the client knows of.
        guesses: v.optional(List(v.object({ value: v.exactOptional(Num), outcome: Outcome })), []),
      }),
    ),
    spectators: Count,
    history: List(v.object({ value: Num, outcome: Outcome })),
    standings: List(Standing),
    match: Match,
    lastRound: v.exactOptional(v.object(RoundEnd)),
  }),
  presence: v.object({
    type: v.literal('presence'),
    seq: Seq,
    event: v.picklist(['joined', 'left', 'dropped', 'returned']),
    player: Id,
    name: Shown,
    role: Role,
    seat: v.nullable(Count),
  }),
  picking: v.object({ type: v.literal('picking'), seq: Seq, round: Count, picker: Id, name: Shown, min: Num, max: Num, timeoutMs: Count, match: Match }),
  picked: v.object({ type: v.literal('picked'), seq: Seq, round: Count, value: Num }),
  round_start: v.object({
    type: v.literal('round_start'),
    seq: Seq,
    round: Count,
    mode: Mode,
    min: Num,
    max: Num,
    picker: v.nullable(Id),
    commitment: v.string(),
    guessers: List(Id),
    match: Match,
  }),
  result: v.object({ type: v.literal('result'), seq: Seq, value: Num, outcome: Outcome, message: Shown, attempts: Count }),
  progress: v.object({
    type: v.literal('progress'),
    seq: Seq,
    player: Id,
    name: Shown,
    outcome: Outcome,
    attempts: Count,
    value: v.optional(Num),
  }),
  round_end: v.object({ type: v.literal('round_end'), seq: Seq, ...RoundEnd, standings: List(Standing) }),
  match_end: v.object({
    type: v.literal('match_end'),
    seq: Seq,
    rounds: Count,
    winner: v.nullable(PlayerRef),
    tied: List(PlayerRef),
    standings: List(Standing),
  }),
  left: v.object({ type: v.literal('left'), code: Shown }),
  closed: v.object({ type: v.literal('closed'), seq: Seq, code: Shown, reason: Shown }),
} as const;

type Schemas = typeof SCHEMAS;
/** A server message as a client holds it once decoded. */
export type IncomingMessage = { [K in keyof Schemas]: v.InferOutput<Schemas[K]> }[keyof Schemas];
export type IncomingOf<K extends IncomingMessage['type']> = Extract<IncomingMessage, { type: K }>;

// Whatever the server may send, the client's schema accepts: a compile error otherwise.
type Holds<T extends true> = T;
export type ServerMessagesDecode = Holds<ServerMessage extends IncomingMessage ? true : false>;

export type ServerReply =
  | { readonly kind: 'message'; readonly message: IncomingMessage }
  /** A well-formed object of a type this client does not know: a newer server's addition. */
  | { readonly kind: 'unknown'; readonly type: string }
  /** Not a server message at all: `problem` is the one line to show, excerpt included. */
  | { readonly kind: 'bad'; readonly problem: string };

/** The one line a client shows before it gives up on a server that sent `text`. */
export function unexpectedReply(text: string, why?: string): string {
  return `unexpected reply from the server: ${excerpt(text)}${why === undefined ? '' : ` (${why})`}`;
}

/** What may answer `hello` or `resume`: the first message on a connection. */
const FIRST_ANSWERS: ReadonlySet<string> = new Set(['welcome', 'error', 'shutdown']);

/**
 * Decodes one line (or text frame) from a server. Never throws. `first`: this is the first
 * message on the connection, which must be one of FIRST_ANSWERS (an echo of our `hello`, or a
 * type from a newer server, is no answer to it).
 */
export function decodeServerMessage(text: string, first = false): ServerReply {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return bad(text, 'not JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return bad(text, 'not a JSON object');
  const type = (raw as { type?: unknown }).type;
  if (typeof type !== 'string') return bad(text, 'no "type"');
  const known = Object.hasOwn(SCHEMAS, type);
  const parsed = known ? v.safeParse(SCHEMAS[type as keyof Schemas], raw) : undefined;
  if (parsed?.success === false) return bad(text, describeIssue(type, parsed.issues[0]));
  if (first && !FIRST_ANSWERS.has(type)) return bad(text, 'expected welcome');
  return parsed === undefined ? { kind: 'unknown', type } : { kind: 'message', message: parsed.output };
}

function bad(text: string, why: string): ServerReply {
  return { kind: 'bad', problem: unexpectedReply(text, why) };
}

function describeIssue(type: string, issue: v.BaseIssue<unknown> | undefined): string {
  const path = issue?.path?.map((item) => String(item.key)).join('.') ?? '';
  const where = path === '' ? type : `${type}.${path}`;
  // What was received is the server's text, already in the excerpt: the schema's side is enough.
  return issue?.received === 'undefined' ? `${where} is missing` : `${where}: expected ${issue?.expected ?? 'something else'}`;
}

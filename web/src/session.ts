import type { ClientMessage } from '../../src/protocol/messages.js';
import { decodeServerMessage, unexpectedReply, type IncomingMessage } from '../../src/protocol/server-messages.js';
import type { MatchState, RoomMessage, RoundStartMessage, Standing } from '../../src/core/room-events.js';
import { announce, judgeReveal, verdictLine, type Announced, type Reveal } from '../../src/core/commitment.js';
import { matchLine } from '../../src/core/match.js';
import { sha256Hex } from '../../src/protocol/sha256.js';
import { isRoomCode } from '../../src/core/room-code.js';
import { integerLiteral } from '../../src/core/guess.js';
import { integerMessage, TypedGuesses } from '../../src/protocol/integer-message.js';
import type { Link } from './socket.js';
import type { BotChoice, Choices, MatchChoice } from './choices.js';
import type { AppState, MatchPlan, RoomView, Seat } from './state.js';

const TOKEN_KEY = 'guess.token';
/** The number of the last event handled for that token, so that a reload resumes from there too. */
const SEQ_KEY = 'guess.seq';

/**
 * The page's side of the JSON dialect: turns what the player does into client messages, and
 * every server message into the next AppState. The resume token lives in sessionStorage, so a
 * reload (or a dropped connection) gets the seat back, and a new tab starts fresh. Beside it, the
 * number of the last event handled: `resume` asks for what came after it, and an event whose
 * number was handled already (a replay) is dropped, so nothing is shown twice.
 */
export class Session {
  readonly #get: () => AppState;
  readonly #set: (state: AppState) => void;
  #link: Link | undefined;
  /** This connection has said hello or resume. */
  #greeted = false;
  #resuming = false;
  /** This connection has had its first message from the server. */
  #answered = false;
  /** What the player asked for before the connection was ready (guesses and picks as JSON text). */
  #queue: Array<ClientMessage | string> = [];
  /** This player's guesses too big for a JSON number, to show as typed when answered. */
  #typed = new TypedGuesses();
  /** The last request was a guess or a pick: an error answering it belongs next to its field. */
  #fromField = false;

  constructor(get: () => AppState, set: (state: AppState) => void) {
    this.#get = get;
    this.#set = set;
  }

  attach(link: Link): void {
    this.#link = link;
  }

  /** A (new) connection is open: get the seat back if there is one. */
  connected(link: Link): void {
    this.#link = link;
    this.#greeted = false;
    this.#answered = false;
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token !== null) {
      this.#resuming = true;
      this.#greeted = true;
      link.send({ type: 'resume', v: 1, token, seq: handledSeq() });
    } else link.settled();
    this.#flush();
  }

  /** Takes the seat back from the tab that resumed it. */
  playHere(): void {
    this.#update({ elsewhere: false, error: '' });
    this.#link?.retryNow();
  }

  playSolo(choices: Choices): void {
    this.#leaveHeld();
    this.#request({ type: 'create', mode: 'solo', ...choices });
  }

  createRoom(mode: 'race' | 'pick', name: string, choices: Choices & BotChoice & MatchChoice): void {
    this.#rename(name);
    this.#leaveHeld();
    this.#request({ type: 'create', mode, ...choices });
  }

  joinRoom(code: string, name: string, as: 'player' | 'spectator' = 'player'): void {
    const clean = code.trim().toUpperCase();
    if (!isRoomCode(clean)) {
      this.#update({ error: 'A room code is letters and digits, like K7PQM.' });
      return;
    }
    if (clean === this.#get().room?.code && as === 'player') {
      this.backToRoom();
      return;
    }
    this.#rename(name);
    this.#leaveHeld();
    this.#update({ pendingCode: clean });
    this.#request(as === 'spectator' ? { type: 'join', code: clean, as } : { type: 'join', code: clean });
  }

  /** From the landing page, back to the game this page still holds a seat in. */
  backToRoom(): void {
    const room = this.#get().room;
    if (room === undefined) return;
    if (room.mode !== 'solo') history.pushState(null, '', `/r/${room.code}`);
    this.#update({ screen: 'game', error: '' });
  }

  /** Whether the guess went; if not, what is wrong with it shows next to its field. */
  guess(text: string): boolean {
    const problem = this.#typingProblem(text, 'Your guess');
    if (problem !== undefined) return this.#refuse(problem);
    this.#request(integerMessage('guess', text) ?? '', true);
    this.#typed.sent(integerLiteral(text) ?? '');
    return true;
  }

  /** Whether the secret went; if not, what is wrong with it shows next to its field. */
  pick(text: string): boolean {
    const literal = integerLiteral(text) ?? '';
    const range = this.#get().room?.range;
    const problem = this.#typingProblem(text, 'The secret') ?? (range !== undefined && (Number(literal) < range.min || Number(literal) > range.max) ? `${literal} is outside the range. ${ask(range)}` : undefined);
    if (problem !== undefined) return this.#refuse(problem);
    this.#request(integerMessage('pick', text) ?? '', true);
    return true;
  }

  /** An empty field, or not a whole number: said with the range the room plays in. */
  #typingProblem(text: string, what: string): string | undefined {
    const range = this.#get().room?.range;
    if (text.trim() === '') return `${what} is empty. ${ask(range)}`;
    return integerLiteral(text) === undefined ? `${text.trim()} is not a whole number. ${ask(range)}` : undefined;
  }

  #refuse(problem: string): false {
    this.#update({ error: '', fieldError: problem });
    return false;
  }

  /** A page back on the landing page may start another game: the server first takes it out of the one it holds. */
  #leaveHeld(): void {
    if (this.#get().room !== undefined) this.#request({ type: 'leave' });
  }

  rematch(): void {
    this.#request({ type: 'start' });
  }

  /** Solo: shows the round the server started after the win, which waited for the player. */
  nextRound(): void {
    const next = this.#get().room?.next;
    if (next !== undefined) this.#startRound(next);
  }

  leave(): void {
    this.#request({ type: 'leave' });
  }

  /** One frame from the server. Anything no server of ours would send ends the game here: no reconnecting to it. */
  receive(text: string | undefined): void {
    const reply = text === undefined ? ({ kind: 'bad', problem: unexpectedReply('', 'a binary frame') } as const) : decodeServerMessage(text, !this.#answered);
    this.#answered = true;
    if (reply.kind === 'message' && this.#fresh(reply.message)) this.#apply(reply.message);
    else if (reply.kind === 'bad') {
      this.#link?.abandon();
      this.#update({ error: `The game stopped: ${reply.problem}. Reload the page to start again.` });
    }
  }

  /** Whether the message is news: not an event already handled. Events from older servers carry no number. */
  #fresh(message: IncomingMessage): boolean {
    if (!('seq' in message) || message.seq === undefined) return true;
    if (message.seq <= handledSeq()) return false;
    sessionStorage.setItem(SEQ_KEY, String(message.seq));
    return true;
  }

  #rename(name: string): void {
    const state = this.#get();
    this.#update({ me: { ...state.me, name: name.trim() } });
  }

  #request(message: ClientMessage | string, fromField = false): void {
    this.#update({ error: '', fieldError: '' });
    this.#fromField = fromField;
    this.#queue.push(message);
    this.#flush();
  }

  #flush(): void {
    const link = this.#link;
    if (link === undefined || !link.open || this.#resuming) return;
    if (!this.#greeted && this.#queue.length > 0) {
      const name = this.#get().me.name;
      link.send(name === '' ? { type: 'hello', v: 1 } : { type: 'hello', v: 1, name });
      this.#greeted = true;
    }
    for (const message of this.#queue.splice(0)) link.send(message);
  }

  #update(patch: Partial<AppState>): void {
    this.#set({ ...this.#get(), ...patch });
  }

  #updateRoom(patch: (room: RoomView) => Partial<RoomView>, rest: Partial<AppState> = {}): void {
    const room = this.#get().room;
    if (room === undefined) return;
    this.#update({ room: { ...room, ...patch(room) }, ...rest });
  }

  #apply(message: IncomingMessage): void {
    const state = this.#get();
    switch (message.type) {
      case 'welcome':
        // A new token numbers its events from 1.
        if (!message.resumed) sessionStorage.setItem(SEQ_KEY, '0');
        sessionStorage.setItem(TOKEN_KEY, message.token);
        this.#resuming = false;
        this.#link?.settled();
        this.#update({ me: { id: message.player, name: message.name } });
        this.#flush();
        return;
      case 'room':
        this.#enterRoom(message);
        return;
      case 'presence': {
        const seat: Seat = { id: message.player, name: message.name, attempts: 0, last: undefined, moves: [], connected: true, role: 'player', score: undefined };
        const verb = { joined: 'joined', left: 'left', dropped: 'lost their connection', returned: 'is back' }[message.event];
        this.#updateRoom(
          (room) => {
            if (message.role === 'spectator') return {};
            if (message.event === 'joined') return { seats: [...room.seats.filter((s) => s.id !== message.player), seat] };
            if (message.event === 'left') return { seats: room.seats.filter((s) => s.id !== message.player) };
            return { seats: room.seats.map((s) => (s.id === message.player ? { ...s, connected: message.event === 'returned' } : s)) };
          },
          { notice: `${message.name} ${verb}.` },
        );
        return;
      }
      case 'picking':
        this.#updateRoom(
          (room) => ({
            phase: 'picking',
            round: message.round,
            plan: planOf(message.match),
            announced: undefined,
            winner: undefined,
            match: undefined,
            seats: room.seats.map((s) => ({ ...s, attempts: 0, last: undefined, moves: [], role: s.id === message.picker ? 'picker' : 'guesser', ...fresh(room) })),
          }),
          { steps: [], attempts: 0, heard: '', fieldError: '', notice: message.picker === state.me.id ? 'Your turn to pick the secret.' : `${message.name} is picking the secret.` },
        );
        return;
      case 'picked':
        this.#update({ notice: `You picked ${message.value}. The others are guessing.` });
        return;
      case 'round_start':
        // Solo: the server starts the next round at once; the win stays on screen until the player asks for more.
        if (state.room?.mode === 'solo' && state.room.phase === 'over') this.#updateRoom(() => ({ next: message }));
        else this.#startRound(message);
        return;
      case 'result': {
        const shown = this.#typed.shown(message.value);
        this.#updateRoom(
          (room) => ({ seats: room.seats.map((s) => (s.id === state.me.id ? { ...s, attempts: message.attempts, last: message.outcome } : s)) }),
          {
            steps: [...state.steps, { value: message.value, outcome: message.outcome, ...(shown === String(message.value) ? {} : { shown }) }],
            attempts: message.attempts,
            notice: `${shown}: ${message.message}`,
            error: '',
            fieldError: '',
          },
        );
        return;
      }
      case 'progress':
        this.#updateRoom(
          (room) => ({
            seats: room.seats.map((s) =>
              s.id === message.player
                ? { ...s, attempts: message.attempts, last: message.outcome, moves: [...s.moves, { value: message.value === undefined ? undefined : String(message.value), outcome: message.outcome }] }
                : s,
            ),
          }),
          { heard: heardLine(message) },
        );
        return;
      case 'round_end': {
        const reveal = revealOf(message, state.room?.announced);
        const verdict = reveal.verdict;
        const winner = message.winner === null ? 'Nobody won this round.' : message.winner.id === state.me.id ? 'You win!' : `${message.winner.name} wins!`;
        this.#updateRoom(
          (room) => ({
            phase: 'over',
            winner: message.winner ?? undefined,
            reveal,
            plan: room.plan === undefined ? undefined : { ...room.plan, played: room.plan.played + 1 },
            seats: withScores(room.seats, message.standings, room.mode),
          }),
          { notice: `${winner} The secret was ${message.secret}.${verdict.kind === 'match' ? '' : ` ${reveal.line}`}` },
        );
        return;
      }
      case 'match_end': {
        const line = matchLine(message, state.me.id ?? '');
        // Shown in its own live region: the round's notice (the win, the secret) stays.
        this.#updateRoom((room) => ({
          match: line,
          plan: room.plan === undefined ? undefined : { ...room.plan, played: message.rounds },
          seats: withScores(room.seats, message.standings, room.mode),
        }));
        return;
      }
      case 'left':
      case 'closed':
        history.replaceState(null, '', '/');
        this.#update({
          screen: 'landing',
          room: undefined,
          pendingCode: undefined,
          steps: [],
          attempts: 0,
          heard: '',
          fieldError: '',
          notice: message.type === 'closed' ? `Room ${message.code} closed: ${message.reason}` : '',
        });
        return;
      case 'shutdown':
        // The link reconnects by itself, for as long as the server asked, and resumes with the same token.
        this.#link?.expectBack(message.retryAfterMs);
        this.#update({ notice: message.message });
        return;
      case 'error':
        if (message.code === 'E_RESUMED_ELSEWHERE') {
          this.#link?.stop();
          this.#update({ elsewhere: true, error: 'This game is now open in another tab or window.' });
          return;
        }
        if (this.#resuming) {
          // The seat is gone (it waited too long): start over, as a new player.
          this.#resuming = false;
          this.#greeted = false;
          sessionStorage.removeItem(TOKEN_KEY);
          sessionStorage.removeItem(SEQ_KEY);
          this.#update({ screen: state.pendingCode === undefined ? 'landing' : 'joining', room: undefined, error: 'The server no longer has your previous game (it was given up, or the server restarted without its games): start a new one.' });
          this.#flush();
          return;
        }
        if (this.#fromField) this.#update({ fieldError: `${message.message}.` });
        else this.#update({ error: message.message });
        return;
    }
  }

  #startRound(message: RoundStartMessage): void {
    this.#typed.forget();
    this.#updateRoom(
      (room) => ({
        phase: 'playing',
        round: message.round,
        range: { min: message.min, max: message.max },
        plan: planOf(message.match),
        announced: remember(room.code, announce(room.announced, message.round, message.commitment)),
        winner: undefined,
        match: undefined,
        next: undefined,
        seats: room.seats.map((s) => ({
          ...s,
          attempts: 0,
          last: undefined,
          moves: [],
          ...fresh(room),
          role: message.picker === null ? 'player' : s.id === message.picker ? 'picker' : 'guesser',
        })),
      }),
      { steps: [], attempts: 0, heard: '', fieldError: '', notice: `Round ${message.round}: guess a number from ${message.min} to ${message.max}.` },
    );
  }

  #enterRoom(message: RoomMessage): void {
    const state = this.#get();
    const same = state.room?.code === message.code;
    // A reloaded page has only what it wrote down before the reload.
    const held = same ? state.room.announced : recall(message.code);
    const announced = message.commitment === null ? held : announce(held, message.round, message.commitment);
    remember(message.code, announced);
    // Between rounds, the snapshot repeats the last reveal: judged, as any reveal, against what this page saw announced.
    const reveal = same && state.room.reveal !== undefined ? state.room.reveal : message.lastRound === undefined ? undefined : revealOf(message.lastRound, held);
    const role = (id: string): Seat['role'] => (message.mode !== 'pick' || message.picker === null ? 'player' : id === message.picker ? 'picker' : 'guesser');
    const room: RoomView = {
      code: message.code,
      mode: message.mode,
      range: { min: message.min, max: message.max },
      seats: withScores(
        message.players.map((p) => ({
          id: p.id,
          name: p.name,
          attempts: p.attempts,
          last: p.found ? 'win' : p.guesses.at(-1)?.outcome,
          moves: p.guesses.map((g) => ({ value: g.value === undefined ? undefined : String(g.value), outcome: g.outcome })),
          connected: p.connected,
          role: role(p.id),
          score: undefined,
        })),
        message.standings,
        message.mode,
      ).map((s) => (s.id === message.you && message.role === 'spectator' ? { ...s, role: 'spectator' } : s)),
      phase: message.state === 'ended' ? 'over' : message.state,
      round: message.round,
      watching: message.role === 'spectator',
      announced,
      reveal,
      winner: same ? state.room.winner : (message.lastRound?.winner ?? undefined),
      match: message.match?.over === true && message.match.result !== undefined ? matchLine({ rounds: message.match.played, ...message.match.result }, message.you) : undefined,
      plan: planOf(message.match),
      next: undefined,
    };
    // Back on the landing page (the title link), a reconnection keeps the player there.
    const stay = state.screen === 'landing' && state.room?.code === message.code;
    if (!stay && message.mode !== 'solo' && location.pathname !== `/r/${message.code}`) history.replaceState(null, '', `/r/${message.code}`);
    const mine = message.history.map((h) => ({ value: h.value, outcome: h.outcome }));
    this.#update({
      screen: stay ? 'landing' : 'game',
      fieldError: '',
      pendingCode: message.mode === 'solo' ? undefined : message.code,
      me: { ...state.me, id: message.you },
      room,
      steps: mine,
      attempts: mine.length,
      error: '',
    });
  }
}

/** A reveal judged against what was announced when its round started, never against the commitment it carries. */
function revealOf(end: Reveal, held: Announced | undefined): NonNullable<RoomView['reveal']> {
  const verdict = judgeReveal(sha256Hex, held, end);
  return { round: end.round, secret: end.secret, salt: end.salt, verdict, line: verdictLine(verdict, end) };
}

const ANNOUNCED_KEY = 'guess.announced.';

/**
 * The commitment announced for a room's current round, kept in the tab's sessionStorage so that
 * a page reloaded before the reveal can still check it (a reloaded page that never saw the
 * announcement says so instead of vouching for anything).
 */
function remember(code: string, announced: Announced | undefined): Announced | undefined {
  if (announced !== undefined) sessionStorage.setItem(`${ANNOUNCED_KEY}${code}`, JSON.stringify(announced));
  return announced;
}

function recall(code: string): Announced | undefined {
  try {
    const kept = JSON.parse(sessionStorage.getItem(`${ANNOUNCED_KEY}${code}`) ?? 'null') as Partial<Announced> | null;
    return typeof kept?.round === 'number' && typeof kept.commitment === 'string' ? { round: kept.round, commitment: kept.commitment } : undefined;
  } catch {
    return undefined;
  }
}

/** The number of the last event handled, 0 when none. */
function handledSeq(): number {
  const seq = Number(sessionStorage.getItem(SEQ_KEY) ?? '0');
  return Number.isSafeInteger(seq) && seq >= 0 ? seq : 0;
}

function withScores(seats: readonly Seat[], standings: readonly Standing[], mode: RoomView['mode']): Seat[] {
  if (mode === 'solo') return [...seats];
  return seats.map((seat) => {
    const standing = standings.find((s) => s.id === seat.id);
    // A new match starts everyone from nothing.
    if (standing === undefined || standing.rounds === 0) return { ...seat, score: undefined };
    return { ...seat, score: mode === 'race' ? plural(standing.wins, 'win') : `${plural(standing.guesses, 'guess', 'guesses')} in ${plural(standing.rounds, 'round')}` };
  });
}

function planOf(match: Pick<MatchState, 'rounds' | 'firstTo' | 'played'> | undefined): MatchPlan | undefined {
  return match === undefined ? undefined : { rounds: match.rounds, firstTo: match.firstTo, played: match.played };
}

/** What a guess or pick field asks for, in the words of the error next to it. */
function ask(range: { min: number; max: number } | undefined): string {
  return range === undefined ? 'Type a whole number.' : `Pick a number from ${range.min} to ${range.max}.`;
}

/** After `match_end`, the next round begins a new match: the last one's scores go. */
function fresh(room: RoomView): Partial<Seat> {
  return room.match === undefined ? {} : { score: undefined };
}

/** Another player's guess in words, as the terminal prints it. */
function heardLine(message: Extract<IncomingMessage, { type: 'progress' }>): string {
  if (message.outcome === 'win') return `${message.name} found it! (${plural(message.attempts, 'guess', 'guesses')})`;
  return `${message.name}: ${message.value ?? '?'} is too ${message.outcome === 'low' ? 'small' : 'big'}.`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

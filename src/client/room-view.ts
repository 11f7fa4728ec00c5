import { announce, judgeReveal, verdictLine, type Announced } from '../core/commitment.js';
import { matchLine } from '../core/match.js';
import type { PlayerRef, Role, RoomMessage, RoundEndMessage, Standing } from '../core/room-events.js';
import type { IncomingMessage } from '../protocol/server-messages.js';
import { TypedGuesses } from '../protocol/integer-message.js';
import { sha256Hex } from '../protocol/sha256.js';

/** What the terminal remembers of its room between messages. */
export interface RoomView {
  me: string;
  /** A spectator's typing is never sent: it is told how to leave instead. */
  role: Role;
  code: string | undefined;
  mode: RoomMessage['mode'] | undefined;
  min: number;
  max: number;
  /** The commitment announced for the round under way, to check the reveal against. */
  announced: Announced | undefined;
  /** The player who picks now (pick mode), if any. */
  picker: string | undefined;
  state: RoomMessage['state'];
  /** This player's guesses too big for a JSON number, to show as typed when they are answered. */
  typed: TypedGuesses;
}

export function emptyView(): RoomView {
  return { me: '', role: 'player', code: undefined, mode: undefined, min: 1, max: 100, announced: undefined, picker: undefined, state: 'waiting', typed: new TypedGuesses() };
}

/** The guesser's own check that the secret never changed, as the page makes it too. */
export function fairnessLine(announced: Announced | undefined, end: RoundEndMessage): string {
  return verdictLine(judgeReveal(sha256Hex, announced, end), end);
}

/** Updates the view with one message and says what the player should read, if anything. */
export function describe(view: RoomView, message: IncomingMessage): string[] {
  switch (message.type) {
    case 'welcome':
      view.me = message.player;
      return message.resumed ? [`Back in the game (${message.missed ?? 0} missed message${message.missed === 1 ? '' : 's'} follow).`] : [];
    case 'room':
      view.code = message.code;
      view.role = message.role;
      view.mode = message.mode;
      view.min = message.min;
      view.max = message.max;
      view.state = message.state;
      view.picker = message.picker ?? undefined;
      if (message.commitment !== null) view.announced = announce(view.announced, message.round, message.commitment);
      return [`Room ${message.code} (${message.mode}, ${message.min}\u2013${message.max}): ${message.players.map(seatLabel).join(', ')}${message.spectators > 0 ? ` + ${message.spectators} watching` : ''}.`];
    case 'presence': {
      const who = message.role === 'spectator' ? `${message.name} (watching)` : message.name;
      const text = { joined: `${who} joined.`, left: `${who} left.`, dropped: `${who} lost the connection; the seat waits.`, returned: `${who} is back.` };
      return [text[message.event]];
    }
    case 'picking':
      view.state = 'picking';
      view.picker = message.picker;
      return message.picker === view.me
        ? [`Round ${message.round}: your turn to pick the secret, ${message.min}\u2013${message.max} (${Math.round(message.timeoutMs / 1000)} s). Type it:`]
        : [`Round ${message.round}: ${message.name} is picking the secret\u2026`];
    case 'picked':
      return [`You picked ${message.value}. The others are guessing.`];
    case 'round_start':
      view.state = 'playing';
      view.announced = announce(view.announced, message.round, message.commitment);
      view.typed.forget();
      view.picker = message.picker ?? undefined;
      view.min = message.min;
      view.max = message.max;
      return message.guessers.includes(view.me)
        ? [`Round ${message.round}: guess the number between ${message.min} and ${message.max}! (commitment ${message.commitment.slice(0, 12)}\u2026)`]
        : [`Round ${message.round} is on (commitment ${message.commitment.slice(0, 12)}\u2026).`];
    case 'result':
      return [`${message.message}  (${view.typed.shown(message.value)}, guess ${message.attempts})`];
    case 'progress':
      return message.outcome === 'win'
        ? [`  ${message.name} found it! (${message.attempts} ${plural(message.attempts, 'guess', 'guesses')})`]
        : [`  ${message.name}: ${message.value ?? '?'} is too ${message.outcome === 'low' ? 'small' : 'big'} (${message.attempts} ${plural(message.attempts, 'guess', 'guesses')})`];
    case 'round_end':
      view.state = 'ended';
      return [
        `Round ${message.round} over: ${winnerText(message.winner, view.me)} The secret was ${message.secret}.`,
        fairnessLine(view.announced, message),
        `Standings: ${message.standings.map(standing).join(' \u00b7 ')}`,
        view.role === 'spectator' ? 'A player starts the next round; type /quit to leave.' : 'Press Enter for another round, or type /quit to leave.',
      ];
    case 'match_end':
      return [
        matchLine(message, view.me),
        `Final standings: ${message.standings.map(standing).join(' \u00b7 ')}`,
        view.role === 'spectator' ? 'A player starts the next match; type /quit to leave.' : 'Press Enter for a new match, or type /quit to leave.',
      ];
    case 'left':
      return [`You left room ${message.code}.`];
    case 'closed':
      return [`Room ${message.code} was closed: ${message.reason}`];
    case 'shutdown':
      // The link says it, once, with what it does next (src/client/room-play.ts).
      return [];
    case 'error':
      return [`Error: ${message.message}`];
  }
}

function seatLabel(seat: RoomMessage['players'][number]): string {
  return `${seat.name}${seat.bot ? ' (bot)' : ''}${seat.connected ? '' : ' (away)'}`;
}

function winnerText(winner: PlayerRef | null, me: string): string {
  if (winner === null) return 'nobody won.';
  return winner.id === me ? 'you win!' : `${winner.name} wins!`;
}

function standing(s: Standing): string {
  return `${s.name} ${s.wins} ${plural(s.wins, 'win', 'wins')} (${s.guesses} ${plural(s.guesses, 'guess', 'guesses')})`;
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

import { narrowed, rangeChart } from './chart.js';
import { button, h, replace } from './dom.js';
import { qrCode } from './qr.js';
import { BotChooser, MatchChooser, RangeChooser, type BotChoice, type Choices, type MatchChoice } from './choices.js';
import type { AppState, Move, RoomView, Seat } from './state.js';

export interface Actions {
  readonly playSolo: (choices: Choices) => void;
  readonly createRoom: (mode: 'race' | 'pick', name: string, choices: Choices & BotChoice & MatchChoice) => void;
  readonly joinRoom: (code: string, name: string, as?: 'player' | 'spectator') => void;
  readonly backToRoom: () => void;
  /** Whether it went: if not, the problem shows next to the field, which keeps what was typed. */
  readonly guess: (text: string) => boolean;
  readonly pick: (text: string) => boolean;
  readonly rematch: () => void;
  readonly nextRound: () => void;
  readonly leave: () => void;
  readonly copyLink: (link: string) => void;
}

let ids = 0;
const nextId = (prefix: string): string => `${prefix}-${++ids}`;

function field(label: string, attributes: Record<string, string | boolean>): { wrap: HTMLElement; input: HTMLInputElement } {
  const id = nextId('field');
  const input = h('input', { id, ...attributes });
  return { wrap: h('p', { class: 'field' }, h('label', { for: id }, label), input), input };
}

/** The first screen: solo in one click, or a room with friends. */
export function landingView(state: AppState, actions: Actions): HTMLElement {
  const name = field('Your name', { name: 'name', autocomplete: 'nickname', maxlength: '32', value: state.me.name });
  const bot = new BotChooser();
  const range = new RangeChooser();
  const match = new MatchChooser();
  const withRange = (then: (choices: Choices) => void) => () => {
    const choices = range.read();
    if (choices !== undefined) then(choices);
  };
  const create = (mode: 'race' | 'pick') =>
    withRange((choices) => {
      const length = match.read(mode);
      if (length !== undefined) actions.createRoom(mode, name.input.value, { ...choices, ...bot.read(), ...length });
    });
  const code = field('Room code', { name: 'code', autocapitalize: 'characters', autocomplete: 'off', maxlength: '16', spellcheck: false });
  const join = h('form', { class: 'join' }, code.wrap, h('button', { type: 'submit' }, 'Join room'));
  join.addEventListener('submit', (event) => {
    event.preventDefault();
    actions.joinRoom(code.input.value, name.input.value);
  });
  const held = state.room;
  return h('div', { class: 'landing' },
    held !== undefined && h('section', { class: 'held', 'aria-labelledby': 'held-h' },
      h('h2', { id: 'held-h' }, 'Your game'),
      h('p', {}, held.mode === 'solo' ? 'Your solo game is still on.' : `You still have a seat in room ${held.code}; starting another game leaves it.`),
      button(held.mode === 'solo' ? 'Back to your solo game' : `Back to room ${held.code}`, actions.backToRoom, { class: 'primary' }),
    ),
    h('section', { 'aria-labelledby': 'solo-h' },
      h('h2', { id: 'solo-h' }, 'Alone'),
      h('p', {}, 'The server picks a number; you find it.'),
      button('Play solo', withRange(actions.playSolo), { class: 'primary' }),
    ),
    h('section', { 'aria-labelledby': 'friends-h' },
      h('h2', { id: 'friends-h' }, 'With friends'),
      name.wrap,
      h('div', { class: 'actions' },
        button('Create race room', create('race'), { class: 'primary' }),
        button('Create pick room', create('pick')),
      ),
      bot.element,
      match.element,
      h('p', { class: 'hint' }, 'Race: everyone hunts the same secret, first to find it wins. Pick: one player chooses the secret, the others guess; roles swap on rematch.'),
      join,
    ),
    h('section', { class: 'choices', 'aria-labelledby': 'choices-h' },
      h('h2', { id: 'choices-h' }, 'Numbers'),
      h('p', { class: 'hint' }, 'For a solo game or a new room.'),
      range.element,
    ),
    h('p', { class: 'to-leaderboard' }, leaderboardLink()),
  );
}

/** In a tab of its own, so that a game under way goes on. */
function leaderboardLink(): HTMLElement {
  return h('a', { href: '/leaderboard', target: '_blank', rel: 'noopener', 'data-testid': 'leaderboard-link' }, 'Leaderboard: who won');
}

/** Someone opened a room link: show the code and ask only for a name. */
export function joiningView(state: AppState, actions: Actions): HTMLElement {
  const code = state.pendingCode ?? '';
  const name = field('Your name', { name: 'name', autocomplete: 'nickname', maxlength: '32', value: state.me.name });
  const form = h('form', { class: 'join' }, name.wrap, h('button', { type: 'submit', class: 'primary' }, 'Join room'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    actions.joinRoom(code, name.input.value);
  });
  return h('section', { class: 'joining', 'aria-labelledby': 'join-h' },
    h('h2', { id: 'join-h' }, 'Room ', h('span', { class: 'code', 'data-testid': 'room-code' }, code)),
    h('p', {}, 'A friend invited you to play guess the number.'),
    form,
    h('p', {}, button('Watch', () => actions.joinRoom(code, name.input.value, 'spectator')), ' ', h('span', { class: 'hint' }, 'See every guess without playing, on a projector for instance.')),
    h('p', {}, h('a', { href: '/' }, 'Or play on your own')),
  );
}

/**
 * The game screen. Built once per game so the guess field keeps focus and what is being typed;
 * `update` redraws everything around it.
 */
export class GameView {
  readonly element: HTMLElement;
  readonly #header = h('div', { class: 'room-head' });
  readonly #seats = h('div', {});
  /** Reads out the others' guesses as they come; kept across redraws so that it is announced, not rebuilt. */
  readonly #heard = h('p', { class: 'heard', 'aria-live': 'polite', 'data-testid': 'heard' });
  readonly #players = h('section', { class: 'players', 'aria-labelledby': 'players-h' }, h('h2', { id: 'players-h' }, 'Players'), this.#heard, this.#seats);
  readonly #play = h('section', { class: 'play', 'aria-labelledby': 'play-h' });
  readonly #history = h('section', { class: 'history', 'aria-labelledby': 'history-h' });
  readonly #fairness = h('section', { class: 'fairness' });
  readonly #live = h('p', { class: 'live', 'aria-live': 'polite', role: 'status', 'data-testid': 'announce' });
  readonly #guessForm: HTMLFormElement;
  readonly #guessInput: HTMLInputElement;
  readonly #guessButton: HTMLButtonElement;
  readonly #guessError: HTMLElement;
  readonly #pickForm: HTMLFormElement;
  readonly #pickInput: HTMLInputElement;
  readonly #pickError: HTMLElement;
  readonly #status = h('p', { class: 'round-status', 'data-testid': 'round-status' });
  readonly #after = h('div', { class: 'after' });
  readonly #actions: Actions;
  #announced = '';
  /** The room link's QR code, drawn once: the header is redrawn at every update. */
  #qr: { link: string; element: SVGSVGElement } | undefined;
  /** The phase, and whether a held solo round waits, when the focus last moved. */
  #moment: string | undefined;

  constructor(actions: Actions) {
    this.#actions = actions;
    const guess = fieldWithError('Your guess', { name: 'guess', inputmode: 'numeric', autocomplete: 'off', enterkeyhint: 'send' });
    [this.#guessInput, this.#guessError] = [guess.input, guess.error];
    this.#guessButton = h('button', { type: 'submit', class: 'primary' }, 'Guess');
    this.#guessForm = h('form', { class: 'guess' }, guess.wrap, this.#guessButton);
    this.#guessForm.addEventListener('submit', (event) => {
      event.preventDefault();
      if (actions.guess(this.#guessInput.value)) this.#guessInput.value = '';
    });
    const pick = fieldWithError('Secret number for the others', { name: 'secret', inputmode: 'numeric', autocomplete: 'off' });
    [this.#pickInput, this.#pickError] = [pick.input, pick.error];
    this.#pickForm = h('form', { class: 'pick' }, pick.wrap, h('button', { type: 'submit', class: 'primary' }, 'Pick this secret'));
    this.#pickForm.addEventListener('submit', (event) => {
      event.preventDefault();
      if (actions.pick(this.#pickInput.value)) this.#pickInput.value = '';
    });
    this.element = h('div', { class: 'game' }, this.#header, this.#play, this.#players, this.#history, this.#fairness);
  }

  focus(): void {
    if (this.#pickForm.isConnected) this.#pickInput.focus();
    else this.#guessInput.focus();
  }

  update(state: AppState): void {
    const room = state.room;
    if (room === undefined) return;
    const me = room.seats.find((seat) => seat.id === state.me.id);
    this.#drawHeader(room);
    this.#drawPlay(state, room, me);
    this.#drawPlayers(state, room);
    this.#drawHistory(state, room);
    this.#drawFairness(room);
    if (state.notice !== this.#announced) {
      this.#announced = state.notice;
      this.#live.textContent = state.notice;
    }
    // Keyboard play: the next thing to do has the focus whenever the round changes phase.
    const moment = `${room.phase} ${room.next === undefined ? '' : 'next'}`;
    if (moment !== this.#moment) {
      this.#moment = moment;
      if (room.phase === 'over' || room.phase === 'waiting') this.#after.querySelector('button')?.focus();
      else this.focus();
    }
  }

  #drawHeader(room: RoomView): void {
    if (room.mode === 'solo') {
      replace(this.#header, h('h2', {}, 'Solo game'), rangeLine(room), button('Leave', this.#actions.leave, { class: 'quiet' }));
      return;
    }
    const link = `${location.origin}/r/${room.code}`;
    replace(
      this.#header,
      h('h2', {}, room.mode === 'race' ? 'Race room ' : 'Pick room ', h('span', { class: 'code', 'data-testid': 'room-code' }, room.code)),
      rangeLine(room),
      planLine(room),
      h('p', { class: 'share' },
        'Invite a friend: ',
        h('a', { href: link, 'data-testid': 'room-link' }, link),
        ' ',
        button('Copy link', () => this.#actions.copyLink(link)),
      ),
      h('figure', { class: 'qr-wrap' }, this.#qrOf(link), h('figcaption', {}, 'Scan to join')),
      button('Leave', this.#actions.leave, { class: 'quiet' }),
    );
  }

  #qrOf(link: string): SVGSVGElement {
    if (this.#qr?.link !== link) this.#qr = { link, element: qrCode(link, `QR code of the room link ${link}`) };
    return this.#qr.element;
  }

  #drawPlay(state: AppState, room: RoomView, me: Seat | undefined): void {
    const picking = room.phase === 'picking' && me?.role === 'picker';
    const canGuess = state.link === 'open' && room.phase === 'playing' && me?.role !== 'picker' && me?.role !== 'spectator' && room.winner === undefined;
    const left = narrowed(room.range, state.steps);
    this.#guessInput.disabled = !canGuess;
    this.#guessButton.disabled = !canGuess;
    this.#status.textContent = roundStatus(state, room, me);
    const form = room.watching ? null : picking ? this.#pickForm : this.#guessForm;
    showProblem(this.#guessInput, this.#guessError, picking ? '' : state.fieldError);
    showProblem(this.#pickInput, this.#pickError, picking ? state.fieldError : '');
    if (picking) this.#pickInput.setAttribute('placeholder', `${room.range.min} to ${room.range.max}`);
    // A disabled field says nothing: after a win the range left is the one number found ("42 to 42").
    else this.#guessInput.setAttribute('placeholder', canGuess ? `${left.min} to ${left.max}` : '');
    if (form?.isConnected === false || this.#play.childElementCount === 0) {
      replace(this.#play, h('h2', { id: 'play-h', class: 'visually-hidden' }, 'Your move'), this.#status, form, this.#live, this.#after);
    }
    const start = room.mode === 'solo' || room.watching ? undefined : room.phase === 'waiting' ? 'Start round' : room.phase === 'over' ? (room.match === undefined ? 'Rematch' : 'New match') : undefined;
    replace(
      this.#after,
      room.match === undefined ? null : h('p', { class: 'match', 'data-testid': 'match', role: 'status' }, room.match),
      h('p', { class: 'attempts' }, `Attempts: `, h('strong', { 'data-testid': 'attempts' }, state.attempts)),
      start === undefined ? null : button(start, this.#actions.rematch, { class: 'primary' }),
      room.next === undefined ? null : button('Next round', this.#actions.nextRound, { class: 'primary' }),
      room.phase === 'over' ? leaderboardLink() : null,
    );
  }

  #drawPlayers(state: AppState, room: RoomView): void {
    this.#players.hidden = room.mode === 'solo';
    if (state.heard !== this.#heard.textContent) this.#heard.textContent = state.heard;
    if (room.mode === 'solo') {
      replace(this.#seats);
      return;
    }
    const mine: Move[] = state.steps.map((step) => ({ value: step.shown ?? String(step.value), outcome: step.outcome }));
    replace(
      this.#seats,
      h('ul', { 'data-testid': 'players' },
        ...room.seats.map((seat) => {
          const moves = seat.id === state.me.id ? mine : seat.moves;
          return h('li', { class: seat.connected ? 'seat' : 'seat away', 'data-player': seat.id },
            h('span', { class: 'name' }, seat.name),
            seat.id === state.me.id ? h('span', { class: 'tag' }, ' (you)') : null,
            seat.role === 'picker' ? h('span', { class: 'tag' }, ' picks') : seat.role === 'spectator' ? h('span', { class: 'tag' }, ' watches') : null,
            h('span', { class: 'progress' },
              ` ${seat.attempts} ${seat.attempts === 1 ? 'guess' : 'guesses'}`,
              seat.last === undefined ? '' : `, last ${outcomeWords(seat.last)}`,
              seat.score === undefined ? '' : ` · ${seat.score}`,
              seat.connected ? '' : ' (disconnected)',
            ),
            moves.length === 0 ? null : h('ol', { class: 'moves', 'aria-label': `${seat.name}'s guesses` }, ...moves.map(moveItem)),
          );
        }),
      ),
    );
  }

  #drawHistory(state: AppState, room: RoomView): void {
    if (state.steps.length === 0) {
      replace(this.#history);
      return;
    }
    replace(
      this.#history,
      h('h2', { id: 'history-h' }, 'Guess history'),
      rangeChart(room.range, state.steps),
      h('ol', { 'data-testid': 'history' },
        ...state.steps.map((step) => h('li', {}, `${step.shown ?? step.value}: `, outcomeWords(step.outcome))),
      ),
    );
  }

  #drawFairness(room: RoomView): void {
    const { announced, reveal } = room;
    if (announced === undefined && reveal === undefined) {
      replace(this.#fairness);
      return;
    }
    const pending = announced !== undefined && announced.round !== reveal?.round;
    replace(
      this.#fairness,
      h('h2', {}, 'Fair play'),
      announced !== undefined && h('p', {}, `Commitment to the secret of round ${announced.round}: `, h('code', { class: 'commitment' }, announced.commitment)),
      pending && h('p', {}, 'The secret and its salt are revealed when the round ends, and this page checks them against this commitment.'),
      reveal !== undefined && h('p', { 'data-testid': 'verdict', class: reveal.verdict.kind === 'match' ? 'good' : 'bad' }, reveal.line),
      reveal !== undefined && h('p', {}, h('small', {}, `Round ${reveal.round} revealed secret ${reveal.secret}, salt `, h('code', { class: 'salt', 'data-testid': 'salt' }, reveal.salt), '.')),
    );
  }
}

/** A field with its problem under it, tied to it for screen readers and read out when it appears. */
function fieldWithError(label: string, attributes: Record<string, string | boolean>): { wrap: HTMLElement; input: HTMLInputElement; error: HTMLElement } {
  const { wrap, input } = field(label, attributes);
  const error = h('span', { class: 'field-error', id: `${input.id}-error`, role: 'alert', 'data-testid': `${String(attributes.name)}-error` });
  input.setAttribute('aria-describedby', error.id);
  wrap.append(error);
  return { wrap, input, error };
}

function showProblem(input: HTMLInputElement, error: HTMLElement, problem: string): void {
  if (error.textContent !== problem) error.textContent = problem;
  if (problem === '') input.removeAttribute('aria-invalid');
  else input.setAttribute('aria-invalid', 'true');
}

/** How long the match lasts and where it stands: "Round 1 of 2" (pick), "First to 3 wins" (race). */
function planLine(room: RoomView): HTMLElement | null {
  const plan = room.plan;
  if (plan === undefined) return null;
  const under = room.phase === 'picking' || room.phase === 'playing';
  let text: string;
  if (plan.firstTo !== null) text = `First to ${plan.firstTo} ${plan.firstTo === 1 ? 'win' : 'wins'}`;
  else if (room.mode !== 'pick') return null;
  else if (plan.rounds === null) text = 'A match: each player picks once';
  else if (room.phase === 'waiting') text = `A match of ${plan.rounds} ${plan.rounds === 1 ? 'round' : 'rounds'}`;
  else text = `Round ${Math.min(plan.played + (under ? 1 : 0), plan.rounds)} of ${plan.rounds}`;
  return h('p', { class: 'plan', 'data-testid': 'match-plan' }, text);
}

/** The room's range, grouped for reading from the back of a classroom. */
function rangeLine(room: RoomView): HTMLElement {
  const grouped = (n: number): string => n.toLocaleString('en');
  return h('p', { class: 'range', 'data-testid': 'range' }, `Numbers from ${grouped(room.range.min)} to ${grouped(room.range.max)}`);
}

function outcomeWords(outcome: Move['outcome']): string {
  return outcome === 'low' ? 'too small' : outcome === 'high' ? 'too big' : 'exact!';
}

/** One guess in a player's row: the number and its hint in words (the winning number of another player is not sent). */
function moveItem(move: Move): HTMLElement {
  if (move.outcome === 'win') return h('li', { class: 'win' }, move.value === undefined ? 'found it!' : `${move.value} found it!`);
  return h('li', { class: move.outcome }, `${move.value ?? '?'} ${outcomeWords(move.outcome)}`);
}

function roundStatus(state: AppState, room: RoomView, me: Seat | undefined): string {
  if (state.link !== 'open') return 'Disconnected: your game is kept while the page reconnects.';
  if (room.phase === 'over') {
    const secret = room.reveal?.round === room.round ? ` The secret was ${room.reveal.secret}.` : '';
    if (room.winner === undefined) return `Round over.${secret}`;
    return `${room.winner.id === state.me.id ? 'You win!' : `${room.winner.name} wins.`}${secret}`;
  }
  if (room.phase === 'waiting' && room.watching) return 'You are watching: the round starts when a player presses Start round.';
  if (room.phase === 'waiting') return 'Share the link below; press Start round when everyone is here.';
  if (room.phase === 'picking') {
    if (me?.role === 'picker') return `Pick the secret, from ${room.range.min} to ${room.range.max}.`;
    const picker = room.seats.find((seat) => seat.role === 'picker');
    return `Waiting for ${picker?.name ?? 'the picker'} to pick the secret…`;
  }
  if (me?.role === 'picker') return 'The others are guessing your number.';
  if (me?.role === 'spectator' || room.watching) return 'You are watching.';
  const left = narrowed(room.range, state.steps);
  return `Guess a number from ${left.min} to ${left.max}.`;
}

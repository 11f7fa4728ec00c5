import { roomCodeInLink } from '../../src/core/room-code.js';
import { byId, replace } from './dom.js';
import { Link } from './socket.js';
import { initialState, type AppState } from './state.js';
import { GameView, joiningView, landingView, type Actions } from './views.js';
import { Session } from './session.js';
import { WireLog } from '../../src/protocol/wire-log.js';
import { WirePanel } from './wire-panel.js';

const app = byId('app', HTMLElement);
const status = byId('status', HTMLElement);
const problem = byId('problem', HTMLElement);
const here = byId('here', HTMLButtonElement);
here.addEventListener('click', () => session.playHere());

const NAME_KEY = 'guess.name';
let state: AppState = initialState(location.pathname, localStorage.getItem(NAME_KEY) ?? '');
let game: GameView | undefined;
let drawn: AppState['screen'] | undefined;

function setState(next: AppState): void {
  state = next;
  draw();
}

function draw(): void {
  status.textContent = state.linkDetail;
  status.classList.toggle('down', state.link !== 'open');
  if (problem.textContent !== state.error) problem.textContent = state.error;
  here.hidden = !state.elsewhere;
  if (state.screen !== drawn) {
    drawn = state.screen;
    game = undefined;
    if (state.screen === 'landing') replace(app, landingView(state, actions));
    else if (state.screen === 'joining') replace(app, joiningView(state, actions));
    else {
      game = new GameView(actions);
      replace(app, game.element);
      game.update(state);
      game.focus();
      return;
    }
  }
  game?.update(state);
}

const session = new Session(() => state, setState);
const wire = new WireLog(() => performance.timeOrigin + performance.now());
const link = Link.forThisPage({
  onOpen: () => {
    wire.record('opened');
    session.connected(link);
  },
  onMessage: (message) => {
    wire.record('received', message);
    session.receive(message);
  },
  onState: (linkState, detail) => setState({ ...state, link: linkState, linkDetail: detail }),
  onSent: (text) => wire.record('sent', text),
  onClosed: () => wire.record('closed'),
});
session.attach(link);

const actions: Actions = {
  playSolo: (choices) => session.playSolo(choices),
  createRoom: (mode, name, choices) => {
    rememberName(name);
    session.createRoom(mode, name, choices);
  },
  joinRoom: (code, name, as) => {
    rememberName(name);
    session.joinRoom(code, name, as);
  },
  backToRoom: () => session.backToRoom(),
  guess: (text) => session.guess(text),
  pick: (text) => session.pick(text),
  rematch: () => session.rematch(),
  nextRound: () => session.nextRound(),
  leave: () => {
    session.leave();
    history.pushState(null, '', '/');
  },
  copyLink: (text) => {
    void copyText(text).then(
      () => setState({ ...state, notice: 'Link copied.' }),
      () => setState({ ...state, notice: 'Could not copy: select the link and copy it yourself.' }),
    );
  },
};

/**
 * The Clipboard API exists only in secure contexts (https, localhost); a friend's page on
 * http://192.168.x.y falls back to the older copy command on a selected, off-screen field.
 */
async function copyText(text: string): Promise<void> {
  const clipboard = (navigator as { clipboard?: Clipboard }).clipboard;
  if (clipboard !== undefined) {
    await clipboard.writeText(text);
    return;
  }
  const field = document.createElement('textarea');
  field.value = text;
  field.setAttribute('readonly', '');
  field.className = 'visually-hidden';
  document.body.append(field);
  field.select();
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the only copy there is outside a secure context
  const copied = document.execCommand('copy');
  field.remove();
  if (!copied) throw new Error('copy refused');
}

/**
 * The title goes to the landing page without leaving the game: its seat stays, and the landing
 * page offers the way back (a plain link would reload the page, whose resume lands in the game).
 */
document.querySelector('header h1 a')?.addEventListener('click', (event) => {
  if (!(event instanceof MouseEvent) || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  if (state.room === undefined) return;
  event.preventDefault();
  if (state.screen !== 'landing') history.pushState(null, '', '/');
  setState({ ...state, screen: 'landing', error: '' });
});

// The browser's Back and Forward between the landing page and the room held.
window.addEventListener('popstate', () => {
  const room = state.room;
  if (room === undefined) return;
  if (location.pathname === '/') setState({ ...state, screen: 'landing' });
  else if (roomCodeInLink(location.pathname) === room.code) setState({ ...state, screen: 'game' });
});

function rememberName(name: string): void {
  if (name.trim() !== '') localStorage.setItem(NAME_KEY, name.trim());
}


// After main, so that it stays while the screens inside main are redrawn.
app.after(new WirePanel(wire, copyText).element);
draw();
link.connect();

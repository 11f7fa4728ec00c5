import { mermaidSequence } from '../../src/protocol/mermaid.js';
import type { WireEntry, WireLog } from '../../src/protocol/wire-log.js';
import { button, h, replace } from './dom.js';

/**
 * "Show the messages": the page's own WebSocket traffic drawn as a sequence diagram, the browser
 * and the server as two lifelines, one arrow per frame with its text exactly, newest at the
 * bottom, and the time since the previous arrow beside each. A list view says the same in
 * words, for keyboards and screen readers. Closed, the panel draws nothing and listens to
 * nothing: the log only keeps its bounded ring of entries.
 */
export class WirePanel {
  readonly element: HTMLElement;
  readonly #log: WireLog;
  readonly #copy: (text: string) => Promise<void>;
  readonly #toggle: HTMLButtonElement;
  readonly #pause: HTMLButtonElement;
  readonly #asList: HTMLButtonElement;
  readonly #body: HTMLElement;
  readonly #view = h('ol', {});
  readonly #heads = h('div', { class: 'wire-heads', 'aria-hidden': 'true' }, h('span', {}, 'Browser (this page)'), h('span', {}, 'Server'));
  readonly #count = h('p', { class: 'wire-count', 'data-testid': 'wire-count' });
  readonly #said = h('p', { class: 'wire-said', role: 'status' });
  readonly #scroller: HTMLElement;
  /** What the view shows, oldest first: a copy is of these. */
  #shown: WireEntry[] = [];
  #dropped = 0;
  #waiting = 0;
  #open = false;
  #paused = false;
  #list = false;

  constructor(log: WireLog, copy: (text: string) => Promise<void>) {
    this.#log = log;
    this.#copy = copy;
    this.#toggle = button('Show the messages', () => this.#setOpen(!this.#open), { class: 'wire-toggle', 'aria-expanded': 'false', 'aria-controls': 'wire-panel' });
    this.#pause = button('Pause', () => this.#setPaused(!this.#paused), { 'aria-pressed': 'false' });
    this.#asList = button('List view', () => this.#setList(!this.#list), { 'aria-pressed': 'false' });
    this.#scroller = h('div', { class: 'wire-scroll', tabindex: '0', 'aria-label': 'Messages' }, this.#view);
    this.#body = h('section', { id: 'wire-panel', class: 'wire-panel', 'aria-labelledby': 'wire-h', hidden: true },
      h('h2', { id: 'wire-h' }, 'Messages on the wire'),
      h('p', { class: 'hint' }, 'Every WebSocket message this page sent to the server and received from it, as the JSON text that travelled, newest at the bottom.'),
      h('div', { class: 'actions' }, this.#pause, this.#asList, button('Copy as Mermaid', () => this.#copyMermaid())),
      this.#count,
      this.#said,
      this.#heads,
      this.#scroller,
    );
    this.element = h('div', { class: 'wire' }, this.#toggle, this.#body);
  }

  #setOpen(open: boolean): void {
    this.#open = open;
    this.#body.hidden = !open;
    this.#toggle.setAttribute('aria-expanded', String(open));
    if (!open) {
      this.#log.listen(undefined);
      this.#shown = [];
      replace(this.#view);
      return;
    }
    this.#paused = false;
    this.#pause.setAttribute('aria-pressed', 'false');
    this.#redraw();
    this.#log.listen((entry) => this.#heard(entry));
  }

  #setPaused(paused: boolean): void {
    this.#paused = paused;
    this.#pause.setAttribute('aria-pressed', String(paused));
    if (!paused) this.#redraw();
    this.#said.textContent = paused ? 'Paused: new messages are kept, not drawn.' : '';
    this.#drawCount();
  }

  #setList(list: boolean): void {
    this.#list = list;
    this.#asList.setAttribute('aria-pressed', String(list));
    this.#redraw();
  }

  #heard(entry: WireEntry): void {
    if (this.#paused) {
      this.#waiting++;
      this.#drawCount();
      return;
    }
    const follow = this.#scroller.scrollTop + this.#scroller.clientHeight >= this.#scroller.scrollHeight - 4;
    const previous = this.#shown.at(-1);
    this.#shown.push(entry);
    this.#view.append(this.#item(entry, previous));
    // The view holds what the log holds: the oldest arrow goes when the ring lets it go.
    const dropped = this.#log.dropped;
    while (this.#dropped < dropped && this.#shown.length > 0) {
      this.#shown.shift();
      this.#view.firstElementChild?.remove();
      this.#dropped++;
    }
    this.#drawCount();
    if (follow) this.#scroller.scrollTop = this.#scroller.scrollHeight;
  }

  #redraw(): void {
    this.#shown = this.#log.entries();
    this.#dropped = this.#log.dropped;
    this.#waiting = 0;
    this.#view.className = this.#list ? 'wire-list' : 'wire-diagram';
    this.#heads.hidden = this.#list;
    this.#view.setAttribute('data-testid', this.#list ? 'wire-list' : 'wire-diagram');
    replace(this.#view, ...this.#shown.map((entry, i) => this.#item(entry, this.#shown[i - 1])));
    this.#drawCount();
    this.#scroller.scrollTop = this.#scroller.scrollHeight;
  }

  #drawCount(): void {
    const n = this.#shown.length;
    const parts = [`${n} ${n === 1 ? 'message' : 'messages'}`];
    if (this.#dropped > 0) parts.push(`${this.#dropped} earlier ones not kept`);
    if (this.#paused) parts.push(`paused, ${this.#waiting} new`);
    this.#count.textContent = parts.join(' · ');
  }

  #item(entry: WireEntry, previous: WireEntry | undefined): HTMLElement {
    const gap = previous === undefined ? clock(entry.at) : `+${span(entry.at - previous.at)}`;
    const text = entry.text === undefined ? h('span', { class: 'wire-note' }, entry.kind === 'opened' || entry.kind === 'closed' ? `connection ${entry.kind}` : '(a binary frame)') : h('code', { 'data-testid': 'wire-text' }, entry.text);
    const side = entry.kind === 'sent' ? 'to-server' : entry.kind === 'received' ? 'to-page' : 'note';
    if (this.#list) {
      const what = entry.kind === 'sent' ? 'Sent' : entry.kind === 'received' ? 'Received' : 'Connection';
      return h('li', { class: side, 'data-kind': entry.kind }, h('span', { class: 'wire-what' }, what), ' ', h('span', { class: 'wire-gap' }, gap), ' ', text);
    }
    const words = entry.kind === 'sent' ? 'Browser to server' : entry.kind === 'received' ? 'Server to browser' : 'Both';
    return h('li', { class: side, 'data-kind': entry.kind },
      h('span', { class: 'wire-gap' }, gap),
      h('span', { class: 'wire-arrow' }, h('span', { class: 'visually-hidden' }, `${words}: `), text),
    );
  }

  #copyMermaid(): void {
    const text = mermaidSequence(this.#shown, this.#dropped);
    this.#copy(text).then(
      () => (this.#said.textContent = 'Copied as Mermaid: paste it into a Markdown file between ```mermaid and ```.'),
      () => (this.#said.textContent = 'Could not copy: the browser refused the clipboard.'),
    );
  }
}

function span(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function clock(at: number): string {
  return new Date(at).toISOString().slice(11, 23);
}

import { button, byId, h, replace } from './dom.js';

const app = byId('app', HTMLElement);

replace(
  app,
  h('section', { class: 'landing' },
    h('h2', {}, 'Play'),
    h('div', { class: 'actions' },
      button('Play solo', () => undefined, { class: 'primary' }),
      button('Create race room', () => undefined),
      button('Create pick room', () => undefined),
    ),
  ),
);
byId('status', HTMLElement).textContent = '';

import { MAX_SPAN } from '../../src/core/random.js';
import { MAX_MATCH_ROUNDS } from '../../src/protocol/messages.js';
import type { BotKind } from '../../src/core/room-events.js';
import { h } from './dom.js';

/** What the landing page lets a player choose before a game; absent fields take the server's defaults. */
export interface Choices {
  readonly min?: number;
  readonly max?: number;
}

/** How long a room's match lasts: `create`'s `rounds` (pick) or `firstTo` (race). */
export interface MatchChoice {
  readonly rounds?: number;
  readonly firstTo?: number;
}

export interface BotChoice {
  readonly bot?: BotKind;
  readonly botDelayMs?: number;
}

const LEVELS: ReadonlyArray<readonly [BotKind | '', string]> = [
  ['', 'None'],
  ['binary', 'Strong (binary search)'],
  ['medium', 'Medium (guesses within its hints)'],
  ['weak', 'Weak (one you can beat)'],
];

const PACES: ReadonlyArray<readonly [string, string]> = [
  ['', 'Usual'],
  ['300', 'Quick (a guess every 0.3 s)'],
  ['2000', 'Slow (a guess every 2 s)'],
  ['5000', 'Very slow (a guess every 5 s)'],
];

function select(label: string, name: string, options: ReadonlyArray<readonly [string, string]>): { wrap: HTMLElement; select: HTMLSelectElement } {
  const id = `choice-${name}-${++ids}`;
  const element = h('select', { id, name }, ...options.map(([value, text]) => h('option', { value }, text)));
  return { wrap: h('p', { class: 'field' }, h('label', { for: id }, label), element), select: element };
}

/** A computer player for a room: its strength (docs/PROTOCOL.md "Rooms") and its pace. */
export class BotChooser {
  readonly element: HTMLElement;
  readonly #level = select('Computer player', 'bot', LEVELS);
  readonly #pace = select('Its pace', 'pace', PACES);

  constructor() {
    this.#pace.wrap.hidden = true;
    this.#level.select.addEventListener('change', () => {
      this.#pace.wrap.hidden = this.#level.select.value === '';
    });
    this.element = h('div', { class: 'bot-choice' }, this.#level.wrap, this.#pace.wrap);
  }

  read(): BotChoice {
    const level = LEVELS.find(([value]) => value !== '' && value === this.#level.select.value)?.[0];
    if (level === undefined || level === '') return {};
    const pace = this.#pace.select.value;
    return pace === '' ? { bot: level } : { bot: level, botDelayMs: Number(pace) };
  }
}

let ids = 0;

const PRESETS: ReadonlyArray<readonly [string, string]> = [
  ['', 'The server’s usual range'],
  ['1-100', '1 to 100'],
  ['1-1000', '1 to 1,000'],
  ['1-1000000', '1 to 1,000,000'],
  ['custom', 'Custom…'],
];


/** A field with its error line right under it, tied to it for screen readers. */
function numberField(label: string, name: string): { wrap: HTMLElement; input: HTMLInputElement; error: HTMLElement } {
  const id = `choice-${name}-${++ids}`;
  const error = h('span', { class: 'field-error', id: `${id}-error`, 'data-testid': `${name}-error` });
  const input = h('input', { id, name, inputmode: 'numeric', autocomplete: 'off', 'aria-describedby': error.id });
  return { wrap: h('p', { class: 'field' }, h('label', { for: id }, label), input, error), input, error };
}

function whole(text: string): number | undefined {
  const clean = text.trim().replace(/[,_\s]/g, '');
  if (!/^-?\d+$/.test(clean)) return undefined;
  const value = Number(clean);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** A field's problem under it, and the field marked for screen readers; '' clears both. */
function show(field: { input: HTMLInputElement; error: HTMLElement }, problem: string): void {
  field.error.textContent = problem;
  if (problem === '') field.input.removeAttribute('aria-invalid');
  else field.input.setAttribute('aria-invalid', 'true');
}

/** The length of a match: rounds for a pick room, wins for a race; empty takes the server's default. */
export class MatchChooser {
  readonly element: HTMLElement;
  readonly #rounds = numberField('Pick: rounds per match', 'rounds');
  readonly #firstTo = numberField('Race: wins that end a match', 'firstTo');

  constructor() {
    this.#rounds.input.setAttribute('placeholder', 'one per player');
    this.#firstTo.input.setAttribute('placeholder', 'no end');
    this.element = h('div', { class: 'match-choice' }, this.#rounds.wrap, this.#firstTo.wrap);
  }

  /** The choice for a room of `mode`, or undefined after showing what is wrong with it next to its field. */
  read(mode: 'race' | 'pick'): MatchChoice | undefined {
    const [field, key, what] = mode === 'pick' ? [this.#rounds, 'rounds', 'Rounds'] as const : [this.#firstTo, 'firstTo', 'Wins'] as const;
    show(this.#rounds, '');
    show(this.#firstTo, '');
    const text = field.input.value;
    if (text.trim() === '') return {};
    const value = whole(text);
    if (value !== undefined && value >= 1 && value <= MAX_MATCH_ROUNDS) return { [key]: value };
    show(field, `${what} must be a whole number from 1 to ${MAX_MATCH_ROUNDS}, or empty.`);
    field.input.focus();
    return undefined;
  }
}

/**
 * The range of the secret: presets, or custom bounds checked here so that each problem shows
 * next to the field it concerns (the server checks again and refuses a bad range).
 */
export class RangeChooser {
  readonly element: HTMLElement;
  readonly #preset: HTMLSelectElement;
  readonly #min = numberField('From', 'min');
  readonly #max = numberField('To', 'max');
  readonly #custom: HTMLElement;

  constructor() {
    const id = `choice-range-${++ids}`;
    this.#preset = h('select', { id, name: 'range' }, ...PRESETS.map(([value, label]) => h('option', { value }, label)));
    this.#custom = h('div', { class: 'custom-range' }, this.#min.wrap, this.#max.wrap);
    this.#custom.hidden = true;
    this.#preset.addEventListener('change', () => {
      this.#custom.hidden = this.#preset.value !== 'custom';
      if (!this.#custom.hidden) this.#min.input.focus();
    });
    this.element = h('div', { class: 'range-choice' }, h('p', { class: 'field' }, h('label', { for: id }, 'Secret number'), this.#preset), this.#custom);
  }

  /** The chosen range, or undefined after showing what is wrong with it. */
  read(): Choices | undefined {
    const preset = this.#preset.value;
    if (preset === '') return {};
    if (preset !== 'custom') {
      const [min = 1, max = 100] = preset.split('-').map(Number);
      return { min, max };
    }
    const min = whole(this.#min.input.value);
    const max = whole(this.#max.input.value);
    const minProblem = min === undefined ? 'From must be a whole number, like 1.' : '';
    let maxProblem = max === undefined ? 'To must be a whole number, like 100.' : '';
    if (min !== undefined && max !== undefined) {
      if (min > max) maxProblem = `To (${max}) must not be below From (${min}).`;
      else if (max - min >= MAX_SPAN) maxProblem = 'The range is too wide: To minus From must be below 2^48.';
    }
    show(this.#min, minProblem);
    show(this.#max, maxProblem);
    if (minProblem !== '') this.#min.input.focus();
    else if (maxProblem !== '') this.#max.input.focus();
    return min !== undefined && max !== undefined && minProblem === '' && maxProblem === '' ? { min, max } : undefined;
  }
}

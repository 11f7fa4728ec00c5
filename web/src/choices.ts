import { MAX_SPAN } from '../../src/core/random.js';
import { h } from './dom.js';

/** What the landing page lets a player choose before a game; absent fields take the server's defaults. */
export interface Choices {
  readonly min?: number;
  readonly max?: number;
}

const PRESETS: ReadonlyArray<readonly [string, string]> = [
  ['', 'The server’s usual range'],
  ['1-100', '1 to 100'],
  ['1-1000', '1 to 1,000'],
  ['1-1000000', '1 to 1,000,000'],
  ['custom', 'Custom…'],
];

let ids = 0;

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
    this.#show(this.#min, minProblem);
    this.#show(this.#max, maxProblem);
    if (minProblem !== '') this.#min.input.focus();
    else if (maxProblem !== '') this.#max.input.focus();
    return min !== undefined && max !== undefined && minProblem === '' && maxProblem === '' ? { min, max } : undefined;
  }

  #show(field: { input: HTMLInputElement; error: HTMLElement }, problem: string): void {
    field.error.textContent = problem;
    if (problem === '') field.input.removeAttribute('aria-invalid');
    else field.input.setAttribute('aria-invalid', 'true');
  }
}

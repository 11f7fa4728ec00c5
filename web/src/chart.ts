/**
 * The guess history as a picture: one column per guess, the bar is the range the secret could
 * still be in after it, the dot is the guess. The bars shrink toward the secret.
 */
export interface Step {
  readonly value: number;
  readonly outcome: 'low' | 'high' | 'win';
  /** The guess as the player typed it, when that differs from `value` (beyond ±(2^53 − 1)). */
  readonly shown?: string;
}

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 600;
const HEIGHT = 120;
const LEFT = 36;

export function rangeChart(range: { min: number; max: number }, steps: readonly Step[]): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute('class', 'chart');
  svg.setAttribute('role', 'img');
  const span = Math.max(1, range.max - range.min);
  const y = (value: number): number => HEIGHT - 8 - ((clamp(value, range.min, range.max) - range.min) / span) * (HEIGHT - 16);
  const column = (WIDTH - LEFT) / Math.max(steps.length + 1, 16);
  const draw = (kind: string, attributes: Record<string, string | number>, text?: string): void => {
    const element = document.createElementNS(SVG, kind);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
    if (text !== undefined) element.textContent = text;
    svg.append(element);
  };
  draw('text', { x: LEFT - 6, y: y(range.max) + 4, class: 'axis', 'text-anchor': 'end' }, String(range.max));
  draw('text', { x: LEFT - 6, y: y(range.min) + 4, class: 'axis', 'text-anchor': 'end' }, String(range.min));
  // Column 0 is the whole range, before any guess; column i is what is left after guess i.
  let left = { ...range };
  for (let i = 0; i <= steps.length; i++) {
    const step = steps[i - 1];
    if (step !== undefined) left = narrowed(left, [step]);
    const x = LEFT + i * column + column / 2;
    const top = y(left.max);
    draw('rect', { x: x - column * 0.3, width: column * 0.6, y: top, height: Math.max(2, y(left.min) - top), class: 'bar' });
    if (step !== undefined) draw('circle', { cx: x, cy: y(step.value), r: 4, class: `dot ${step.outcome}` });
  }
  svg.setAttribute(
    'aria-label',
    steps.length === 0
      ? `No guesses yet: the secret is from ${range.min} to ${range.max}`
      : `After ${steps.length} ${steps.length === 1 ? 'guess' : 'guesses'} the secret is from ${left.min} to ${left.max}`,
  );
  return svg;
}

/** What the guesses so far leave possible. */
export function narrowed(range: { min: number; max: number }, steps: readonly Step[]): { min: number; max: number } {
  let min = range.min;
  let max = range.max;
  for (const step of steps) {
    if (step.outcome === 'low') min = Math.max(min, step.value + 1);
    else if (step.outcome === 'high') max = Math.min(max, step.value - 1);
    else min = max = step.value;
  }
  return { min, max };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

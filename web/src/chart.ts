/**
 * The guess history as a picture: one column per guess, the bar is the range the secret could
 * still be in after it, the dot is the guess. The bars shrink toward the secret.
 */
export interface Step {
  readonly value: number;
  readonly outcome: 'low' | 'high' | 'win';
}

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 320;
const HEIGHT = 120;

export function rangeChart(range: { min: number; max: number }, steps: readonly Step[]): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute('class', 'chart');
  svg.setAttribute('role', 'img');
  let lo = range.min;
  let hi = range.max;
  const span = Math.max(1, range.max - range.min);
  const y = (value: number): number => HEIGHT - 6 - ((clamp(value, range.min, range.max) - range.min) / span) * (HEIGHT - 12);
  const column = WIDTH / Math.max(steps.length, 10);
  steps.forEach((step, i) => {
    if (step.outcome === 'low') lo = Math.max(lo, step.value + 1);
    else if (step.outcome === 'high') hi = Math.min(hi, step.value - 1);
    else lo = hi = step.value;
    const x = i * column + column / 2;
    const bar = document.createElementNS(SVG, 'rect');
    bar.setAttribute('x', String(x - column * 0.3));
    bar.setAttribute('width', String(column * 0.6));
    bar.setAttribute('y', String(y(hi)));
    bar.setAttribute('height', String(Math.max(2, y(lo) - y(hi))));
    bar.setAttribute('class', 'bar');
    const dot = document.createElementNS(SVG, 'circle');
    dot.setAttribute('cx', String(x));
    dot.setAttribute('cy', String(y(step.value)));
    dot.setAttribute('r', '3.5');
    dot.setAttribute('class', `dot ${step.outcome}`);
    svg.append(bar, dot);
  });
  svg.setAttribute(
    'aria-label',
    steps.length === 0 ? `No guesses yet: the secret is from ${range.min} to ${range.max}` : `After ${steps.length} guesses the secret is from ${lo} to ${hi}`,
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

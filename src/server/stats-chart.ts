import { barLabel, shownBars, type Histogram, type Statistics } from '../core/statistics.js';
import { escapeHtml } from './html.js';

const WIDTH = 600;
const HEIGHT = 220;
const LEFT = 8;
const BOTTOM = 32;
const TOP = 36;

/**
 * The statistics, drawn here as SVG (no script, nothing to load): per range's bound, the rounds
 * found by attempts, people and bots side by side, the bound marked; each chart with its table,
 * which is what a screen reader reads (the picture says the same in one sentence).
 */
export function statisticsSection(stats: Statistics): string {
  if (stats.histograms.length === 0) return '<section aria-labelledby="stats-h"><h3 id="stats-h">Attempts per round</h3><p class="empty">No round found yet.</p></section>';
  const charts = stats.histograms.map((h, i) => figure(h, `hist-${i}`)).join('\n');
  const rows = stats.players
    .map((p) => `<tr><th scope="row" class="name">${escapeHtml(p.name)}${p.bot ? ' <span class="tag">(bot)</span>' : ''}</th><td>${p.found}</td><td class="share">${p.withinBound}<br>${shareBar(p.withinBound / p.found)}</td><td>${p.meanAttempts.toFixed(1)}</td></tr>`)
    .join('\n');
  return `<section aria-labelledby="stats-h">
<h3 id="stats-h">Attempts per round</h3>
<p class="note">Halving what is left finds any number of 1..100 within 7 guesses (binary search): how close does each player come?</p>
${charts}
<table class="board" data-testid="per-player">
<caption>Per player</caption>
<thead><tr><th scope="col" class="name">Name</th><th scope="col">Found</th><th scope="col">Within the bound</th><th scope="col">Per round</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</section>`;
}

function figure(h: Histogram, id: string): string {
  const shown = shownBars(h);
  const most = Math.max(1, ...h.people, ...h.bots);
  const slot = (WIDTH - LEFT) / shown;
  const barWidth = Math.max(2, slot / 2 - 2);
  const height = (count: number): number => ((HEIGHT - TOP - BOTTOM) * count) / most;
  const parts: string[] = [];
  for (let i = 0; i < shown; i++) {
    const x = LEFT + i * slot;
    const people = h.people[i] ?? 0;
    const bots = h.bots[i] ?? 0;
    parts.push(`<rect class="people" x="${fmt(x + 1)}" y="${fmt(HEIGHT - BOTTOM - height(people))}" width="${fmt(barWidth)}" height="${fmt(height(people))}"/>`);
    parts.push(`<rect class="bots" x="${fmt(x + 1 + barWidth)}" y="${fmt(HEIGHT - BOTTOM - height(bots))}" width="${fmt(barWidth)}" height="${fmt(height(bots))}"/>`);
    parts.push(`<text class="axis" x="${fmt(x + slot / 2)}" y="${HEIGHT - 6}" text-anchor="middle">${barLabel(h, i)}</text>`);
  }
  const boundX = fmt(LEFT + h.bound * slot);
  parts.push(`<line class="bound" x1="${boundX}" x2="${boundX}" y1="${TOP - 8}" y2="${HEIGHT - BOTTOM}"/>`);
  parts.push(`<text class="bound-label" x="${boundX}" y="${TOP - 10}" text-anchor="end">at most ${h.bound} \u2190</text>`);
  const people = h.people.reduce((a, b) => a + b, 0);
  const bots = h.bots.reduce((a, b) => a + b, 0);
  const within = (series: readonly number[]): number => series.slice(0, h.bound).reduce((a, b) => a + b, 0);
  const summary = `${h.ranges.join(', ')}: ${within(h.people)} of ${people} rounds found by people and ${within(h.bots)} of ${bots} by bots took at most ${h.bound} attempts, what binary search needs at most.`;
  const rows = h.people
    .slice(0, shown)
    .map((count, i) => `<tr${i + 1 === h.bound ? ' class="at-bound"' : ''}><th scope="row">${barLabel(h, i)}</th><td>${count}</td><td>${h.bots[i] ?? 0}</td></tr>`)
    .join('\n');
  return `<figure class="histogram" id="${id}">
<figcaption>Rounds found by attempts, ${escapeHtml(h.ranges.join(', '))} (binary search needs at most ${h.bound}): <span class="key-people">people</span>, <span class="key-bots">bots</span></figcaption>
<div class="chart-and-table">
<svg class="hist" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(summary)}">${parts.join('')}</svg>
<table class="board counts">
<thead><tr><th scope="col">Attempts</th><th scope="col">People</th><th scope="col">Bots</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</div>
</figure>`;
}

/** A player's share of rounds within the bound, as a bar with its percentage: the players compared at a glance. */
function shareBar(share: number): string {
  const percent = Math.round(share * 100);
  return `<svg class="share-bar" viewBox="0 0 100 12" aria-hidden="true"><rect class="track" x="0" y="2" width="100" height="8"/><rect class="people" x="0" y="2" width="${percent}" height="8"/></svg> ${percent}%`;
}

function fmt(n: number): string {
  return String(Math.round(n * 10) / 10);
}

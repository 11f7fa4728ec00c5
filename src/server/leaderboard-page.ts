import type { Statistics } from '../core/statistics.js';
import { escapeHtml } from './html.js';
import { statisticsSection } from './stats-chart.js';
import { MODE_FILTERS, PERIODS, type Leaderboard, type ModeFilter, type Period, type Sections } from '../core/leaderboard.js';

const MODE_NAMES: Readonly<Record<ModeFilter, string>> = { all: 'Every mode', race: 'Race', pick: 'Pick', solo: 'Solo' };
const PERIOD_NAMES: Readonly<Record<Period, string>> = { today: 'Today', '7d': '7 days', all: 'All time' };

/** Where the page's style sheet and icon are (hashed names, found among the built assets). */
export interface PageAssets {
  readonly style: string | undefined;
  readonly favicon: string | undefined;
}

/**
 * `/leaderboard`, rendered here: it works without JavaScript, and every name in it is escaped
 * (the page's security policy would not run a script that slipped in, but the markup must hold).
 */
export function leaderboardPage(board: Leaderboard, stats: Statistics, assets: PageAssets): string {
  const link = (mode: ModeFilter, period: Period): string => `/leaderboard?mode=${mode}&amp;period=${period}`;
  const choices = <T extends string>(all: readonly T[], current: T, names: Readonly<Record<T, string>>, href: (value: T) => string, label: string): string =>
    `<nav class="filters" aria-label="${label}">${all
      .map((value) => (value === current ? `<strong aria-current="page">${names[value]}</strong>` : `<a href="${href(value)}">${names[value]}</a>`))
      .join(' ')}</nav>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Leaderboard · Guess the number</title>
${assets.favicon === undefined ? '' : `<link rel="icon" type="image/svg+xml" href="${assets.favicon}">\n`}${assets.style === undefined ? '' : `<link rel="stylesheet" href="${assets.style}">\n`}</head>
<body>
<header class="top">
  <h1><a href="/">Guess the number</a></h1>
</header>
<main id="leaderboard" class="leaderboard">
<h2>Leaderboard</h2>
${choices(MODE_FILTERS, board.mode, MODE_NAMES, (mode) => link(mode, board.period), 'Mode')}
${choices(PERIODS, board.period, PERIOD_NAMES, (period) => link(board.mode, period), 'Period')}
<p class="note">Players are their names, compared regardless of case: an honour system, nobody proves who they are.
Efficiency is attempts per round divided by what binary search needs at most for the range (7 for 1..100): lower is better,
for players who found the secret in ${board.minRounds} rounds or more.</p>
${leaderboardSections(board)}
${statisticsSection(stats)}
<p><a href="/">Play</a> · <a href="/api/results.csv">Every result (CSV)</a> · <a href="/api/leaderboard?mode=${board.mode}&amp;period=${board.period}">JSON</a></p>
</main>
</body>
</html>
`;
}

/** The people's tables, then the bots': on this page, and on the class view for today. */
export function leaderboardSections(board: Leaderboard): string {
  return `${sections(board.players, 'People')}\n${sections(board.bots, 'Bots')}`;
}

function sections(s: Sections, title: string): string {
  return `<section aria-label="${title}">
<h3>${title}</h3>
${table('Race rounds won', ['Wins', 'Rounds'], s.raceWins.map((l) => [l.rank, l.name, l.wins, l.rounds]))}
${table('Pick matches won', ['Wins', 'Rounds'], s.matchWins.map((l) => [l.rank, l.name, l.wins, l.rounds]))}
${table('Efficiency', ['Rounds found', 'Attempts ÷ bound'], s.efficiency.map((l) => [l.rank, l.name, l.rounds, l.vsBound.toFixed(2)]))}
</section>`;
}

function table(caption: string, numbers: readonly string[], rows: readonly (readonly [number, string, number, number | string])[]): string {
  if (rows.length === 0) return `<h4>${caption}</h4>\n<p class="empty">Nobody yet.</p>`;
  const head = ['#', 'Name', ...numbers].map((h) => `<th scope="col"${h === 'Name' ? ' class="name"' : ''}>${h}</th>`).join('');
  const body = rows
    .map(([rank, name, a, b]) => `<tr><td>${rank}</td><th scope="row" class="name">${escapeHtml(name)}</th><td>${a}</td><td>${b}</td></tr>`)
    .join('\n');
  return `<table class="board">\n<caption>${caption}</caption>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

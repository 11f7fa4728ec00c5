import { createHash, timingSafeEqual } from 'node:crypto';
import type { Leaderboard } from '../core/leaderboard.js';
import type { Room } from '../core/room.js';
import type { SeatView, Standing } from '../core/room-events.js';
import { isLoopback } from './address.js';
import { leaderboardSections } from './leaderboard-page.js';
import { qrSvg } from './qr-svg.js';
import { escapeHtml } from './html.js';
import type { Spectators } from './spectators.js';
import type { Wire } from './wire.js';

/**
 * `/class`: the teacher's view of every live room, for a projector. It is built from what every
 * player may see (codes, names, guesses counted, who found it), never from a secret, and it is
 * shut without the teacher's key (`guess serve` prints the link that holds it).
 */
export interface ClassView {
  readonly key: string;
  readonly rooms: () => Iterable<Room>;
  /** Every open connection a spectator may follow: those speaking a game dialect, or upgraded to the WebSocket. */
  readonly connections: () => Iterable<Watchable>;
  readonly spectators: Spectators;
  /** This machine's network addresses when the server listens on every interface, else none. */
  readonly lan: () => readonly string[];
  /** Today's leaderboard, every mode, from the finished rounds kept. */
  readonly today: () => Leaderboard;
}

export interface Watchable {
  readonly wire: Wire;
  /** `classic`, `plain`, `json` or `WebSocket`. */
  readonly dialect: string;
}

/** Whether `given` is the key, compared in constant time (as hashes, so that lengths may differ). */
export function keyMatches(key: string, given: string | null): boolean {
  if (given === null) return false;
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(key), digest(given));
}

/** How often the page reloads itself, in seconds: live enough to follow a round from the back of a room. */
export const CLASS_REFRESH_S = 2;

export interface ClassPage {
  readonly rooms: Iterable<Room>;
  readonly connections: Iterable<Watchable>;
  readonly key: string;
  readonly join: JoinLink;
  readonly stylesheet: string | undefined;
  readonly now: Date;
  readonly today: Leaderboard;
}

/** Where the class joins, and whether only this machine can reach it. */
export interface JoinLink {
  readonly link: string;
  readonly onlyHere: boolean;
}

/**
 * The game's address as the class should see it: the one the teacher's browser reached (the Host
 * it sent, `fallback` if none or unreadable), unless that is loopback, which nobody else can
 * reach; then this machine's first network address, when the server listens on them.
 */
export function joinLink(host: string | undefined, fallback: string, lan: readonly string[]): JoinLink {
  let url: URL;
  try {
    url = new URL(`http://${host ?? fallback}/`);
  } catch {
    url = new URL(`http://${fallback}/`);
  }
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  if (hostname !== 'localhost' && !isLoopback(hostname)) return { link: url.href, onlyHere: false };
  const first = lan[0];
  if (first === undefined) return { link: url.href, onlyHere: true };
  url.hostname = first;
  return { link: url.href, onlyHere: false };
}

export function classPage({ rooms, connections, key, join, stylesheet, now, today }: ClassPage): string {
  const list = [...rooms];
  const sections = list.map(roomSection).join('\n');
  const watchable = [...connections];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${CLASS_REFRESH_S}">
<title>Class view · Guess the number</title>
${stylesheet === undefined ? '' : `<link rel="stylesheet" href="${escapeHtml(stylesheet)}">`}
</head>
<body class="class-view">
<header class="top"><h1>Class view</h1><p class="status">${list.length} live ${list.length === 1 ? 'room' : 'rooms'} · updated ${now.toISOString().slice(11, 19)} UTC</p></header>
${joinSection(join)}
<main>
${list.length === 0 ? '<p>No room is open yet: the players’ games appear here as they start.</p>' : sections}
${watchable.length === 0 ? '' : connectionsSection(watchable, key)}
<section class="class-today" aria-label="Today's leaderboard">
<h2>Today's leaderboard</h2>
${leaderboardSections(today)}
<p><a href="/leaderboard?mode=all&amp;period=today">The whole leaderboard</a></p>
</section>
</main>
</body>
</html>
`;
}

function joinSection({ link, onlyHere }: JoinLink): string {
  const url = new URL(link);
  const host = url.hostname;
  const port = url.port === '' ? '80' : url.port;
  return `<aside class="class-join" aria-label="Join the game">
${qrSvg(link, `QR code to join: ${link}`)}
<div>
<p>Join in a browser: <strong class="join-link">${escapeHtml(link)}</strong></p>
<p>or from a terminal: <code>npx guess join ${escapeHtml(url.host)}</code> (or <code>nc ${escapeHtml(host.replace(/^\[|\]$/g, ''))} ${port}</code>)</p>
${onlyHere ? '<p class="only-here">Only this computer can reach this address: start <code>guess serve --host 0.0.0.0</code> for the class to join.</p>' : ''}
</div>
</aside>`;
}

function roomSection(room: Room): string {
  const what = room.mode === 'solo' ? 'Solo game' : room.mode === 'race' ? 'Race room' : 'Pick room';
  // A spectator's view: what every player in the room is shown, standings included, never the secret.
  const standings = room.snapshot('').standings;
  const rows = ranked(room.players, standings, room.mode)
    .map(({ seat: p, standing }) => `<tr${p.connected ? '' : ' class="away"'}><td class="name">${escapeHtml(p.name)}${p.bot ? ' (computer)' : ''}${p.connected ? '' : ' (disconnected)'}</td><td>${p.attempts}</td><td>${p.found ? 'found it' : ''}</td><td class="score">${score(standing, room.mode)}</td></tr>`)
    .join('');
  return `<section class="class-room" data-room="${escapeHtml(room.code)}">
<h2>${what} <span class="code">${escapeHtml(room.code)}</span></h2>
<p>${stateWords(room)} · numbers from ${room.range.min} to ${room.range.max}</p>
<table><thead><tr><th scope="col">Player</th><th scope="col">Guesses this round</th><th scope="col">Found</th><th scope="col">Standing</th></tr></thead><tbody>${rows}</tbody></table>
</section>`;
}

/**
 * Players in the order of the standings: most rounds won first (a race, a solo game), or, in a
 * pick room, fewest guesses first (its score); those who have not played a round yet last, in
 * seat order.
 */
function ranked(seats: readonly SeatView[], standings: readonly Standing[], mode: Room['mode']): Array<{ seat: SeatView; standing: Standing | undefined }> {
  const rows = seats.map((seat) => ({ seat, standing: standings.find((s) => s.id === seat.id) }));
  const played = (s: Standing | undefined): s is Standing => s !== undefined && s.rounds > 0;
  return rows.sort((a, b) => {
    if (!played(a.standing) || !played(b.standing)) return Number(played(b.standing)) - Number(played(a.standing)) || a.seat.seat - b.seat.seat;
    const order = mode === 'pick' ? a.standing.guesses - b.standing.guesses : b.standing.wins - a.standing.wins;
    return order || a.seat.seat - b.seat.seat;
  });
}

function score(standing: Standing | undefined, mode: Room['mode']): string {
  if (standing === undefined || standing.rounds === 0) return '';
  const wins = plural(standing.wins, 'win', 'wins');
  return mode === 'pick' ? `${plural(standing.guesses, 'guess', 'guesses')} in ${plural(standing.rounds, 'round', 'rounds')}` : wins;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Each connection with a link to its trace: the class sees the chapter's client's bytes beside a browser's JSON. */
function connectionsSection(connections: readonly Watchable[], key: string): string {
  const rows = connections
    .map(({ wire, dialect }) => `<li data-peer="${escapeHtml(wire.peer)}"><a href="${traceLink(key, wire.peer)}">${escapeHtml(dialect)} · ${escapeHtml(wire.peer)}</a></li>`)
    .join('');
  return `<section class="class-connections">
<h2>Connections</h2>
<p>Open one to watch its messages as they pass.</p>
<ul>${rows}</ul>
</section>`;
}

export function traceLink(key: string, peer: string): string {
  return escapeHtml(`/class/trace?key=${encodeURIComponent(key)}&peer=${encodeURIComponent(peer)}`);
}

/** The top of a trace page; the spectator writes one list item per message after it, live. */
export function traceTop(watched: Watchable, stylesheet: string | undefined, now: Date): string {
  const peer = escapeHtml(watched.wire.peer);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Messages of ${peer} · Class view</title>
${stylesheet === undefined ? '' : `<link rel="stylesheet" href="${escapeHtml(stylesheet)}">`}
</head>
<body class="class-view class-trace">
<header class="top"><h1>Messages of ${escapeHtml(watched.dialect)} client ${peer}</h1><p class="status">Since ${now.toISOString().slice(11, 19)} UTC, as they pass: client → server and server → client, bytes exactly as sent (\\n is a line ending).</p></header>
<main>
<ol class="trace" aria-live="polite">
`;
}

function stateWords(room: Room): string {
  switch (room.state) {
    case 'waiting':
      return 'Waiting to start';
    case 'picking':
      return `Round ${room.round}: the picker is choosing`;
    case 'playing':
      return `Round ${room.round}: guessing`;
    default:
      return `Round ${room.round} over`;
  }
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type { Room } from '../core/room.js';
import { escapeHtml, type Spectators } from './spectators.js';
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

export function classPage(rooms: Iterable<Room>, connections: Iterable<Watchable>, key: string, stylesheet: string | undefined, now: Date): string {
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
<main>
${list.length === 0 ? '<p>No room is open yet: the players’ games appear here as they start.</p>' : sections}
${watchable.length === 0 ? '' : connectionsSection(watchable, key)}
</main>
</body>
</html>
`;
}

function roomSection(room: Room): string {
  const what = room.mode === 'solo' ? 'Solo game' : room.mode === 'race' ? 'Race room' : 'Pick room';
  const rows = room.players
    .map((p) => `<tr${p.connected ? '' : ' class="away"'}><td class="name">${escapeHtml(p.name)}${p.bot ? ' (computer)' : ''}${p.connected ? '' : ' (disconnected)'}</td><td>${p.attempts}</td><td>${p.found ? 'found it' : ''}</td></tr>`)
    .join('');
  return `<section class="class-room" data-room="${escapeHtml(room.code)}">
<h2>${what} <span class="code">${escapeHtml(room.code)}</span></h2>
<p>${stateWords(room)} · numbers from ${room.range.min} to ${room.range.max}</p>
<table><thead><tr><th scope="col">Player</th><th scope="col">Guesses this round</th><th scope="col">Found</th></tr></thead><tbody>${rows}</tbody></table>
</section>`;
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

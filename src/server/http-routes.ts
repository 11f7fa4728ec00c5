import type { IncomingMessage, ServerResponse } from 'node:http';
import { roomCodeInLink } from '../core/room-code.js';
import { classPage, joinLink, keyMatches, traceTop, type ClassView } from './class-view.js';
import { RESULT_PATHS, serveResults, type ResultsSource } from './results-routes.js';
import type { Metrics } from './metrics.js';
import { chooseEncoding, type Asset } from './web-assets.js';

/** The path browsers open the game's WebSocket on. */
export const WEBSOCKET_PATH = '/ws';

/**
 * Sent with every response. The page runs only its own bundled script (no inline script, no
 * eval, nothing from elsewhere) and talks only to this server, so a player name that slipped
 * into markup could still not run.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
});

export interface Routes {
  readonly assets: ReadonlyMap<string, Asset>;
  /** What `/healthz` reports besides `"status": "ok"`. */
  readonly health: () => Readonly<Record<string, number | string>>;
  /** `/metrics`, in the Prometheus text format. */
  readonly metrics?: Metrics | undefined;
  /** `/class`, when the server has a teacher's key. */
  readonly classView?: ClassView | undefined;
  /** The finished rounds kept: the leaderboard and the results. */
  readonly results?: ResultsSource | undefined;
}

/** Answers one HTTP request (everything but the WebSocket upgrade). */
export function handleRequest(routes: Routes, req: IncomingMessage, res: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    text(res, 405, 'Method not allowed: this server only serves pages (GET).\n');
    return;
  }
  const path = pathOf(req.url);
  if (path === '/healthz') {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ status: 'ok', ...routes.health() }));
    return;
  }
  if (path === '/metrics' && routes.metrics !== undefined) {
    const metrics = routes.metrics;
    metrics.text().then(
      (body) => {
        res.setHeader('Cache-Control', 'no-store');
        res.setHeader('Content-Type', metrics.contentType);
        res.end(body);
      },
      () => text(res, 500, 'The metrics could not be gathered.\n'),
    );
    return;
  }
  if (path === '/class' || path === '/class/trace') {
    answerClass(routes, req, res, path);
    return;
  }
  if (path === WEBSOCKET_PATH) {
    res.setHeader('Upgrade', 'websocket');
    text(res, 426, 'This address is the game\u2019s WebSocket: open the page instead.\n');
    return;
  }
  if (routes.results !== undefined && RESULT_PATHS.has(path)) {
    serveResults(routes.results, { style: assetNamed(routes.assets, '/assets/style-'), favicon: faviconOf(routes.assets) }, req, res, path).catch(
      () => text(res, 500, 'The results could not be read.\n'),
    );
    return;
  }
  // A room link (`/r/CODE`) is the page too: it reads the code itself.
  const name = path === '/' || roomCodeInLink(path) !== undefined ? '/index.html' : path === '/favicon.ico' ? faviconOf(routes.assets) : path;
  const asset = name === undefined ? undefined : routes.assets.get(name);
  if (asset === undefined) {
    if (routes.assets.size === 0) text(res, 503, 'The web client is not built: run `npm run build`.\n');
    else text(res, 404, 'Not found.\n');
    return;
  }
  sendAsset(req, res, asset);
}

/** The teacher's view, or a refusal that says nothing of the rooms. */
function answerClass(routes: Routes, req: IncomingMessage, res: ServerResponse, path: string): void {
  const view = routes.classView;
  const query = new URL(req.url ?? '/', 'http://host').searchParams;
  const given = query.get('key');
  if (view === undefined || !keyMatches(view.key, given)) {
    text(res, 403, given === null ? 'The class view needs the teacher\u2019s link that `guess serve` printed.\n' : 'This is not the teacher\u2019s key: use the link that `guess serve` printed.\n');
    return;
  }
  const style = [...routes.assets.keys()].find((name) => name.startsWith('/assets/style-') && name.endsWith('.css'));
  if (path === '/class/trace') {
    answerTrace(view, query.get('peer'), req, res, style);
    return;
  }
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  const address = req.socket.localAddress ?? '127.0.0.1';
  const here = `${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort ?? 0}`;
  const join = joinLink(req.headers.host, here, view.lan());
  res.end(classPage({ rooms: view.rooms(), connections: view.connections(), key: view.key, join, stylesheet: style, now: new Date(), today: view.today() }));
}

/** One connection's messages, live: the page stays open and grows by a line per message until the connection closes. */
function answerTrace(view: ClassView, peer: string | null, req: IncomingMessage, res: ServerResponse, style: string | undefined): void {
  let watched;
  for (const connection of view.connections()) if (connection.wire.peer === peer) watched = connection;
  if (watched === undefined) {
    text(res, 404, 'That connection has closed (or never was): go back to the class view and pick another.\n');
    return;
  }
  res.statusCode = 200;
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  res.write(traceTop(watched, style, new Date()));
  if (!view.spectators.watch(watched.wire, res)) res.end(`</ol>\n<p class="trace-end" role="status">Enough pages already follow this connection: close one.</p>\n</main>\n</body>\n</html>\n`);
}

function sendAsset(req: IncomingMessage, res: ServerResponse, asset: Asset): void {
  res.setHeader('Content-Type', asset.type);
  res.setHeader('Cache-Control', asset.cacheControl);
  res.setHeader('ETag', asset.etag);
  res.setHeader('Vary', 'Accept-Encoding');
  if (req.headers['if-none-match'] === asset.etag) {
    res.statusCode = 304;
    res.end();
    return;
  }
  const encoding = chooseEncoding(req.headers['accept-encoding'], asset);
  const body = encoding === 'br' ? asset.br : encoding === 'gzip' ? asset.gzip : asset.body;
  if (encoding !== undefined) res.setHeader('Content-Encoding', encoding);
  res.setHeader('Content-Length', (body ?? asset.body).length);
  res.end(body ?? asset.body);
}

function text(res: ServerResponse, status: number, body: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(body);
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const query = raw.indexOf('?');
  return query === -1 ? raw : raw.slice(0, query);
}

// The page links its icon by hashed name; browsers that ask for /favicon.ico anyway get the same.
function faviconOf(assets: ReadonlyMap<string, Asset>): string | undefined {
  return assetNamed(assets, '/assets/favicon-');
}

function assetNamed(assets: ReadonlyMap<string, Asset>, prefix: string): string | undefined {
  for (const name of assets.keys()) if (name.startsWith(prefix) && !name.endsWith('.map')) return name;
  return undefined;
}

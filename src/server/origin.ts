/**
 * Who may open the game's WebSocket. A browser attaches `Origin` to every WebSocket handshake,
 * and any page the player visits could try to open one to a server on their network
 * (cross-site WebSocket hijacking), so by default only the page this server itself served may:
 * the origin's host and port must be the `Host` the request was sent to.
 *
 * A handshake with no `Origin` comes from a program, not a browser page (the benchmark, a
 * bot); there is no page to protect from, so it is let through. `allowed` lists extra origins
 * (`--allow-origin`), exactly as a browser writes them (`http://example.org:8080`), or `*`.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowed.includes('*') || allowed.includes(origin)) return true;
  if (host === undefined) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return url.host === hostWithDefaultPort(host, url.protocol);
}

// `URL.host` drops a default port (`http://h:80` → `h`); do the same to `Host` before comparing.
function hostWithDefaultPort(host: string, protocol: string): string {
  const lower = host.toLowerCase();
  if (protocol === 'http:' && lower.endsWith(':80')) return lower.slice(0, -3);
  if (protocol === 'https:' && lower.endsWith(':443')) return lower.slice(0, -4);
  return lower;
}

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { extname, join, relative, sep } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** One file of the web client, ready to send: every encoding is computed once, at start-up. */
export interface Asset {
  readonly type: string;
  readonly body: Buffer;
  readonly gzip: Buffer | undefined;
  readonly br: Buffer | undefined;
  readonly etag: string;
  readonly cacheControl: string;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

// The bundler names every asset `name-HASH.ext`, so a name never changes meaning and may be
// cached for good; anything else (index.html) is revalidated on every load.
const HASHED = /-[A-Z0-9]{8}\.[a-z0-9]+$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
// Compressing tiny files costs more in headers than it saves.
const MIN_COMPRESS_BYTES = 256;

/**
 * Reads the built web client into memory, keyed by URL path (`/index.html`, `/assets/app-X.js`).
 * The build writes `.gz` and `.br` siblings; a file without them is compressed here, once.
 * Returns an empty map when the client has not been built, and the server answers 503 for it.
 */
export function loadWebAssets(root: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  let files: string[];
  try {
    files = listFiles(root);
  } catch {
    return assets;
  }
  const present = new Set(files);
  for (const file of files) {
    if (file.endsWith('.gz') || file.endsWith('.br')) continue;
    const type = TYPES[extname(file)];
    if (type === undefined) continue;
    const body = readFileSync(file);
    const compressible = !type.startsWith('image/png') && body.length >= MIN_COMPRESS_BYTES;
    const urlPath = `/${relative(root, file).split(sep).join('/')}`;
    assets.set(urlPath, {
      type,
      body,
      gzip: compressible ? (present.has(`${file}.gz`) ? readFileSync(`${file}.gz`) : gzipSync(body, { level: 9 })) : undefined,
      br: compressible
        ? present.has(`${file}.br`)
          ? readFileSync(`${file}.br`)
          : brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })
        : undefined,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
      cacheControl: HASHED.test(file) ? IMMUTABLE : REVALIDATE,
    });
  }
  return assets;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listFiles(path));
    else out.push(path);
  }
  return out;
}

/** The encoding to send for an `Accept-Encoding` header: brotli, then gzip, else none. */
export function chooseEncoding(acceptEncoding: string | undefined, asset: Asset): 'br' | 'gzip' | undefined {
  if (acceptEncoding === undefined) return undefined;
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const ok = (name: string): boolean => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (asset.br !== undefined && ok('br')) return 'br';
  if (asset.gzip !== undefined && ok('gzip')) return 'gzip';
  return undefined;
}

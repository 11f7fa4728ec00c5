// Bundles the browser client (web/) into dist/web: hashed asset names, an index.html that
// names them, and .br/.gz siblings so the server compresses nothing at run time.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist/web');
const assetsDir = join(out, 'assets');

rmSync(out, { recursive: true, force: true });
mkdirSync(assetsDir, { recursive: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: { app: 'web/src/main.ts', style: 'web/style.css' },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022', 'chrome100', 'firefox100', 'safari15'],
  entryNames: '[name]-[hash]',
  outdir: assetsDir,
  metafile: true,
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((file) => basename(file));
const named = (prefix) => {
  const found = outputs.find((file) => file.startsWith(`${prefix}-`));
  if (found === undefined) throw new Error(`the bundle has no ${prefix} output`);
  return found;
};

// Same naming as esbuild's: 8 characters of the content's hash, uppercase base32.
const favicon = readFileSync(join(root, 'web/favicon.svg'));
const faviconName = `favicon-${hash8(favicon)}.svg`;
writeFileSync(join(assetsDir, faviconName), favicon);

const html = readFileSync(join(root, 'web/index.html'), 'utf8')
  .replaceAll('%APP_JS%', `/assets/${named('app')}`)
  .replaceAll('%STYLE_CSS%', `/assets/${named('style')}`)
  .replaceAll('%FAVICON%', `/assets/${faviconName}`);
if (html.includes('%')) throw new Error('web/index.html has a placeholder the build does not fill');
writeFileSync(join(out, 'index.html'), html);

for (const file of [join(out, 'index.html'), ...outputs.map((name) => join(assetsDir, name)), join(assetsDir, faviconName)]) {
  const body = readFileSync(file);
  writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
  writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
}

function hash8(bytes) {
  const digest = createHash('sha256').update(bytes).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let text = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && text.length < 8) {
      text += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return text;
}

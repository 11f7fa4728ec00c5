import qrcode from 'qrcode-generator';
import { escapeHtml } from './html.js';

/** Light modules around the code, as scanners expect. */
const QUIET = 4;

/**
 * A link as a QR code in SVG markup, for the server-rendered class view: the same encoder and
 * error correction (M, survives a glare on a projector) as the room page's, which draws it through
 * the DOM instead. One path for the dark modules keeps a page that reloads every 2 s small.
 */
export function qrSvg(text: string, label: string): string {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const count = qr.getModuleCount();
  const size = count + 2 * QUIET;
  let dark = '';
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) if (qr.isDark(row, col)) dark += `M${col + QUIET} ${row + QUIET}h1v1h-1z`;
  }
  return (
    `<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" role="img" aria-label="${escapeHtml(label)}" shape-rendering="crispEdges" data-modules="${count}">` +
    `<rect class="qr-light" width="${size}" height="${size}"/><path class="qr-dark" d="${dark}"/></svg>`
  );
}

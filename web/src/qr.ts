import qrcode from 'qrcode-generator';

const SVG = 'http://www.w3.org/2000/svg';
/** Light modules around the code, as scanners expect. */
const QUIET = 4;

/**
 * The room link as a QR code, so that a class joins from phones pointed at a projector. Drawn
 * as SVG squares made through the DOM (the page's CSP allows no inline markup or script);
 * error correction M survives a glare on the screen.
 */
export function qrCode(text: string, label: string): SVGSVGElement {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const count = qr.getModuleCount();
  const size = count + 2 * QUIET;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('class', 'qr');
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.dataset.modules = String(count);
  const background = document.createElementNS(SVG, 'rect');
  background.setAttribute('width', String(size));
  background.setAttribute('height', String(size));
  background.setAttribute('class', 'qr-light');
  svg.append(background);
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) {
      if (!qr.isDark(row, col)) continue;
      const module = document.createElementNS(SVG, 'rect');
      module.setAttribute('x', String(col + QUIET));
      module.setAttribute('y', String(row + QUIET));
      module.setAttribute('width', '1');
      module.setAttribute('height', '1');
      module.setAttribute('class', 'qr-dark');
      svg.append(module);
    }
  }
  return svg;
}

/**
 * A page's messages as Mermaid `sequenceDiagram` text, the notation docs/PROTOCOL.md draws with,
 * every arrow carrying a frame's text exactly.
 *
 * Mermaid's grammar ends a message's text at `#`, `;` or a line break, reads `%%{` anywhere as
 * a directive, trims the text, treats a leading `wrap:` or `nowrap:` as an option, and renders
 * the text as HTML. Mermaid's own escape is `#code;` (decimal), which it turns into `&#code;`
 * before rendering; every character that would be misread is written that way, and so are the
 * private markers Mermaid uses while decoding (`ﬂ°`, `¶ß`) and the `s` of `style` and the `c` of
 * `classDef` (a line with those words and a `#` loses its last `;` to a rule meant for styles).
 */
import type { WireEntry } from './wire-log.js';

const ESCAPED = /[#;%&<>\u2028\u2029\u00b6\u00df\u00b0\ufb02]|\p{Cc}|s(?=tyle)|c(?=lassDef)/gu;

export function mermaidText(text: string): string {
  let out = text.replace(ESCAPED, (ch) => `#${ch.charCodeAt(0)};`);
  // Mermaid trims a message, and reads a leading "wrap:" or "nowrap:", with or without a ":" before it, as an option.
  out = out.replace(/^\s|\s$/g, (ch) => `#${ch.charCodeAt(0)};`);
  if (/^:?(no)?wrap:/i.test(out)) out = `#${out.charCodeAt(0)};${out.slice(1)}`;
  return out;
}

export interface Lifelines {
  /** The page's side, drawn first (left). */
  readonly page: string;
  readonly server: string;
}

const LIFELINES: Lifelines = { page: 'Browser (this page)', server: 'Server' };

/** Entries that are not frames (the connection opening and closing) become notes across both lifelines. */
export function mermaidSequence(entries: readonly WireEntry[], dropped = 0, names: Lifelines = LIFELINES): string {
  const lines = ['sequenceDiagram', `    participant B as ${mermaidText(names.page)}`, `    participant S as ${mermaidText(names.server)}`];
  if (dropped > 0) lines.push(`    Note over B,S: ${dropped} earlier ${dropped === 1 ? 'message' : 'messages'} not kept`);
  for (const entry of entries) {
    const text = entry.text === undefined ? '(a binary frame)' : mermaidText(entry.text);
    if (entry.kind === 'sent') lines.push(`    B->>S: ${text}`);
    else if (entry.kind === 'received') lines.push(`    S->>B: ${text}`);
    else lines.push(`    Note over B,S: connection ${entry.kind}`);
  }
  return `${lines.join('\n')}\n`;
}

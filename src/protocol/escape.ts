/**
 * Text from the wire, made safe to print: quoted, printable ASCII as is, everything else escaped
 * (`\n`, `\x1b`, `\u00e9`, `\u{1f600}`, `\ufffd` for bytes that were not UTF-8), so no byte a
 * peer sends can move a cursor, change a colour or reorder a line on the reader's screen.
 */
export function quoteText(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code > 0x7e) out += code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Longest excerpt of a bad reply shown to a player, in characters before escaping. */
export const EXCERPT_CHARS = 60;

/** The start of `text`, quoted and escaped, with `…` after the quotes when it was cut. */
export function excerpt(text: string, chars = EXCERPT_CHARS): string {
  const head = Array.from(text.slice(0, chars * 2)).slice(0, chars).join('');
  return head.length < text.length ? `${quoteText(head)}\u2026` : quoteText(head);
}

import { SENTENCES } from '../core/game.js';

/**
 * The short form in which a server keeps the events it sent, for `resume`. A guess's `result` is
 * most of them, and most of its 85 bytes are the same for every guess: each such run of text
 * becomes one control character. JSON text never holds a raw control character
 * (JSON.stringify writes them as \u00XX, and a newline separates kept events), so the short form
 * reads back exactly, and text kept before it existed reads back unchanged.
 */
const RUNS: readonly string[] = [
  '{"type":"result","value":',
  ...(['low', 'high', 'win'] as const).map((outcome) => `,"outcome":"${outcome}","message":${JSON.stringify(SENTENCES[outcome])},"attempts":`),
  ',"seq":',
];

const MARKS: readonly string[] = RUNS.map((_, i) => String.fromCharCode(1 + i));

/** The short form of kept events' text (one or more, one per line). */
export function packEvents(text: string): string {
  let packed = text;
  for (let i = 0; i < RUNS.length; i++) packed = packed.replaceAll(RUNS[i] as string, MARKS[i] as string);
  return packed;
}

/** The exact text `packEvents` was given. */
export function unpackEvents(packed: string): string {
  let text = packed;
  for (let i = 0; i < RUNS.length; i++) text = text.replaceAll(MARKS[i] as string, RUNS[i] as string);
  return text;
}

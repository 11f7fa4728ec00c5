import { SENTENCES, type Outcome } from '../core/game.js';

/**
 * The short form in which a server keeps the events it sent, for `resume`. A guess's `result` is
 * most of them, and most of its 85 bytes are the same for every guess: each such run of text
 * becomes one control character. JSON text never holds a raw control character
 * (JSON.stringify writes them as \u00XX, and a newline separates kept events), so the short form
 * reads back exactly, and text kept before it existed reads back unchanged.
 */
export const OUTCOMES = ['low', 'high', 'win'] as const satisfies readonly Outcome['kind'][];

const RUNS: readonly string[] = [
  '{"type":"result","value":',
  ...OUTCOMES.map((outcome) => `,"outcome":"${outcome}","message":${JSON.stringify(SENTENCES[outcome])},"attempts":`),
  ',"seq":',
];

const MARKS: readonly string[] = RUNS.map((_, i) => String.fromCharCode(1 + i));

const RESULT = MARKS[0] as string;
const SEQ = MARKS[RUNS.length - 1] as string;
const OUTCOME_MARKS: Readonly<Record<(typeof OUTCOMES)[number], string>> = { low: MARKS[1] as string, high: MARKS[2] as string, win: MARKS[3] as string };

/** The short form of kept events' text (one or more, one per line). */
export function packEvents(text: string): string {
  let packed = text;
  for (let i = 0; i < RUNS.length; i++) packed = packed.replaceAll(RUNS[i] as string, MARKS[i] as string);
  return packed;
}

/**
 * The short form of a kept `result` whose message is its outcome's sentence, made from its
 * fields (numbers as JSON prints them) rather than from its text: the hot path keeps one for
 * every guess, and a short string costs the garbage collector less than the text while it waits.
 */
export function packedResult(value: number, outcome: (typeof OUTCOMES)[number], attempts: number, seq: number): string {
  return `${RESULT}${value}${OUTCOME_MARKS[outcome]}${attempts}${SEQ}${seq}}`;
}

/** The exact text `packEvents` was given. */
export function unpackEvents(packed: string): string {
  let text = packed;
  for (let i = 0; i < RUNS.length; i++) text = text.replaceAll(MARKS[i] as string, RUNS[i] as string);
  return text;
}

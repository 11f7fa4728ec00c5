import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { BIN, ROOT } from './paths.js';
import { OutputWatcher } from './watch.js';

const RELAY = join(ROOT, 'test', 'fixtures', 'pty-run.py');

/** Whether python3 is here to lend us a pseudo-terminal; tests skip (saying why) when not. */
export const PYTHON3 = spawnSync('python3', ['--version']).status === 0;

/**
 * `guess ARGS` on a pseudo-terminal. `screen()` is everything it showed (raw, with escape
 * sequences and CRLF); `waitFor` resolves once the screen matches, checked on every chunk.
 */
export class PtyGuess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly #output: OutputWatcher;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn('python3', [RELAY, process.execPath, BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, TERM: 'xterm', COLUMNS: '80', LINES: '24', ...env },
    });
    this.#output = new OutputWatcher(this.child, [this.child.stdout, this.child.stderr]);
    this.exited = new Promise((resolve) => {
      this.child.once('close', (code, signal) => resolve({ code, signal }));
    });
  }

  screen(): string {
    return this.#output.text();
  }

  /** Types bytes as keys (`\r` is Enter, `\x03` Ctrl-C, `\x04` Ctrl-D). */
  type(keys: string): void {
    this.child.stdin.write(keys);
  }

  /** Resolves once the screen, from `from` on, matches `pattern`; rejects if the program ends first. */
  waitFor(pattern: RegExp, from = 0): Promise<string> {
    return this.#output.waitFor(pattern, from);
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

const ESC = String.fromCharCode(0x1b);

/**
 * The lines a terminal would show for `raw`, cursor moves and line clears applied (the few that
 * readline writes: CR, LF, CSI n G/C/D, CSI n K, and CSI J as far as the line goes). Text written
 * over other text replaces it, so news printed without first wiping a half-typed line shows up
 * glued to it.
 */
export function renderLines(raw: string): string[] {
  const lines: string[] = [];
  let line: string[] = [];
  let column = 0;
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i] ?? '';
    if (char === '\n') {
      lines.push(line.join('').trimEnd());
      line = [];
      column = 0;
    } else if (char === '\r') column = 0;
    else if (char === ESC && raw[i + 1] === '[') {
      let end = i + 2;
      while (/[0-9;]/.test(raw[end] ?? '')) end++;
      const digits = raw.slice(i + 2, end);
      const kind = raw[end];
      i = end;
      const n = digits === '' ? NaN : Number(digits);
      if (kind === 'G') column = (Number.isNaN(n) ? 1 : n) - 1;
      else if (kind === 'C') column += Number.isNaN(n) ? 1 : n;
      else if (kind === 'D') column = Math.max(0, column - (Number.isNaN(n) ? 1 : n));
      else if (kind === 'K' || kind === 'J') {
        if (Number.isNaN(n) || n === 0) line = line.slice(0, column);
        else if (n === 2) line = [];
        else for (let c = 0; c <= column && c < line.length; c++) line[c] = ' ';
      }
    } else {
      while (line.length < column) line.push(' ');
      line[column++] = char;
    }
  }
  lines.push(line.join('').trimEnd());
  return lines;
}

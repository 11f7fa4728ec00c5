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

import { clearLine, createInterface, cursorTo, type Interface } from 'node:readline';
import { LineCap, MAX_LINE_CHARS, type RawModeTerminal } from './line-cap.js';

/**
 * Lines typed (or piped) by the player, one at a time, with a prompt. End of input resolves
 * `undefined` instead of throwing, so Ctrl-D ends a game as calmly as typing `n`.
 */
export class LineInput {
  readonly #rl: Interface;
  readonly #output: NodeJS.WritableStream;
  readonly #terminal: boolean;
  readonly #queue: string[] = [];
  #waiter: ((line: string | undefined) => void) | undefined;
  #closed = false;

  constructor(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, onInterrupt: () => void) {
    this.#output = output;
    const terminal = (input as { isTTY?: boolean }).isTTY === true;
    this.#terminal = terminal;
    const cap = terminal ? new LineCap(input as unknown as RawModeTerminal) : undefined;
    if (cap !== undefined) input.pipe(cap);
    this.#rl = createInterface({ input: cap ?? input, output, terminal });
    this.#rl.on('line', (line) => {
      if (cap?.takeOverflow() === true || line.length > MAX_LINE_CHARS) {
        this.print(`That line is too long for a guess (over ${MAX_LINE_CHARS} characters). Try again...`);
        this.#rl.prompt(true);
        return;
      }
      if (this.#waiter === undefined) this.#queue.push(line);
      else this.#take(line);
    });
    this.#rl.on('close', () => {
      if (cap !== undefined) {
        // readline paused the filter; the terminal itself must stop too, or it keeps the process alive.
        input.unpipe(cap);
        input.pause();
      }
      this.#closed = true;
      this.#take(undefined);
    });
    this.#rl.on('SIGINT', onInterrupt);
  }

  /** Shows the prompt, then resolves the next line (or undefined at end of input). */
  ask(prompt: string): Promise<string | undefined> {
    const queued = this.#queue.shift();
    if (this.#closed) {
      // Piped input ends before its lines are all asked for. readline refuses to prompt once closed
      // (Node 24 throws ERR_USE_AFTER_CLOSE), so the prompt is written as readline would have.
      if (queued !== undefined) this.#output.write(prompt);
      return Promise.resolve(queued);
    }
    this.#rl.setPrompt(prompt);
    this.#rl.prompt(true);
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  print(text: string): void {
    this.#output.write(`${text}\n`);
  }

  /**
   * Prints news that arrives while the player may be typing (another player's guess): on a
   * terminal, the half-typed line is wiped, the news printed above it, and the prompt and what
   * was typed redrawn with the cursor where it was, so nothing typed is lost or garbled.
   */
  notify(text: string): void {
    if (!this.#terminal || this.#waiter === undefined || this.#closed) {
      this.print(text);
      return;
    }
    clearLine(this.#output, 0);
    cursorTo(this.#output, 0);
    this.#output.write(`${text}\n`);
    this.#rl.prompt(true);
  }

  close(): void {
    this.#rl.close();
  }

  #take(line: string | undefined): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.(line);
  }
}

import type { ChildProcess } from 'node:child_process';

/**
 * Collects what a child process prints on the given streams and lets a test wait until it
 * matches a pattern: checked on every chunk and when the process ends, never on a timer.
 */
export class OutputWatcher {
  readonly #child: ChildProcess;
  readonly #watchers = new Set<() => void>();
  #text = '';

  constructor(child: ChildProcess, streams: ReadonlyArray<NodeJS.ReadableStream | null>) {
    this.#child = child;
    for (const stream of streams) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        this.#text += chunk;
        this.#notify();
      });
    }
    child.once('close', () => this.#notify());
  }

  text(): string {
    return this.#text;
  }

  /** Resolves with the text from `from` on once it matches; rejects if the process ends first. */
  waitFor(pattern: RegExp, from = 0): Promise<string> {
    return new Promise((resolve, reject) => {
      const watch = (): void => {
        const seen = this.#text.slice(from);
        if (pattern.test(seen)) {
          this.#watchers.delete(watch);
          resolve(seen);
        } else if (this.#ended()) {
          this.#watchers.delete(watch);
          reject(new Error(`exited before printing ${String(pattern)}; last output: ${JSON.stringify(this.#text.slice(-400))}`));
        }
      };
      this.#watchers.add(watch);
      watch();
    });
  }

  #ended(): boolean {
    const child = this.#child;
    return (child.exitCode !== null || child.signalCode !== null) && child.stdout?.readableEnded !== false;
  }

  #notify(): void {
    for (const watch of this.#watchers) watch();
  }
}

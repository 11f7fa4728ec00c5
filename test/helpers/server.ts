import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { spawnGuess, waitForLine } from './process.js';

export interface RunningServer {
  readonly port: number;
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything the server printed on stdout and stderr so far. */
  output(): string;
  /** Resolves with the output so far once it matches `pattern` (checked on every chunk, never on a timer). */
  waitFor(pattern: RegExp): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts `guess serve` as a real process on a free loopback port and resolves once it prints
 * `Listening on HOST:PORT`. Logs are JSON so tests can read them.
 */
export async function startServer(args: readonly string[] = []): Promise<RunningServer> {
  const child = spawnGuess(['serve', '--port', '0', '--log-format', 'json', ...args]);
  let text = '';
  const watchers = new Set<() => void>();
  const append = (chunk: string): void => {
    text += chunk;
    for (const watch of watchers) watch();
  };
  child.stdout.setEncoding('utf8').on('data', append);
  child.stderr.setEncoding('utf8').on('data', append);
  const listening = await waitForLine(child.stdout, (line) => line.startsWith('Listening on '));
  const port = Number(/:(\d+)$/.exec(listening)?.[1]);
  return {
    port,
    child,
    output: () => text,
    waitFor(pattern) {
      return new Promise((resolve, reject) => {
        const watch = (): void => {
          if (pattern.test(text)) {
            cleanup();
            resolve(text);
          }
        };
        const onClose = (): void => {
          cleanup();
          if (pattern.test(text)) resolve(text);
          else reject(new Error(`server exited before printing ${String(pattern)}`));
        };
        const cleanup = (): void => {
          watchers.delete(watch);
          child.off('close', onClose);
        };
        watchers.add(watch);
        child.once('close', onClose);
        watch();
        if (child.exitCode !== null || child.signalCode !== null) onClose();
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const closed = once(child, 'close');
      child.kill('SIGTERM');
      await closed;
    },
  };
}

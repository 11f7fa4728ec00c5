import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { BIN, ROOT } from './paths.js';

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `guess ARGS` as a real process, feeding `stdin`, and resolves when it exits. */
export async function runGuess(args: readonly string[], stdin = '', env: NodeJS.ProcessEnv = {}): Promise<Finished> {
  const child = spawnGuess(args, env);
  child.stdin.end(stdin);
  return finished(child);
}

/** `nodeArgs` go to Node before the script, e.g. `--import` of a test fixture. */
export function spawnGuess(args: readonly string[], env: NodeJS.ProcessEnv = {}, nodeArgs: readonly string[] = []): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [...nodeArgs, BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
}

export async function finished(child: ChildProcessWithoutNullStreams): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  return { code, signal, stdout, stderr };
}

/** Resolves with the first line of `stream` that `match` accepts; rejects if the stream ends first. */
export function waitForLine(stream: NodeJS.ReadableStream, match: (line: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: stream });
    const onLine = (line: string): void => {
      if (!match(line)) return;
      lines.off('line', onLine);
      lines.off('close', onClose);
      resolve(line);
    };
    const onClose = (): void => reject(new Error('stream ended before the expected line'));
    lines.on('line', onLine);
    lines.on('close', onClose);
  });
}

/** The cores a process may run on, as `taskset -c` lists them. */
export function coresOf(pid: number): string {
  const line = /^Cpus_allowed_list:\s*(\S+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(line !== null, `no Cpus_allowed_list for ${pid}`);
  return line[1] as string;
}

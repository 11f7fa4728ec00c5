import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Range } from '../src/core/game.js';
import { pinned, pinning } from './pinning.js';

/** The repository root, from the compiled file in dist/bench/. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const GUESS_BIN = fileURLToPath(new URL('../../bin/guess.js', import.meta.url));
const BASELINE = fileURLToPath(new URL('./baseline-server.js', import.meta.url));
const BARE_WS = fileURLToPath(new URL('./bare-ws-server.js', import.meta.url));
const BARE_JSON = fileURLToPath(new URL('./bare-json-server.js', import.meta.url));

/** Ours, the bare `node:net` baseline (plain dialect), the bare `ws` one (WebSocket) and the bare JSON one over `node:net`. */
export type ServerName = 'ours' | 'baseline' | 'bare-ws' | 'bare-json';

export interface ServerProcess {
  readonly name: ServerName;
  readonly pid: number;
  readonly port: number;
  /** The last few kilobytes the server printed, for a failure report. */
  output(): string;
  stop(): Promise<void>;
}

export interface ServerOptions {
  readonly range: Range;
  /** Extra `guess serve` flags. */
  readonly flags?: readonly string[];
  /** Extra node options for our server, e.g. --cpu-prof. */
  readonly nodeArgs?: readonly string[];
  /** Our server's executable, if not this checkout's: another build's bin/guess.js, to compare two builds. */
  readonly bin?: string;
}

/** What our server's `/healthz` says of its store: commits since start and their total time. */
export interface Health {
  readonly commits: number;
  readonly commitMs: number;
  readonly syncs: number;
  readonly syncMs: number;
}

/**
 * Our server runs exactly as a user runs it (`guess serve`), with logs at warn level: at info it
 * writes two lines per connection, which would measure the logger rather than the server. It
 * keeps its games in a file, as `guess serve` does on a fixed port (on `--port 0` it keeps
 * nothing by default): a temporary one, removed when the server stops.
 */
export async function startOurs(options: ServerOptions): Promise<ServerProcess> {
  const { min, max } = options.range;
  const dir = mkdtempSync(join(tmpdir(), 'guess-bench-'));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    return await startProcess('ours', [
      ...(options.nodeArgs ?? []),
      options.bin ?? GUESS_BIN,
      'serve',
      '--port', '0',
      // With --redis the games are kept in Redis: a file is refused.
      '--db', options.flags?.includes('--redis') === true ? ':memory:' : join(dir, 'games.db'),
      '--min', String(min),
      '--max', String(max),
      '--log-level', 'warn',
      '--log-format', 'json',
      ...(options.flags ?? []),
    ], remove, options.flags?.includes('--workers') === true ? undefined : pinning?.server);
  } catch (error) {
    remove();
    throw error;
  }
}

export function startBaseline(options: ServerOptions): Promise<ServerProcess> {
  return startYardstick('baseline', BASELINE, options);
}

export function startBareWs(options: ServerOptions): Promise<ServerProcess> {
  return startYardstick('bare-ws', BARE_WS, options);
}

export function startBareJson(options: ServerOptions): Promise<ServerProcess> {
  return startYardstick('bare-json', BARE_JSON, options);
}

/** A bare server of bench/ (yardstick.ts's flags), on the measured server's core. */
function startYardstick(name: ServerName, script: string, options: ServerOptions): Promise<ServerProcess> {
  const { min, max } = options.range;
  return startProcess(name, [script, '--port', '0', '--min', String(min), '--max', String(max)], () => undefined, pinning?.server);
}

/** Each running server, and what to remove once it has exited. */
const running = new Map<ChildProcessWithoutNullStreams, () => void>();

/** Kills every server still running, for a run that has to stop at once. */
export function killServers(): void {
  for (const [child, cleanUp] of running) {
    child.kill('SIGKILL');
    cleanUp();
  }
}

/** Our server's `/healthz`, read on the game port. */
export function readHealth(port: number): Promise<Health> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        try {
          const health = JSON.parse(body) as Partial<Health>;
          const { commits, commitMs, syncs, syncMs } = health;
          if (commits === undefined || commitMs === undefined || syncs === undefined || syncMs === undefined) throw new Error(`no commits in ${body.slice(0, 200)}`);
          resolve({ commits, commitMs, syncs, syncMs });
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

async function startProcess(name: ServerName, args: readonly string[], cleanUp: () => void, cores: string | undefined): Promise<ServerProcess> {
  // taskset execs node in its own process: the pid is the server's.
  const command = pinned(cores, args);
  const child: ChildProcessWithoutNullStreams = spawn(command.command, command.args, { cwd: ROOT });
  running.set(child, cleanUp);
  child.once('exit', () => {
    running.delete(child);
    cleanUp();
  });
  let text = '';
  const keep = (chunk: string): void => {
    text = (text + chunk).slice(-4096);
  };
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = /^Listening on .*:(\d+)$/.exec(line);
      if (match !== null) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`${name} server exited (${String(code)}) before listening:\n${text}`)));
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${name} server has no pid`);
  return {
    name,
    pid,
    port,
    output: () => text,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

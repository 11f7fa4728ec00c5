import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { closedPort } from './free-port.js';
import { waitForLine } from './process.js';

export interface RunningRedis {
  readonly port: number;
  readonly url: string;
  /** Stops the server (SIGKILL: it keeps nothing, so a restart starts empty). */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
  /** SIGSTOP: it keeps its connections and its data, and answers nothing until `resume`. */
  pause(): void;
  resume(): void;
}

/**
 * A real `redis-server` (Debian's package) of the test's own, on a free loopback port, keeping
 * nothing on disk. A port taken between the probe and the start is tried again with another.
 */
export async function startRedis(): Promise<RunningRedis> {
  let port = 0;
  const launch = async (): Promise<ChildProcessWithoutNullStreams | undefined> => {
    const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'notice']);
    server.stderr.resume();
    const line = await waitForLine(server.stdout, (text) => text.includes('Ready to accept connections') || /Address already in use|Could not create/.test(text)).catch(() => '');
    if (!line.includes('Ready to accept connections')) {
      server.kill('SIGKILL');
      return undefined;
    }
    server.stdout.resume();
    return server;
  };
  let child: ChildProcessWithoutNullStreams | undefined;
  for (let attempt = 0; attempt < 5 && child === undefined; attempt++) {
    port = await closedPort();
    child = await launch();
  }
  if (child === undefined) throw new Error('redis-server did not start (is it installed? .ci/run installs it)');
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      const running = child;
      child = undefined;
      if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
      const closed = once(running, 'close');
      running.kill('SIGKILL');
      await closed;
    },
    pause() {
      child?.kill('SIGSTOP');
    },
    resume() {
      child?.kill('SIGCONT');
    },
    async start() {
      // The same port: the servers under test reconnect to the address they were given.
      for (let attempt = 0; attempt < 50 && child === undefined; attempt++) child = await launch();
      if (child === undefined) throw new Error(`redis-server did not start again on port ${port}`);
    },
  };
}

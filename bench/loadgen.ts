/**
 * A load generator process: the bench runner forks one or two of these and drives them over IPC
 * (connect, start, mark a window, read it, stop), so the runner's own work never competes with the bots.
 */
import { Load } from './load.js';
import type { Command, Event } from './ipc.js';

let load: Load | undefined;

function send(event: Event): void {
  if (process.connected) process.send?.(event);
}

/** The window since the last mark, made serialisable (the histogram as its non-zero buckets). */
function sendStats(from: Load): void {
  const stats = from.stats();
  send({ evt: 'stats', stats: { ...stats, rtt: stats.rtt.toSparse() } });
}

async function handle(command: Command): Promise<void> {
  switch (command.cmd) {
    case 'connect':
      load = new Load(command.options);
      send({ evt: 'connected', report: await load.connect() });
      return;
    case 'start':
      load?.start();
      send({ evt: 'ack' });
      return;
    case 'mark':
      load?.mark();
      send({ evt: 'ack' });
      return;
    case 'read':
      if (load !== undefined) sendStats(load);
      else send({ evt: 'failed', message: 'read before connect' });
      return;
    case 'stop':
      if (load !== undefined) sendStats(load);
      load?.close();
      process.disconnect();
      return;
  }
}

// The runner is gone (it finished, failed or was interrupted): so are we.
process.on('disconnect', () => {
  load?.close();
  process.exit(0);
});

process.on('message', (command: Command) => {
  handle(command).catch((error: unknown) => {
    send({ evt: 'failed', message: error instanceof Error ? error.message : String(error) });
  });
});

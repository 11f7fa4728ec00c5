import cluster, { type Worker } from 'node:cluster';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';

/** Set in each worker's environment: its number, 1 to N (its games file and its place in the cluster). */
export const WORKER_ENV = 'GUESS_WORKER';
/** The teacher's key, the same in every worker: the link printed once works whichever worker answers it. */
export const TEACHER_KEY_ENV = 'GUESS_TEACHER_KEY';

/** The number of this process among `guess serve --workers N`; undefined outside of one. */
export function workerNumber(): number | undefined {
  const value = Number(process.env[WORKER_ENV]);
  return cluster.isWorker && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/**
 * `guess serve --workers N`: N processes serving one port (node:cluster hands each new connection
 * to the next worker), each a server of the cluster sharing one Redis, so that a room on one is
 * played from the others through it. This process serves nobody: it starts the workers, prints
 * where to connect once all listen, starts a worker again if one dies, and on SIGTERM or SIGINT
 * lets each drain and exits once all have.
 */
export function superviseWorkers(count: number, teacherKey: string, log: Logger, banner: (address: AddressInfo) => void): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    let listening = 0;
    let code = 0;
    const workers = new Map<Worker, number>();
    const start = (number: number): void => {
      const worker = cluster.fork({ [WORKER_ENV]: String(number), [TEACHER_KEY_ENV]: teacherKey });
      workers.set(worker, number);
    };
    cluster.on('listening', (worker, address) => {
      // A worker started again: the port is served in full again from now on.
      if (listening >= count) log.info({ worker: workers.get(worker) }, `Worker ${workers.get(worker) ?? 0} serves again`);
      else if (++listening === count) banner({ address: address.address, family: address.addressType === 6 ? 'IPv6' : 'IPv4', port: address.port });
    });
    // Node's types say numbers and strings; a worker killed by a signal has a null exit code.
    cluster.on('exit', (worker, exitCode: number | null, signal: string | null) => {
      const number = workers.get(worker) ?? 0;
      workers.delete(worker);
      if (stopping || listening < count) {
        // One that cannot start (a port in use, a locked file) says why itself: the others stop too.
        if (exitCode !== 0) code = exitCode === null ? 1 : exitCode;
        if (!stopping) stop('worker-failed');
        if (workers.size === 0) {
          log.info({}, 'Stopped');
          resolve(code);
        }
        return;
      }
      log.warn({ worker: number, exitCode, signal }, `Worker ${number} stopped (${signal ?? `exit ${exitCode}`}); starting it again`);
      start(number);
    });
    const stop = (reason: string): void => {
      stopping = true;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      log.info({ reason, workers: workers.size }, 'Shutting down');
      for (const worker of workers.keys()) worker.process.kill('SIGTERM');
    };
    const onSignal = (signal: NodeJS.Signals): void => stop(signal);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    for (let number = 1; number <= count; number++) start(number);
  });
}

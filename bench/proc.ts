import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second, the unit of CPU times in /proc/PID/stat (100 on every usual Linux). */
const TICKS = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after it are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** Resident set size in bytes. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return match === null ? NaN : Number(match[1]) * 1024;
}

/** Open file descriptors: a server's accepted connections show up here as sockets. */
export function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** This process's open-file limits. Node raises its soft limit to the hard one at start-up. */
export function fileLimits(): { soft: number; hard: number } {
  const limits = readFileSync('/proc/self/limits', 'utf8');
  const match = /^Max open files\s+(\S+)\s+(\S+)/m.exec(limits);
  const read = (text: string | undefined): number => (text === undefined || text === 'unlimited' ? Infinity : Number(text));
  return { soft: read(match?.[1]), hard: read(match?.[2]) };
}

/** Tracks a process's CPU use over a window. */
export class CpuMeter {
  readonly #pid: number;
  #cpu: number;
  #at: number;

  constructor(pid: number) {
    this.#pid = pid;
    this.#cpu = cpuSeconds(pid);
    this.#at = performance.now();
  }

  /** Percent of one core used since construction. */
  percent(): number {
    const seconds = (performance.now() - this.#at) / 1000;
    return seconds > 0 ? ((cpuSeconds(this.#pid) - this.#cpu) / seconds) * 100 : NaN;
  }
}

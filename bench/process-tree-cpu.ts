import { describeProcess, readStat } from '../test/support/process-tree';

/**
 * CPU of whole process trees from /proc (Linux), so a figure covers every process a user's
 * launch starts (npm, the CLI, the engine, helpers such as esbuild) and can be compared with a
 * native program measured the same way.
 */

export interface TreeCpu {
  /** % of one core over the window, for the whole set */
  percent: number;
  /** % of one core for each process that was there at the start */
  perProcess: { pid: number; label: string; percent: number }[];
  windowMs: number;
}

/** Marks the CPU used so far by `pids`; `read()` gives the share of one core since the mark. */
export function markCpu(pids: number[]): { read(): TreeCpu } {
  const labels = new Map(pids.map((pid) => [pid, describeProcess(pid)]));
  const startedAt = performance.now();
  const start = new Map(pids.map((pid) => [pid, readStat(pid)?.cpuMs ?? 0]));
  return {
    read: () => {
      const windowMs = performance.now() - startedAt;
      const perProcess = pids.map((pid) => {
        // A process that ended within the window counts what it used until its last reading: nothing more is known.
        const used = (readStat(pid)?.cpuMs ?? start.get(pid)!) - start.get(pid)!;
        return { pid, label: labels.get(pid)!, percent: (used / windowMs) * 100 };
      });
      return { percent: perProcess.reduce((sum, entry) => sum + entry.percent, 0), perProcess, windowMs };
    },
  };
}

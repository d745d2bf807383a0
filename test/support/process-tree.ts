import { readdirSync, readFileSync } from 'node:fs';

/**
 * Processes as Linux's /proc shows them: which ones a launch started (the whole tree under a
 * pid), and how much CPU each has used. utime + stime of /proc/<pid>/stat count every thread of
 * a process, including threads that have ended.
 */

const TICKS_PER_SECOND = 100; // USER_HZ, fixed at 100 for /proc on every Linux architecture

export interface ProcStat {
  pid: number;
  ppid: number;
  name: string;
  /** user + system CPU, in ms */
  cpuMs: number;
}

export function readStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null; // gone
  }
  // The name is in parentheses and may hold spaces or parentheses itself: split after the last ')'.
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
  return {
    pid,
    ppid: Number(fields[1]),
    name: text.slice(text.indexOf('(') + 1, close),
    cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND,
  };
}

/** `root` and every process below it, parents before children. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat === null) continue;
    const siblings = children.get(stat.ppid) ?? [];
    siblings.push(stat.pid);
    children.set(stat.ppid, siblings);
  }
  const tree: number[] = [];
  const visit = (pid: number): void => {
    tree.push(pid);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  if (readStat(root) !== null) visit(root);
  return tree;
}

/** A short label for a process: its name and the end of its command line. */
export function describeProcess(pid: number): string {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const script = args.findLast((arg) => /\.(ts|js|mjs|cjs)$/.test(arg)) ?? args.slice(0, 3).join(' ');
    return `${readStat(pid)?.name ?? '?'} ${script.split('/').slice(-2).join('/')}`.trim();
  } catch {
    return `pid ${pid}`;
  }
}

/** Whether `pid` is still running (a zombie, dead but not yet reaped by its parent, counts as ended). */
export function isRunning(pid: number): boolean {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2, text.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

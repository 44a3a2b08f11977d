/** Figures the benches share: the nearest-rank percentile, and a process's CPU time from /proc (Linux). */
import { readFileSync } from 'node:fs';

/** The p-th percentile by nearest rank (p in (0, 100]): the smallest value with p % of the values at or below it. */
export const percentile = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};

/** USER_HZ on Linux: /proc counts CPU time in these ticks. */
export const TICKS_PER_SECOND = 100;

/** utime + stime of a process, in ticks (fields 14 and 15 of /proc/<pid>/stat; the name in parentheses may hold spaces). */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

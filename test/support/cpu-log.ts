/**
 * Per-file CPU accounting for finding where the suite's time goes (`JEST_CPU_LOG=<file> npx jest`):
 * the jest worker's own CPU and that of the child processes it reaped while the file ran (redis-server,
 * tsc, cdk synth...), from /proc/self/stat, one JSON line per test file, with the file's start and end
 * (ms since the epoch) and the worker's pid, so the run's timeline shows which files ran last. Off
 * unless the variable is set; it changes no test's outcome.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { procStatFields } from '../../bench/measure';

/** CPU seconds so far: this process's own, and its reaped children's. */
export interface CpuSample {
  self: number;
  children: number;
  /** Wall clock when sampled (ms since the epoch): when the file started and ended, for the run's timeline. */
  at?: number;
}

const TICKS_PER_SECOND = 100;

/** Fields 14-17 of /proc/<pid>/stat (utime, stime, cutime, cstime). */
export function parseProcStat(stat: string): CpuSample {
  const fields = procStatFields(stat);
  const tick = (field: number) => Number(fields[field - 3]) / TICKS_PER_SECOND;
  return { self: tick(14) + tick(15), children: tick(16) + tick(17) };
}

export function sampleCpu(): CpuSample | undefined {
  try {
    return { ...parseProcStat(readFileSync('/proc/self/stat', 'utf8')), at: Date.now() };
  } catch {
    return undefined;
  }
}

export function logCpu(file: string, testPath: string, start: CpuSample, end: CpuSample): void {
  const line = {
    file: testPath,
    self: +(end.self - start.self).toFixed(2),
    children: +(end.children - start.children).toFixed(2),
    ...(start.at !== undefined && end.at !== undefined
      ? { start: start.at, end: end.at, pid: process.pid }
      : {}),
  };
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}

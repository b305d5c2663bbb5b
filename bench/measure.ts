/**
 * Run one command as a child process and measure its wall time and peak memory.
 *
 * Peak memory comes from two independent sources, so the bench works on machines without GNU time:
 * - GNU time (`/usr/bin/time -f %M`), when present: the kernel's ru_maxrss of the child and every
 *   descendant it waited for, i.e. the peak resident set of the LARGEST single process in the tree.
 * - Polling /proc every POLL_MS: each process's VmHWM (the kernel's own per-process peak RSS, so a
 *   peak between two polls is not lost while the process lives) and the SUM of VmRSS over the whole
 *   tree at each poll (what the tree holds at once, e.g. jest workers in parallel).
 * A process that lives shorter than one poll interval can be missed by polling; GNU time cannot miss it.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { stripVTControlCharacters } from 'node:util';

export const GNU_TIME = '/usr/bin/time';
// About 2-3% of one core for the poller on a synth's small tree; the same for target and floor.
const POLL_MS = 50;

export interface Measurement {
  wallMs: number;
  /** Peak RSS of the largest single process in the tree, in KiB. */
  peakRssKb: number;
  /** How peakRssKb was measured. */
  peakRssMethod: 'gnu-time' | 'proc-vmhwm';
  /** Largest sum of VmRSS over the process tree seen by polling, in KiB. */
  treeRssKb: number;
  /**
   * CPU time (user + system) of the command and every descendant it waited for, in ms (GNU time's
   * %U + %S); undefined without GNU time. Unlike wall time it hardly depends on other load.
   */
  cpuMs?: number;
  exitCode: number;
  /** Last lines of stderr (for failure messages). */
  stderrTail: string;
  /** Last lines of stdout (tools such as tsc report errors there). */
  stdoutTail: string;
  /** For a failed command: the line that says why (see failureLine). */
  failure?: string;
  /** Lines of the whole output naming a failed test (jest's `FAIL <file>` and `● <test>`), at most 40. */
  failedTests: string[];
}

export interface RunSpec {
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * How often /proc is polled for the tree's memory.
   * @default 50 ms
   */
  pollMs?: number;
}

/** True when GNU time is installed (it is optional: `apt-get install -y time`). */
export function hasGnuTime(): boolean {
  try {
    fs.accessSync(GNU_TIME, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Parse a /proc/<pid>/status text: VmHWM and VmRSS in KiB (0 when absent, e.g. a zombie). */
export function parseProcStatus(text: string): { hwmKb: number; rssKb: number } {
  const field = (name: string) => {
    const m = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
    return m ? Number(m[1]) : 0;
  };
  return { hwmKb: field('VmHWM'), rssKb: field('VmRSS') };
}

/**
 * The fields of a /proc/<pid>/stat line after "pid (comm) ", from field 3 (state) on: the command
 * name may contain spaces and parentheses, so the line is split after its last ')'.
 */
export function procStatFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Parent pid (field 4) from a /proc/<pid>/stat line. */
export function parsePpid(stat: string): number {
  return Number(procStatFields(stat)[1]);
}

/**
 * User + system seconds from the line before the last one GNU time wrote with `-f '%U %S\n%M'`, in
 * ms; undefined when that line is not two numbers.
 */
export function parseGnuTimeCpuMs(text: string): number | undefined {
  const lines = text.trim().split('\n');
  const m = /^(\d+(?:\.\d+)?) (\d+(?:\.\d+)?)$/.exec(lines[lines.length - 2] ?? '');
  return m ? Math.round((Number(m[1]) + Number(m[2])) * 1000) : undefined;
}

/** The last number GNU time wrote with `-f %M` (the child's own stderr is not mixed in: we use -o). */
export function parseGnuTimeKb(text: string): number {
  const lines = text.trim().split('\n');
  const n = Number(lines[lines.length - 1]);
  if (!Number.isFinite(n)) throw new Error(`cannot read GNU time output: ${JSON.stringify(text)}`);
  return n;
}

function readOr(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Every live descendant of root (including root), found through the ppid of each /proc entry. */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readOr(`/proc/${entry}/stat`);
    if (!stat) continue;
    const ppid = parsePpid(stat);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Run the command to completion and measure it. Never throws for a non-zero exit: see exitCode. */
export function measure(spec: RunSpec, useGnuTime = hasGnuTime()): Promise<Measurement> {
  const timeFile = useGnuTime
    ? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-time-')), 'maxrss')
    : undefined;
  const [command, args] = timeFile
    ? [GNU_TIME, ['-f', '%U %S\n%M', '-o', timeFile, spec.command, ...spec.args]]
    : [spec.command, spec.args];
  const hwm = new Map<number, number>();
  let treeRssKb = 0;
  const start = performance.now();
  const child = spawn(command, args, {
    cwd: spec.cwd,
    env: spec.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stderrHead = '';
  let stdout = '';
  const failed = failedTestLines();
  child.stderr.on('data', (d: Buffer) => {
    if (stderrHead.length < 8000) stderrHead += d.toString();
    failed.add(d.toString());
    stderr = (stderr + d.toString()).slice(-8000);
  });
  child.stdout.on('data', (d: Buffer) => {
    stdout = (stdout + d.toString()).slice(-8000);
    failed.add(d.toString());
  });
  const poll = () => {
    if (child.pid === undefined) return;
    let sum = 0;
    for (const pid of processTree(child.pid)) {
      // GNU time's own few hundred KiB are not the measured program's.
      if (timeFile && pid === child.pid) continue;
      const status = readOr(`/proc/${pid}/status`);
      if (!status) continue;
      const s = parseProcStatus(status);
      hwm.set(pid, Math.max(hwm.get(pid) ?? 0, s.hwmKb));
      sum += s.rssKb;
    }
    treeRssKb = Math.max(treeRssKb, sum);
  };
  const timer = setInterval(poll, spec.pollMs ?? POLL_MS);
  return new Promise((resolve, reject) => {
    child.on('error', (e) => {
      clearInterval(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - start;
      clearInterval(timer);
      let peakRssKb = Math.max(0, ...hwm.values());
      let method: Measurement['peakRssMethod'] = 'proc-vmhwm';
      let cpuMs: number | undefined;
      if (timeFile) {
        const text = readOr(timeFile) ?? '';
        fs.rmSync(path.dirname(timeFile), { recursive: true, force: true });
        // GNU time prefixes "Command exited with non-zero status N" on failure; the figure is last.
        if (text.trim()) {
          peakRssKb = parseGnuTimeKb(text);
          cpuMs = parseGnuTimeCpuMs(text);
          method = 'gnu-time';
        }
      }
      resolve({
        wallMs,
        peakRssKb,
        peakRssMethod: method,
        treeRssKb: Math.max(treeRssKb, peakRssKb),
        cpuMs,
        exitCode: code ?? (signal ? 128 : 1),
        stderrTail: tail(stderr),
        failure: code === 0 ? undefined : failureLine(`${stderrHead.slice(0, 8000)}\n${stdout}`),
        stdoutTail: tail(stdout),
        failedTests: failed.lines(),
      });
    });
  });
}

/**
 * Collects, from output arriving in chunks, the lines that name a failed jest test: `FAIL <file>` and
 * the `● <describe> › <test>` headers (not jest's `● Console` blocks), each header with the first
 * `context` non-empty lines after it (the assertion and its values), without keeping the output.
 */
export function failedTestLines(limit = 40, context = 12): { add(chunk: string): void; lines(): string[] } {
  const found: string[] = [];
  let partial = '';
  let following = 0;
  const take = (line: string) => {
    const plain = stripVTControlCharacters(line).trimEnd();
    if (found.length >= limit) return;
    if (/^(FAIL |\s+● )/.test(plain)) {
      const header = plain.trim();
      const fresh = header !== '● Console' && !found.includes(header);
      if (fresh) found.push(header);
      following = fresh && header.startsWith('●') ? context : 0;
    } else if (following > 0 && plain.trim()) {
      found.push(`    ${plain.trim()}`);
      following--;
    }
  };
  return {
    add(chunk) {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      parts.forEach(take);
    },
    lines() {
      if (partial) take(partial);
      partial = '';
      return found;
    },
  };
}

const tail = (text: string) => text.trim().split('\n').slice(-5).join('\n');

/**
 * The one line that says why a command failed: our CLIs' `error: ...` line, else the first line naming
 * an error (a Node stack starts with it; its last line is only the Node version), else the last line.
 */
export function failureLine(output: string): string {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return (
    lines.find((l) => l.startsWith('error:')) ??
    lines.find((l) => /^(\w*Error|Error)\b|\bERR_|\bcode: '/.test(l)) ??
    lines[lines.length - 1] ??
    '(no output)'
  );
}

/** Median of a non-empty list (mean of the middle two for an even count). */
export function median(values: number[]): number {
  if (values.length === 0) throw new Error('median of an empty list');
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** target / floor, rounded to 2 decimals; undefined when the floor is not positive. */
export function ratio(target: number, floor: number): number | undefined {
  if (!(floor > 0)) return undefined;
  return Math.round((target / floor) * 100) / 100;
}

/** PASS when the ratio is at most the target ratio; MISS otherwise (never a failure of the bench). */
export function verdict(r: number | undefined, max: number): 'PASS' | 'MISS' | 'n/a' {
  if (r === undefined) return 'n/a';
  return r <= max ? 'PASS' : 'MISS';
}

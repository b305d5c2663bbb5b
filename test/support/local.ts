/**
 * Process and port helpers shared by the tests that run a real, local redis-server
 * (test/k8s/redis-local.ts, test/selfhosted/harness.ts): loopback ports, sleeping, PID liveness.
 *
 * Ports: each jest worker takes its ports from its own block of the range
 * [PORT_BASE, PORT_BASE + PORT_BLOCKS * PORT_BLOCK) (block JEST_WORKER_ID), which lies below the
 * kernel's ephemeral range (32768+ on Linux, checked) so no client connection's source port takes
 * one. Every port is reserved together with its cluster bus port (+ BUS_OFFSET), and bus ports
 * (30000-32767) are never handed out as client ports, so a node's bus port can never be another
 * node's or another worker's port. A port is handed out once per process (also to calls running
 * at the same time), only when it and its bus port can be bound, and under a lock file (O_EXCL,
 * holding the PID) that keeps other jest runs on the same machine off it until this process exits.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** True while a process with this PID exists (signal 0 only checks). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True when this loopback port can be bound now. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

export const PORT_BASE = 20000;
export const PORT_BLOCK = 256;
export const PORT_BLOCKS = 10;
/** Redis Cluster's bus port is the client port + 10000. */
export const BUS_OFFSET = 10000;

/** The [first, end) client ports of a jest worker (JEST_WORKER_ID 1, 2, ...; outside jest 1). */
export function workerPortRange(workerId = Number(process.env.JEST_WORKER_ID ?? 1)): [number, number] {
  const block = (Math.max(1, workerId) - 1) % PORT_BLOCKS;
  const first = PORT_BASE + block * PORT_BLOCK;
  return [first, first + PORT_BLOCK];
}

const LOCK_DIR = path.join(
  process.env.REDIS_IAC_JEST_TMP ? path.dirname(process.env.REDIS_IAC_JEST_TMP) : os.tmpdir(),
  'redis-iac-test-ports',
);
const handedOut = new Set<number>();
const locks: string[] = [];
let cleanupRegistered = false;

/** Removes this process's lock files, and the lock folder once no run holds any. */
function releaseLocks(): void {
  for (const f of locks.splice(0)) fs.rmSync(f, { force: true });
  try {
    fs.rmdirSync(LOCK_DIR);
  } catch {
    // Not empty (another run holds ports) or already gone.
  }
}

// jest may end a worker without running 'exit' handlers: release after each test file too (this
// module is imported at a test file's top level, where jest accepts hooks).
if (typeof afterAll === 'function') afterAll(releaseLocks);

/** Takes the cross-process lock of `port`: false when a live other process holds it. */
function lock(port: number): boolean {
  const file = path.join(LOCK_DIR, `${port}.lock`);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.mkdirSync(LOCK_DIR, { recursive: true, mode: 0o777 });
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      locks.push(file);
      if (!cleanupRegistered) {
        cleanupRegistered = true;
        process.once('exit', releaseLocks);
      }
      return true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue; // another run removed the empty folder just now: make it again
      if (code !== 'EEXIST') throw e;
      let owner: number;
      try {
        owner = Number(fs.readFileSync(file, 'utf8').trim());
      } catch {
        continue; // released meanwhile
      }
      // This process's own lock (an earlier test file in the same worker) or a dead owner's: reusable.
      if (owner === process.pid) return true;
      if (owner && alive(owner)) return false;
      fs.rmSync(file, { force: true });
    }
  }
  return false;
}

/**
 * `n` loopback ports of this worker's block that can be bound now, each with its cluster bus port
 * (+10000) bindable too, none handed out before in this process, each locked against other runs.
 */
export async function reservePorts(n: number, workerId?: number): Promise<number[]> {
  const [first, end] = workerPortRange(workerId);
  const out: number[] = [];
  for (let p = first; p < end && out.length < n; p++) {
    if (handedOut.has(p)) continue;
    // Claimed before the first await: calls running at once in this process (test.concurrent) would
    // otherwise all probe the same free port, and lock() lets this process take its own lock again.
    handedOut.add(p);
    if ((await portFree(p)) && (await portFree(p + BUS_OFFSET)) && lock(p)) out.push(p);
    else handedOut.delete(p);
  }
  if (out.length < n)
    throw new Error(
      `only ${out.length} of ${n} ports free in this worker's range ${first}-${end - 1} (and +${BUS_OFFSET})`,
    );
  return out;
}

/** One port, as reservePorts(1). */
export async function reservePort(): Promise<number> {
  return (await reservePorts(1))[0];
}

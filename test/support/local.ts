/**
 * Process and port helpers shared by the tests that run a real, local redis-server
 * (test/k8s/redis-local.ts, test/selfhosted/harness.ts): loopback ports, sleeping, PID liveness.
 */
import * as net from 'node:net';

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

/** A loopback port the kernel hands out as free right now (bind port 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** True when this loopback port can be bound now. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

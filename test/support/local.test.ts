/**
 * Port reservation (test/support/local.ts): per-worker blocks that never overlap each other or any
 * bus port (+10000), below the kernel's ephemeral range; no port handed out twice; busy ports, busy
 * bus ports and ports locked by another live process are skipped.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { BUS_OFFSET, PORT_BLOCKS, reservePorts, workerPortRange } from './local';

/** A worker block no other test of this run uses (jest runs far fewer workers). */
const TEST_WORKER = PORT_BLOCKS;

test('worker blocks are disjoint; no client port is any bus port; all below the ephemeral range', () => {
  const clients = new Set<number>();
  for (let w = 1; w <= PORT_BLOCKS; w++) {
    const [first, end] = workerPortRange(w);
    for (let p = first; p < end; p++) {
      expect(clients.has(p)).toBe(false);
      clients.add(p);
    }
  }
  const buses = [...clients].map((p) => p + BUS_OFFSET);
  expect(buses.filter((b) => clients.has(b))).toEqual([]);
  const ephemeralStart = Number(
    fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0],
  );
  expect(Math.max(...buses)).toBeLessThan(ephemeralStart);
  // Worker ids beyond the blocks wrap around instead of leaving the range.
  expect(workerPortRange(PORT_BLOCKS + 1)).toEqual(workerPortRange(1));
});

test('back-to-back reservations never return the same port', async () => {
  const a = await reservePorts(3, TEST_WORKER);
  const b = await reservePorts(3, TEST_WORKER);
  expect(new Set([...a, ...b]).size).toBe(6);
  const [first, end] = workerPortRange(TEST_WORKER);
  for (const p of [...a, ...b]) expect(p >= first && p < end).toBe(true);
});

test('concurrent reservations (test.concurrent suites) never return the same port', async () => {
  const sets = await Promise.all([1, 6, 6, 3].map((n) => reservePorts(n, TEST_WORKER)));
  const all = sets.flat();
  expect(all).toHaveLength(16);
  expect(new Set(all).size).toBe(16);
});

test('a bound port, a port whose bus port is bound, and a port locked by a live process are skipped', async () => {
  const [next] = await reservePorts(1, TEST_WORKER);
  // The candidates after `next`: bind one, bind the bus port of the next, lock the third.
  const servers = await Promise.all(
    [next + 1, next + 2 + BUS_OFFSET].map(
      (port) =>
        new Promise<net.Server>((resolve, reject) => {
          const s = net.createServer();
          s.once('error', reject);
          s.listen(port, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const lockDir = path.join(path.dirname(process.env.REDIS_IAC_JEST_TMP ?? '/tmp/x'), 'redis-iac-test-ports');
  fs.mkdirSync(lockDir, { recursive: true });
  const lockFile = path.join(lockDir, `${next + 3}.lock`);
  fs.writeFileSync(lockFile, String(process.ppid)); // the jest parent: alive and not us
  try {
    const [got] = await reservePorts(1, TEST_WORKER);
    expect(got).toBe(next + 4);
  } finally {
    fs.rmSync(lockFile, { force: true });
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  }
});

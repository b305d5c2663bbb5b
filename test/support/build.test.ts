/**
 * The build lock (test/support/build.ts): the package test and the API docs test may find build/
 * stale at the same time in two jest workers, and only one of them may run `npm run build`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBuild, withLock } from './build';

let dir: string;
let lock: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'build-lock-'));
  lock = path.join(dir, 'cache', 'build.lock');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('two holders at once run one after the other, and the lock is gone afterwards', async () => {
  const events: string[] = [];
  const job = (name: string) =>
    withLock(
      lock,
      async () => {
        events.push(`${name} start`);
        await sleep(150);
        events.push(`${name} end`);
        return name;
      },
      { pollMs: 20 },
    );
  await expect(Promise.all([job('a1'), job('b2')])).resolves.toEqual(['a1', 'b2']);
  expect(events).toEqual(['a1 start', 'a1 end', 'b2 start', 'b2 end']);
  expect(fs.existsSync(lock)).toBe(false);
});

test('a failing holder releases the lock and its error reaches the caller', async () => {
  await expect(withLock(lock, () => Promise.reject(new Error('tsc: 2 errors')))).rejects.toThrow(
    'tsc: 2 errors',
  );
  expect(fs.existsSync(lock)).toBe(false);
  await expect(withLock(lock, async () => 7)).resolves.toBe(7);
});

test('a lock left by a process that is gone is taken over', async () => {
  const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  fs.mkdirSync(lock, { recursive: true });
  fs.writeFileSync(path.join(lock, 'pid'), dead.stdout.trim());
  await expect(withLock(lock, async () => 'took over', { timeoutMs: 2000 })).resolves.toBe('took over');
});

test('a lock without a pid file is waited for while young and taken over when old', async () => {
  fs.mkdirSync(lock, { recursive: true });
  await expect(withLock(lock, async () => 'x', { timeoutMs: 300, pollMs: 50 })).rejects.toThrow(
    'held by a starting process',
  );
  const old = new Date(Date.now() - 60_000);
  fs.utimesSync(lock, old, old);
  await expect(withLock(lock, async () => 'old one taken', { timeoutMs: 2000 })).resolves.toBe(
    'old one taken',
  );
});

test('a live holder makes a waiter give up after its timeout, naming the lock and the holder (bad fixture)', async () => {
  fs.mkdirSync(lock, { recursive: true });
  fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
  await expect(withLock(lock, async () => 'never', { timeoutMs: 300, pollMs: 50 })).rejects.toThrow(
    `waited 0.3 s for the lock ${lock} held by pid ${process.pid}; remove it if no build is running`,
  );
  expect(fs.readFileSync(path.join(lock, 'pid'), 'utf8')).toBe(String(process.pid));
});

describe('ensureBuild', () => {
  test('builds once when two tests find build/ stale at the same time; nothing when it is current', async () => {
    let current = false;
    let builds = 0;
    const options = {
      lock,
      isCurrent: () => current,
      build: async () => {
        builds++;
        await sleep(100);
        current = true;
      },
    };
    await Promise.all([ensureBuild(options), ensureBuild(options)]);
    expect(builds).toBe(1);
    await ensureBuild(options);
    expect(builds).toBe(1);
  });

  test('a failing build fails the caller with its message (bad fixture)', async () => {
    const build = () => Promise.reject(new Error('npm run build failed (exit 3): TS2322'));
    await expect(ensureBuild({ lock, isCurrent: () => false, build })).rejects.toThrow('TS2322');
    expect(fs.existsSync(lock)).toBe(false);
  });

  test('a build that leaves no current stamp is an error, not a pass (bad fixture)', async () => {
    await expect(ensureBuild({ lock, isCurrent: () => false, build: async () => undefined })).rejects.toThrow(
      'npm run build left build/ without a current stamp',
    );
  });
});

/**
 * build/ for the tests that read it (the package test packs it, the API docs test compares its
 * TypeDoc pages with docs/api): made by `npm run build` when missing or made from other inputs
 * (the stamp, lib/cli/build-assets.ts), so `npm test` needs no build step before jest.
 *
 * Those tests run in different jest workers at once, so the build runs under a lock: the first one
 * builds, the others wait for it and then find build/ current. Two builds at once would both start
 * with `rm -rf build` and leave a mix.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { BUILD_STAMP, buildInputsHash } from '../../lib/cli/build-assets';

const ROOT = path.join(__dirname, '..', '..');
const LOCK = path.join(ROOT, 'node_modules', '.cache', 'redis-iac-build.lock');

/** True when build/ was made from the inputs there are now. */
export function buildIsCurrent(root = ROOT): boolean {
  const stamp = path.join(root, BUILD_STAMP);
  return fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === buildInputsHash(root);
}

function npmRunBuild(): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(
      'npm',
      ['run', '--silent', 'build'],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
      (err, out, errOut) =>
        err
          ? reject(
              new Error(
                `npm run build failed (exit ${err.code}): ${stripVTControlCharacters(errOut || out)
                  .trim()
                  .slice(0, 2000)}`,
              ),
            )
          : resolve(),
    ),
  );
}

export interface EnsureBuildOptions {
  isCurrent?: () => boolean;
  build?: () => Promise<void>;
  lock?: string;
}

/** Builds when build/ is not current; waits for a build another worker has started. */
export async function ensureBuild(options: EnsureBuildOptions = {}): Promise<void> {
  const { isCurrent = () => buildIsCurrent(), build = npmRunBuild, lock = LOCK } = options;
  if (isCurrent()) return;
  await withLock(lock, async () => {
    if (!isCurrent()) await build();
  });
  if (!isCurrent()) throw new Error('npm run build left build/ without a current stamp');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The holder's pid, or undefined when the lock was left by a process that is gone (its pid file
 * names a dead process, or it died between making the directory and writing the file).
 */
function holder(lock: string): string | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
    return alive(pid) ? `pid ${pid}` : undefined;
  } catch {
    // No pid file yet: its holder is between mkdir and writing it, or died there (then it stays old).
    const made = fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
    return made === undefined || Date.now() - made < 10_000 ? 'a starting process' : undefined;
  }
}

/**
 * Runs `fn` holding a lock directory (mkdir is atomic across processes). A lock whose holder is
 * gone is taken over; waiting longer than `timeoutMs` rejects naming the lock and its holder.
 */
export async function withLock<T>(
  lock: string,
  fn: () => Promise<T>,
  { timeoutMs = 10 * 60_000, pollMs = 200 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const by = holder(lock);
    if (by === undefined) {
      fs.rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(
        `waited ${timeoutMs / 1000} s for the lock ${lock} held by ${by}; remove it if no build is running`,
      );
    await sleep(pollMs);
  }
  try {
    fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

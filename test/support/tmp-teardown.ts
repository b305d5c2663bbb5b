/**
 * jest globalTeardown: what a test left in the run's private TMPDIR (./tmp-setup.ts) is a leak: the
 * run fails naming the entries (their prefixes name the test that made them), and the folder is
 * removed so nothing stays in /tmp.
 */
import * as fs from 'node:fs';

/**
 * Caches kept on purpose, removed with the folder: the run's record of tool checks
 * (./tools.ts commandProblem), Helm's home (lib/k8s/helm.ts), tsx's compile
 * cache (tsx-<uid>, made by every `tsx` child process), and the `cdk.outXXXX` folders aws-cdk-lib
 * makes for every App synthesized without an outdir (Template.fromStack) and never removes: they
 * are the library's, not a test's, and hold only the synthesized templates.
 */
export const KEPT = [
  /^redis-iac-tool-checks$/,
  /^redis-iac-helm-home$/,
  /^tsx-\d+$/,
  /^cdk\.out[A-Za-z0-9]{6}$/,
];

/** The leaked entries of `dir`. */
export function leaks(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((e) => !KEPT.some((k) => k.test(e)))
    .sort();
}

export default async function tmpTeardown(): Promise<void> {
  const dir = process.env.REDIS_IAC_JEST_TMP;
  if (!dir || !fs.existsSync(dir)) return;
  const leaked = leaks(dir);
  if (process.env.KEEP_REDIS_TEST_DIRS === '1') {
    // The harness keeps its folders for debugging on request: keep the whole run's folder then.
    if (leaked.length)
      console.warn(`test temp folders kept (KEEP_REDIS_TEST_DIRS=1) in ${dir}: ${leaked.join(' ')}`);
    return;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  if (leaked.length)
    throw new Error(
      `tests left ${leaked.length} temp entr${leaked.length === 1 ? 'y' : 'ies'} behind (removed now; remove them in afterAll/finally): ${leaked.join(' ')}`,
    );
}

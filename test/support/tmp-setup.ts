/**
 * jest globalSetup: every test of this run gets a private TMPDIR (inherited by the workers and by
 * every child process), so os.tmpdir() of a test is never the shared /tmp. The teardown
 * (./tmp-teardown.ts) fails the run when a test left something there, and removes it either way.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export default async function tmpSetup(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-iac-jest-'));
  // Like /tmp (sticky, everyone may create): tests run processes as other accounts (nobody, redis).
  fs.chmodSync(dir, 0o1777);
  process.env.REDIS_IAC_JEST_TMP = dir;
  process.env.TMPDIR = dir;
}

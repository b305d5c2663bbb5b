/**
 * Results of deterministic external checkers remembered across runs, keyed by a hash of everything
 * the checker reads, as ESLint's `--cache` and `tsc -b` do for this repository's own lint and
 * type-check: cfn-lint's findings on a template (./cfn-lint-cache.ts), and that the consumer projects
 * type-checked against a package whose declarations are byte for byte the same
 * (test/public/package.test.ts). Keys are hashParts over the inputs (treeParts for a folder), as for
 * the build stamp (lib/cli/build-assets.ts). Any change to an input gives another key, so the
 * checker runs again; a failure is never recorded. A fresh clone (CI) has no entries and runs every
 * checker. `TEST_RESULT_CACHE=off` turns it off.
 *
 * Entries: node_modules/.cache/redis-iac-results/<kind>/<sha256>.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
export const RESULT_CACHE_DIR = path.join(ROOT, 'node_modules', '.cache', 'redis-iac-results');

export function resultCacheEnabled(): boolean {
  return process.env.TEST_RESULT_CACHE !== 'off';
}

const entry = (dir: string, kind: string, key: string) => path.join(dir, kind, `${key}.json`);

/** The recorded result, or undefined when there is none (or the cache is off). */
export function readResult<T>(kind: string, key: string, dir = RESULT_CACHE_DIR): T | undefined {
  if (!resultCacheEnabled()) return undefined;
  try {
    return JSON.parse(fs.readFileSync(entry(dir, kind, key), 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Records a result (written whole under another name, then renamed: no reader sees half of it). */
export function writeResult(kind: string, key: string, value: unknown, dir = RESULT_CACHE_DIR): void {
  if (!resultCacheEnabled()) return;
  const target = entry(dir, kind, key);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(partial, JSON.stringify(value));
  fs.renameSync(partial, target);
}

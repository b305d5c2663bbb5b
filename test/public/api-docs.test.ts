/**
 * docs/api (the API reference generated from the TSDoc of lib/public with TypeDoc and
 * typedoc-plugin-markdown, typedoc.json) must match the code: compare it file by file with the
 * pages `npm run build` generates into build/api-docs from the sources there are now (built here
 * when build/ is missing or was made from other inputs). Fix with `npm run docs:api`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureBuild } from '../support/build';

const ROOT = path.join(__dirname, '..', '..');

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else out[r] = fs.readFileSync(path.join(dir, r), 'utf8');
    }
  };
  if (fs.existsSync(dir)) walk('');
  return out;
}

/** Files that differ between the fresh and committed trees (changed, missing or extra), sorted. */
function staleFiles(fresh: Record<string, string>, committed: Record<string, string>): string[] {
  return [...new Set([...Object.keys(fresh), ...Object.keys(committed)])]
    .filter((f) => fresh[f] !== committed[f])
    .sort();
}

test('the comparison flags a changed, a missing and an extra page (bad fixture), and passes equal trees', () => {
  const fresh = { 'README.md': '# redis-iac', 'aws/README.md': 'RedisReplicationGroup', 'k8s2/x.md': 'a' };
  expect(staleFiles(fresh, { ...fresh })).toEqual([]);
  expect(staleFiles(fresh, { ...fresh, 'aws/README.md': 'RedisReplicationGroup (old)' })).toEqual([
    'aws/README.md',
  ]);
  const { 'k8s2/x.md': _dropped, ...missing } = fresh;
  expect(staleFiles(fresh, missing)).toEqual(['k8s2/x.md']);
  expect(staleFiles(fresh, { ...fresh, 'gone.md': 'removed API' })).toEqual(['gone.md']);
  expect(staleFiles({}, {})).toEqual([]);
});

test('docs/api is what typedoc generates from lib/public now (npm run docs:api)', async () => {
  await ensureBuild();
  const fresh = tree(path.join(ROOT, 'build', 'api-docs'));
  const committed = tree(path.join(ROOT, 'docs', 'api'));
  expect(Object.keys(fresh).length).toBeGreaterThan(10);
  const stale = staleFiles(fresh, committed);
  expect({ stale, fix: 'npm run docs:api' }).toEqual({ stale: [], fix: 'npm run docs:api' });
});

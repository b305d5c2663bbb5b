/** The sides of a diff: a dist-like folder read back, and a spec read from git. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { diffArtifacts } from '../../lib/diff';
import { materializeSpec, readArtifacts, synthLocal } from '../../lib/diff/artifacts';
import { loadPatched } from '../k8s/patched-bitnami';
import { ROOT } from './corpus';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-iac-diff-artifacts-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test('a dist folder is read back with its name and profile, and equals itself', () => {
  const dir = path.join(work, 'app-cache');
  // The production example runs OpsTree only; the patched-image fixture puts Bitnami back so both
  // Kubernetes flavors' files are read back.
  synthLocal(loadPatched(path.join(ROOT, 'examples/default.yaml')), dir);
  const set = readArtifacts(dir);
  expect(set).toMatchObject({ name: 'app-cache', profile: 'production' });
  expect(set.aws?.file).toBe('aws/app-cache-elasticache.template.json');
  expect(Object.keys(set.k8s ?? {}).sort()).toEqual(['bitnami.yaml', 'opstree.yaml', 'values-redis.yaml']);
  const r = diffArtifacts(set, readArtifacts(dir));
  expect(r.platforms.map((p) => `${p.platform}:${p.overall}`)).toEqual([
    'aws:none',
    'aws-serverless:none',
    'gcp:none',
    'azure-premium:none',
    'azure-managed:none',
    'opstree:none',
    'bitnami:none',
    'self-hosted:none',
  ]);
}, 60_000);

test('git-ref:path materializes the committed spec; a bad ref is a one-line SpecError', () => {
  const file = materializeSpec('HEAD:examples/default.yaml', '--from', work, ROOT);
  expect(fs.readFileSync(file, 'utf8')).toContain('name: app-cache');
  expect(() => materializeSpec('no-such-ref-y:examples/default.yaml', '--from', work, ROOT)).toThrow(
    /^diff: --from: got "no-such-ref-y:examples\/default.yaml"; git cannot read it \(/,
  );
  expect(() => materializeSpec(':examples/default.yaml', '--from', work, ROOT)).toThrow(
    /expected <git-ref>:<path>/,
  );
});

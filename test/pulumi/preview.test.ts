/** The offline preview: JSON files a person can read, with no secret value in them. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FAKE_SECRETS, REDACTED, redact } from '../../lib/pulumi/mocks';
import {
  previewAllTargets,
  assertNoMockSecrets,
  previewJobsFor,
  previewPulumi,
} from '../../lib/pulumi/preview';
import { loadDeployment } from '../../lib/deployment';
import { previewInProcess } from '../../lib/pulumi/preview-run';
import { errorOf, ROOT } from './helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulumi-preview-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const read = (f: string) => fs.readFileSync(f, 'utf8');

/**
 * One child process for the success paths (each child loads Pulumi and both providers, about two
 * seconds of CPU): previewAllTargets, which is previewJobsFor + previewPulumiBatch, over four
 * examples. previewPulumi (a batch of one) runs its own child in the bad-spec test below.
 */
const SPECS = ['default', 'go-api', 'platform-cache', 'hospitality-staging'].map((n) =>
  path.join(ROOT, 'examples', `${n}.yaml`),
);
let files: string[];
beforeAll(async () => {
  files = await previewAllTargets(SPECS, tmp);
}, 120_000);
const doc = (rel: string) => JSON.parse(read(path.join(tmp, rel)));

test('a preview holds type, name and inputs, secrets redacted (child process)', () => {
  const text = read(path.join(tmp, 'app-cache', 'pulumi', 'gcp.json'));
  for (const secret of Object.values(FAKE_SECRETS)) expect(text).not.toContain(secret);
  const gcp = JSON.parse(text);
  expect(gcp).toMatchObject({ deployment: 'app-cache', target: 'gcp' });
  expect(gcp.resources.length).toBe(gcp.resourceCount);
  // `options` only where the data guard set protect/retainOnDelete (the production cache).
  for (const r of gcp.resources)
    expect(Object.keys(r).sort()).toEqual(
      r.type === 'gcp:redis/instance:Instance'
        ? ['inputs', 'name', 'options', 'type']
        : ['inputs', 'name', 'type'],
    );
  const version = gcp.resources.find(
    (r: { type: string }) => r.type === 'gcp:secretmanager/secretVersion:SecretVersion',
  );
  expect(version.inputs.secretData).toBe(REDACTED);
  expect(gcp.outputs.authString).toBe(REDACTED);
  expect(gcp.secretOutputs).toEqual(['authString']);
});

test('one batch writes <id>/pulumi/<target>.json for each spec and target, no mock secret in any', () => {
  expect(files).toHaveLength(SPECS.length * 3);
  for (const f of files) {
    expect(f).toMatch(/\/pulumi\/(gcp|azure-premium|azure-managed)\.json$/);
    const text = read(f);
    for (const secret of Object.values(FAKE_SECRETS)) expect(text).not.toContain(secret);
  }
  const goApi = loadDeployment(SPECS[1]).id;
  expect(doc(`${goApi}/pulumi/azure-premium.json`).outputs.accessKey).toBe(REDACTED);
});

test('previewAllTargets names files by deployment id, as npm run synth expects', () => {
  expect(files.slice(-3).map((f) => path.relative(tmp, f))).toEqual([
    'hospitality-staging/pulumi/gcp.json',
    'hospitality-staging/pulumi/azure-premium.json',
    'hospitality-staging/pulumi/azure-managed.json',
  ]);
});

test('previewJobsFor: every spec x every target, named by the id function given', () => {
  const jobs = previewJobsFor(['a/go-api.yaml', 'b/x1.yaml'], '/out', (s) => path.basename(s, '.yaml'));
  expect(jobs.map((j) => `${j.spec} ${j.target} ${j.outFile}`)).toEqual([
    'a/go-api.yaml gcp /out/go-api/pulumi/gcp.json',
    'a/go-api.yaml azure-premium /out/go-api/pulumi/azure-premium.json',
    'a/go-api.yaml azure-managed /out/go-api/pulumi/azure-managed.json',
    'b/x1.yaml gcp /out/x1/pulumi/gcp.json',
    'b/x1.yaml azure-premium /out/x1/pulumi/azure-premium.json',
    'b/x1.yaml azure-managed /out/x1/pulumi/azure-managed.json',
  ]);
});

test('the child reports a bad spec as one line naming the field', async () => {
  const msg = await errorOf(() =>
    previewPulumi(path.join(tmp, 'missing.yaml'), 'azure-managed', path.join(tmp, 'x.json')),
  );
  expect(msg).toContain('redis:spec');
  expect(msg.split('\n')).toHaveLength(1);
});

test('the leak guard refuses a document holding a mock secret', () => {
  const planted = JSON.stringify({ inputs: { password: FAKE_SECRETS.primaryKey } });
  expect(() => assertNoMockSecrets(planted, 'planted')).toThrow(/secret value of primaryKey/);
  expect(() =>
    assertNoMockSecrets(JSON.stringify({ inputs: { password: REDACTED } }), 'clean'),
  ).not.toThrow();
});

test('redact replaces wire secrets at any depth and leaves other values', () => {
  const secret = { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', value: 'x' };
  expect(redact({ a: [1, { b: secret }], c: 'plain' })).toEqual({ a: [1, { b: REDACTED }], c: 'plain' });
});

test('in-process preview writes the same document shape', async () => {
  const out = path.join(tmp, 'inproc.json');
  await previewInProcess([
    { spec: path.join(ROOT, 'examples/ai-engine.yaml'), target: 'azure-managed', outFile: out },
  ]);
  const doc = JSON.parse(read(out));
  expect(
    doc.resources.some((r: { type: string }) => r.type === 'azure-native:redisenterprise:Database'),
  ).toBe(true);
});

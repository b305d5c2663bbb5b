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
  previewPulumiBatch,
} from '../../lib/pulumi/preview';
import { previewInProcess } from '../../lib/pulumi/preview-run';
import { errorOf, ROOT } from './helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulumi-preview-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const read = (f: string) => fs.readFileSync(f, 'utf8');

test('previewPulumi writes type, name and inputs, secrets redacted (child process)', async () => {
  const out = path.join(tmp, 'app-cache', 'pulumi', 'gcp.json');
  await previewPulumi(path.join(ROOT, 'examples/default.yaml'), 'gcp', out);
  const text = read(out);
  for (const secret of Object.values(FAKE_SECRETS)) expect(text).not.toContain(secret);
  const doc = JSON.parse(text);
  expect(doc).toMatchObject({ deployment: 'app-cache', target: 'gcp' });
  expect(doc.resources.length).toBe(doc.resourceCount);
  // `options` only where the data guard set protect/retainOnDelete (the production cache).
  for (const r of doc.resources)
    expect(Object.keys(r).sort()).toEqual(
      r.type === 'gcp:redis/instance:Instance'
        ? ['inputs', 'name', 'options', 'type']
        : ['inputs', 'name', 'type'],
    );
  const version = doc.resources.find(
    (r: { type: string }) => r.type === 'gcp:secretmanager/secretVersion:SecretVersion',
  );
  expect(version.inputs.secretData).toBe(REDACTED);
  expect(doc.outputs.authString).toBe(REDACTED);
  expect(doc.secretOutputs).toEqual(['authString']);
});

test('a batch writes dist/<id>/pulumi/<target>.json for each spec and target', async () => {
  const specs = ['examples/go-api.yaml', 'examples/platform-cache.yaml'].map((s) => path.join(ROOT, s));
  const jobs = previewJobsFor(specs, tmp, (s) => path.basename(s, '.yaml'));
  await previewPulumiBatch(jobs);
  for (const job of jobs) {
    const text = read(job.outFile);
    expect(job.outFile).toMatch(/\/pulumi\/(gcp|azure-premium|azure-managed)\.json$/);
    for (const secret of Object.values(FAKE_SECRETS)) expect(text).not.toContain(secret);
  }
  const premium = JSON.parse(
    read(jobs.find((j) => j.spec.endsWith('go-api.yaml') && j.target === 'azure-premium')!.outFile),
  );
  expect(premium.outputs.accessKey).toBe(REDACTED);
});

test('previewAllTargets names files by deployment id, as npm run synth expects', async () => {
  const files = await previewAllTargets([path.join(ROOT, 'examples/hospitality-staging.yaml')], tmp);
  expect(files.map((f) => path.relative(tmp, f))).toEqual([
    'hospitality-staging/pulumi/gcp.json',
    'hospitality-staging/pulumi/azure-premium.json',
    'hospitality-staging/pulumi/azure-managed.json',
  ]);
  for (const f of files) expect(fs.existsSync(f)).toBe(true);
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

/**
 * What a synth process loads is part of its speed (docs/bench.md): these modules once cost about
 * 1.5 s of every `npm run synth`. A fresh process runs the real code and lists require.cache.
 */
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

function loadedAfter(script: string): string[] {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', '-e', `${script};process.stdout.write(JSON.stringify(Object.keys(require.cache)))`],
    { cwd: ROOT, encoding: 'utf8' },
  );
  return (JSON.parse(out) as string[]).map((f) => path.relative(ROOT, f));
}

test('the synth command does not load Pulumi in its own process (the previews run in a child)', () => {
  const loaded = loadedAfter("require('./lib/synth/run')");
  expect(loaded.filter((f) => f.startsWith('node_modules/@pulumi/'))).toEqual([]);
  // The checker of the test itself: the program module does load it.
  expect(
    loadedAfter("require('./lib/pulumi/program')").some((f) => f.startsWith('node_modules/@pulumi/pulumi/')),
  ).toBe(true);
});

test('a Kubernetes synth loads one kubernetes-models module per kind, and no ajv compiler', () => {
  const tmp = path.join(os.tmpdir(), `footprint-${process.pid}`);
  const loaded = loadedAfter(
    `const d=require('./lib/deployment');require('./lib/k8s/synth').synthKubernetes(d.loadDeployment(d.DEFAULT_SPEC_PATH),${JSON.stringify(tmp)});require('node:fs').rmSync(${JSON.stringify(tmp)},{recursive:true,force:true})`,
  );
  const models = loaded.filter(
    (f) => f.startsWith('node_modules/kubernetes-models/') && !f.includes('/_schemas/'),
  );
  expect(models.length).toBeGreaterThan(3);
  expect(models.filter((f) => f.endsWith('/index.js'))).toEqual([]);
  expect(loaded.filter((f) => f.startsWith('node_modules/ajv/dist/compile/'))).toEqual([]);
  expect(loaded).not.toContain('lib/k8s/compile-schemas.ts');
});

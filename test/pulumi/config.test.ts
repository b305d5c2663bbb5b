/** Bad Pulumi config or spec settings fail with one message naming the config key and the spec field. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { runProgram } from '../../lib/pulumi/run';
import { errorOf, ofType, ROOT, run } from './helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulumi-config-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Write a copy of the default spec with `edit` applied; returns its path. */
interface SpecDoc {
  profile: string;
  targets: { gcp?: Record<string, unknown>; azure?: Record<string, unknown> };
}

function specWith(name: string, edit: (spec: SpecDoc) => void): string {
  const spec = parse(fs.readFileSync(path.join(ROOT, 'examples/default.yaml'), 'utf8'));
  edit(spec);
  const file = path.join(tmp, `${name}.yaml`);
  fs.writeFileSync(file, JSON.stringify(spec));
  return file;
}

test('unknown target names redis:target and the allowed values', async () => {
  const msg = await errorOf(() => run('examples/default.yaml', 'aws' as never));
  expect(msg).toContain('redis:target');
  expect(msg).toContain('"aws"');
  expect(msg).toContain('gcp, azure-premium, azure-managed');
});

test('missing target names redis:target and how to set it', async () => {
  const msg = await errorOf(() => runProgram('examples/default.yaml', '', { root: ROOT }));
  expect(msg).toMatch(/redis:target: got ""; set it with `pulumi config set redis:target/);
});

test('a spec file that does not exist names redis:spec', async () => {
  const msg = await errorOf(() => run('examples/nope.yaml', 'gcp'));
  expect(msg).toContain('redis:spec');
  expect(msg).toContain('nope.yaml');
});

test('an invalid spec keeps the spec field and adds the config key', async () => {
  const file = specWith('bad-profile', (s) => (s.profile = 'prod'));
  const msg = await errorOf(() => run(file, 'gcp'));
  expect(msg).toContain(`redis:spec=${file}`);
  expect(msg).toContain('profile');
});

test('missing subnet for the private endpoint names targets.azure.subnetId', async () => {
  const file = specWith('no-subnet', (s) => delete s.targets.azure!.subnetId);
  for (const target of ['azure-premium', 'azure-managed'] as const) {
    const msg = await errorOf(() => run(file, target));
    expect(msg).toContain('redis:spec=');
    expect(msg).toContain('targets.azure.subnetId');
    expect(msg).toContain('private endpoint');
  }
});

test('missing GCP or Azure target section names it', async () => {
  const noGcp = specWith('no-gcp', (s) => delete s.targets.gcp);
  expect(await errorOf(() => run(noGcp, 'gcp'))).toMatch(/targets\.gcp: got nothing/);
  const noAzure = specWith('no-azure', (s) => delete s.targets.azure);
  expect(await errorOf(() => run(noAzure, 'azure-managed'))).toMatch(/targets\.azure: got nothing/);
});

test('a malformed network names targets.gcp.network', async () => {
  const file = specWith('bad-network', (s) => (s.targets.gcp!.network = 'https://example.com/vpc'));
  const msg = await errorOf(() => run(file, 'gcp'));
  expect(msg).toContain('targets.gcp.network');
  expect(msg).toContain('redis:spec=');
});

test('a region the catalog lacks names the region field', async () => {
  const gcp = specWith('bad-region', (s) => (s.targets.gcp!.region = 'mars-north1'));
  const msg = await errorOf(() => run(gcp, 'gcp'));
  expect(msg).toContain('targets.gcp.region');
  expect(msg).toContain('"mars-north1"');
  expect(msg).toContain('redis:spec=');
  const azure = specWith('bad-location', (s) => (s.targets.azure!.location = 'marsnorth'));
  expect(await errorOf(() => run(azure, 'azure-premium'))).toContain('targets.azure.location');
});

test('every Pulumi.<stack>.yaml at the root runs under mocks', async () => {
  const stacks = fs.readdirSync(ROOT).filter((f) => /^Pulumi\.[a-z0-9-]+\.yaml$/.test(f));
  expect(stacks.length).toBeGreaterThanOrEqual(3);
  for (const file of stacks) {
    const config = parse(fs.readFileSync(path.join(ROOT, file), 'utf8')).config as Record<string, string>;
    const r = await run(config['redis:spec'], config['redis:target'] as never);
    expect(r.resources.length).toBeGreaterThan(1);
  }
});

test('Pulumi.yaml runs the nodejs TypeScript program in stacks/pulumi', () => {
  const project = parse(fs.readFileSync(path.join(ROOT, 'Pulumi.yaml'), 'utf8'));
  expect(project.runtime).toMatchObject({ name: 'nodejs', options: { typescript: true } });
  expect(fs.existsSync(path.join(ROOT, project.main, 'index.ts'))).toBe(true);
  expect(project.config.spec.default).toBe('examples/default.yaml');
});

test('an existing Log Analytics workspace replaces the created one', async () => {
  const id =
    '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/ops/providers/Microsoft.OperationalInsights/workspaces/ops';
  const r = await run('examples/default.yaml', 'azure-managed', { logAnalyticsWorkspaceId: id });
  expect(ofType(r, 'azure-native:operationalinsights:Workspace')).toHaveLength(0);
  for (const d of ofType(r, 'azure-native:monitor:DiagnosticSetting')) expect(d.inputs.workspaceId).toBe(id);
});

test('the stack entry point turns spec errors into a one-line RunError', async () => {
  const pulumi = await import('@pulumi/pulumi');
  await pulumi.runtime.setMocks(
    { newResource: (a) => ({ id: a.name, state: a.inputs }), call: () => ({}) },
    'redis',
    'entry',
  );
  pulumi.runtime.setAllConfig({ 'redis:spec': 'examples/default.yaml', 'redis:target': 'aws' });
  const entry = (await import('../../stacks/pulumi/index')).default as unknown as () => unknown;
  let err: unknown;
  try {
    entry();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(pulumi.RunError);
  expect((err as Error).message).toContain('redis:target: got "aws"');
});

/**
 * `pulumi up` runs the program with the working directory set to the directory `main` names
 * (pulumi/pulumi pkg/engine/project.go getPwdMain: a directory `main` becomes the pwd), not the
 * project root. Both the spec path and the TypeScript settings must still work from there.
 */
describe('run from the directory Pulumi.yaml main names', () => {
  const project = parse(fs.readFileSync(path.join(ROOT, 'Pulumi.yaml'), 'utf8')) as { main: string };
  const mainDir = path.join(ROOT, project.main);

  test('a relative redis:spec is resolved against the project root, not the main directory', async () => {
    const before = process.cwd();
    process.chdir(mainDir);
    try {
      // No `root` option: exactly what stacks/pulumi/index.ts does under `pulumi up`.
      const r = await runProgram('examples/default.yaml', 'gcp');
      expect(r.deployment).toBe('app-cache');
    } finally {
      process.chdir(before);
    }
  });

  test('the main directory has a tsconfig.json with the project compiler options (Pulumi only looks there)', async () => {
    const ts = await import('typescript');
    const file = path.join(mainDir, 'tsconfig.json');
    expect(fs.existsSync(file)).toBe(true);
    const read = ts.readConfigFile(file, (f) => ts.sys.readFile(f));
    expect(read.error).toBeUndefined();
    const { options, errors } = ts.parseJsonConfigFileContent(read.config, ts.sys, mainDir);
    expect(errors).toEqual([]);
    // Without these the catalog JSON imports and ES2019+ library calls do not compile.
    expect(options.resolveJsonModule).toBe(true);
    expect(options.target).toBeGreaterThanOrEqual(ts.ScriptTarget.ES2022);
    expect(options.strict).toBe(true);
  });
});

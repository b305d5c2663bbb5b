/**
 * The package as users get it: `npm pack` of the built package, installed into a temp dir, loaded
 * through its `exports` map, and used by the three consumer projects in examples/consumers.
 *
 * Install: the tarball is extracted into <tmp>/node_modules/redis-iac and the dependencies and peer
 * dependencies are symlinked from this repository's node_modules. `npm install <tarball> --offline`
 * would need every dependency in the npm cache (not guaranteed in CI, where only the slow registry is
 * reachable) and takes minutes; extracting and linking takes well under a second and still exercises
 * exactly what the tarball holds and how its `exports` resolve (Node resolves each link to its real
 * path, so every package's own dependencies come from the repository as they do here).
 *
 * Builds first (`npm run build`, test/support/build.ts) when build/ is missing or was made from other
 * sources.
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { formatCfnLintFindings } from '../../lib/aws/cfn-lint';
import { contractGaps } from '../../lib/conformance/contract-check';
import { readConformance } from '../../lib/conformance/index';
import type { TargetResult } from '../../lib/conformance/types';
import { fromSpec, type Deployment } from '../../lib/deployment';
import { validateObjects, type ManifestObject } from '../../lib/k8s/validate';
import { validateSpec } from '../../lib/spec/load';
import { emittedData, hashParts, treeParts } from '../../lib/cli/build-assets';
import { ensureBuild } from '../support/build';
import { cachedCfnLint } from '../support/cfn-lint-cache';
import { readResult, writeResult } from '../support/result-cache';
import { CFN_LINT, have } from '../support/tools';

const ROOT = path.join(__dirname, '..', '..');
const BIN = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  exports: Record<string, unknown>;
};

let tmp: string;
let files: string[];

function link(name: string): void {
  const from = path.join(ROOT, 'node_modules', name);
  const to = path.join(tmp, 'node_modules', name);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.symlinkSync(from, to, 'dir');
}

beforeAll(async () => {
  await ensureBuild();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-iac-package-'));
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], {
      cwd: ROOT,
      encoding: 'utf8',
    }),
  ) as Array<{ filename: string; files: Array<{ path: string }> }>;
  files = packed[0].files.map((f) => f.path);
  const dir = path.join(tmp, 'node_modules', 'redis-iac');
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('tar', [
    '-xzf',
    path.join(tmp, path.basename(packed[0].filename)),
    '-C',
    dir,
    '--strip-components=1',
  ]);
  for (const name of [...Object.keys(PKG.dependencies), ...Object.keys(PKG.peerDependencies), '@types/node'])
    link(name);
  fs.cpSync(path.join(ROOT, 'examples', 'consumers'), path.join(tmp, 'consumers'), { recursive: true });
  startConsumers();
});

afterAll(async () => {
  if (consumers) await Promise.allSettled(Object.values(consumers));
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the tarball', () => {
  test('holds the built entry points, their types and every file the code reads at run time', () => {
    for (const entry of Object.keys(PKG.exports).filter((e) => e !== './package.json')) {
      const base = entry === '.' ? 'index' : entry.slice(2);
      expect(files).toContain(`build/lib/public/${base}.js`);
      expect(files).toContain(`build/lib/public/${base}.d.ts`);
    }
    // Every catalog the published code reads (the diff rules are read only by this repo's npm run diff).
    for (const data of emittedData()) expect(files).toContain(`build/${data}`);
    expect(files).toContain('build/lib/k8s/backup.sh');
    expect(files).toContain('build/lib/k8s/schemas/bitnami-redis.values.defaults.json');
    expect(files).toContain('build/lib/k8s/schemas/rediscluster.v1beta2.validator.js');
  });

  test('holds no tests, fixtures, examples, sources, synth output, build info or second API reference', () => {
    const stray = files.filter(
      (f) =>
        !/^(build\/|README\.md$|package\.json$|docs\/api\/)/.test(f) ||
        /(^|\/)(test|__snapshots__|fixtures)\/|\.test\.|tsbuildinfo|^build\/(api-docs\/|\.inputs)/.test(f),
    );
    expect(stray).toEqual([]);
    expect(
      files.some(
        (f) =>
          f.startsWith('dist/') || f.startsWith('examples/') || (f.endsWith('.ts') && !f.endsWith('.d.ts')),
      ),
    ).toBe(false);
  });
});

/** Module files a fresh node process has loaded after requiring `entry` from the install. */
function loadedBy(entry: string): string[] {
  const out = execFileSync(
    process.execPath,
    ['-e', `require(${JSON.stringify(entry)}); console.log(JSON.stringify(Object.keys(require.cache)))`],
    { cwd: tmp, encoding: 'utf8' },
  );
  return JSON.parse(out) as string[];
}

const toolkit = (loaded: string[], pkg: RegExp) => loaded.filter((f) => pkg.test(f.replace(/\\/g, '/')));
const PULUMI = /\/node_modules\/@pulumi\//;
const CDK8S = /\/node_modules\/cdk8s(-plus-27)?\//;
const AWS_CDK = /\/node_modules\/aws-cdk-lib\//;

describe('entry points load only their own toolkit', () => {
  test('redis-iac/aws loads aws-cdk-lib and no Pulumi or cdk8s module', () => {
    const loaded = loadedBy('redis-iac/aws');
    expect(toolkit(loaded, AWS_CDK).length).toBeGreaterThan(0);
    expect(toolkit(loaded, PULUMI)).toEqual([]);
    expect(toolkit(loaded, CDK8S)).toEqual([]);
  });

  test('redis-iac/k8s loads cdk8s and no aws-cdk-lib or Pulumi module', () => {
    const loaded = loadedBy('redis-iac/k8s');
    expect(toolkit(loaded, CDK8S).length).toBeGreaterThan(0);
    expect(toolkit(loaded, AWS_CDK)).toEqual([]);
    expect(toolkit(loaded, PULUMI)).toEqual([]);
  });

  test('redis-iac, /planner, /policy and /selfhosted load no toolkit at all', () => {
    for (const entry of ['redis-iac', 'redis-iac/planner', 'redis-iac/policy', 'redis-iac/selfhosted']) {
      const loaded = loadedBy(entry);
      expect([entry, toolkit(loaded, AWS_CDK), toolkit(loaded, PULUMI), toolkit(loaded, CDK8S)]).toEqual([
        entry,
        [],
        [],
        [],
      ]);
    }
  });
});

/** The deployment whose policy the consumers use (production defaults) and whose name they chose. */
function deploymentNamed(name: string): Deployment {
  return fromSpec(validateSpec({ name, profile: 'production', workload: { devices: 100000 } }));
}

function failures(results: TargetResult[], d: Deployment): string[] {
  const failed = results.flatMap((r) =>
    Object.entries(r.cells)
      .filter(([, c]) => c.status === 'fail' || c.status === 'waived')
      .map(([id, c]) => `${r.target} ${id}: ${c.status}: ${c.detail}`),
  );
  return [...failed, ...contractGaps(results, d)];
}

/** Runs a child process; resolves with its stdout, rejects with its stderr (first lines). */
function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      cmd,
      args,
      { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 32 * 1024 * 1024 },
      (err, stdout, stderr) =>
        err
          ? reject(
              new Error(
                `${path.basename(cmd)} ${args.join(' ')} failed: ${stderr.split('\n').slice(0, 20).join('\n')}`,
              ),
            )
          : resolve(stdout),
    ),
  );
}

/**
 * tsc over the three consumers, unless tsc passed before on exactly these inputs: the installed
 * package's package.json and declarations, the consumers' files, TypeScript's version and the lock
 * file (the dependencies' types). That verdict is recorded like `tsc -b`'s build info (test/support/result-cache.ts); any
 * changed byte runs tsc again, and a failure is never recorded.
 */
function typeCheckConsumers(): Promise<string> {
  const key = hashParts([
    'consumers tsc -p tsconfig.json',
    fs.readFileSync(path.join(ROOT, 'node_modules', 'typescript', 'package.json')),
    fs.readFileSync(path.join(ROOT, 'package-lock.json')),
    // What tsc reads of the package: package.json (exports, typesVersions) and the declarations
    // (`tsc --listFilesOnly` lists only build/**/*.d.ts of it; JSON kept in case a declaration imports
    // it). Not the .js files, README or docs/api pages: a change to code alone keeps the verdict
    // (the consumer apps below still run the new code every time).
    ...treeParts(
      path.join(tmp, 'node_modules', 'redis-iac'),
      (f) => f === 'package.json' || (f.startsWith('build/') && /\.(d\.ts|json)$/.test(f)),
    ),
    ...treeParts(path.join(tmp, 'consumers')),
  ]);
  if (readResult('consumers-tsc', key)) return Promise.resolve('passed before on the same inputs');
  return run(
    process.execPath,
    [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'],
    path.join(tmp, 'consumers'),
  ).then((out) => {
    writeResult('consumers-tsc', key, { passed: true });
    return out;
  });
}

/**
 * The consumers run in parallel child processes (tsc, the CDK app, the Pulumi program, the cdk8s
 * app): each loads a whole toolkit, so this keeps the suite's wall time near the slowest one.
 */
let consumers: Record<'tsc' | 'cdk' | 'pulumi' | 'cdk8s', Promise<string>>;
function startConsumers(): void {
  const dir = (c: string) => path.join(tmp, 'consumers', c);
  consumers = {
    tsc: typeCheckConsumers(),
    cdk: run(BIN('tsx'), ['main.ts'], dir('cdk'), { CDK_OUTDIR: path.join(tmp, 'cdk.out') }),
    pulumi: run(
      BIN('tsx'),
      [
        path.join(__dirname, 'pulumi-consumer-run.ts'),
        path.join(dir('pulumi'), 'index.ts'),
        path.join(tmp, 'pulumi-run.json'),
      ],
      tmp,
    ),
    cdk8s: run(BIN('tsx'), ['main.ts'], dir('cdk8s'), { CDK8S_OUTDIR: path.join(tmp, 'k8s.out') }),
  };
  // Each test awaits its own; keep an early rejection from being reported as unhandled.
  for (const p of Object.values(consumers)) p.catch(() => undefined);
}

describe('consumer projects (examples/consumers), installed from the tarball', () => {
  test('all three type-check against the installed .d.ts (tsc, node16 resolution of the exports map)', async () => {
    await expect(consumers.tsc).resolves.toBeDefined();
  });

  test('CDK: own VPC + RedisReplicationGroup(planRedis({ devices: 100000 })) synthesizes with the three cdk-nag packs, passes cfn-lint and every conformance cell', async () => {
    await consumers.cdk;
    const template = path.join(tmp, 'cdk.out', 'ShopCache.template.json');
    // The one skip rule (test/support/tools.ts): missing cfn-lint fails naming it unless CFN_LINT_TESTS=skip.
    if (have(CFN_LINT)) expect(formatCfnLintFindings(cachedCfnLint([template]).findings)).toBe('');
    const root = path.join(tmp, 'cdk-artifacts');
    fs.mkdirSync(path.join(root, 'aws'), { recursive: true });
    fs.copyFileSync(template, path.join(root, 'aws', 'ShopCache.template.json'));
    const d = deploymentNamed('shop-cache');
    const results = readConformance(root, d);
    expect(results.map((r) => r.target)).toEqual(['aws']);
    expect(failures(results, d)).toEqual([]);
  });

  test('Pulumi: AzureManagedRedis and MemorystoreRedis under mocks pass every conformance cell', async () => {
    await consumers.pulumi;
    const recorded = path.join(tmp, 'pulumi-run.json');
    const doc = JSON.parse(fs.readFileSync(recorded, 'utf8')) as {
      resources: Array<{ type: string }>;
      outputs: Record<string, unknown>;
    };
    const root = path.join(tmp, 'pulumi-artifacts');
    fs.mkdirSync(path.join(root, 'pulumi'), { recursive: true });
    const write = (target: string, prefix: string, contract: unknown) =>
      fs.writeFileSync(
        path.join(root, 'pulumi', `${target}.json`),
        JSON.stringify({
          resources: doc.resources.filter((r) => r.type.startsWith(prefix)),
          outputs: { contract },
        }),
      );
    write('azure-managed', 'azure-native:', doc.outputs.azureContract);
    write('gcp', 'gcp:', doc.outputs.gcpContract);
    const d = deploymentNamed('orders');
    const results = readConformance(root, d);
    expect(results.map((r) => r.target).sort()).toEqual(['azure-managed', 'gcp']);
    expect(failures(results, d)).toEqual([]);
  });

  test('cdk8s: OpsTreeRedisCluster in the user chart passes the CRD validation of the pipeline and every conformance cell', async () => {
    await consumers.cdk8s;
    const out = path.join(tmp, 'k8s.out');
    const text = fs.readFileSync(path.join(out, 'orders.k8s.yaml'), 'utf8');
    const objects = parseAllDocuments(text).map((doc) => doc.toJS() as ManifestObject);
    expect(objects.map((o) => o.kind)).toEqual(
      expect.arrayContaining(['RedisCluster', 'Certificate', 'NetworkPolicy', 'ConfigMap']),
    );
    expect(() => validateObjects(objects)).not.toThrow();
    const root = path.join(tmp, 'k8s-artifacts');
    fs.mkdirSync(path.join(root, 'k8s'), { recursive: true });
    fs.writeFileSync(path.join(root, 'k8s', 'opstree.yaml'), text);
    const d = deploymentNamed('orders-redis');
    const results = readConformance(root, d);
    expect(results.map((r) => r.target)).toEqual(['opstree']);
    expect(failures(results, d)).toEqual([]);
  });
});

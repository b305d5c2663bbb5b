import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deploymentFromYaml } from '../../lib/deployment';
import { isSpecError } from '../../lib/errors';
import { main as planMain } from '../../lib/cli/plan';
import { main as synthMain } from '../../lib/cli/synth';
import { engineMajor, memorystoreVersionFor } from '../../lib/policy/engine-version';
import { runCliInProcess } from '../support/run-cli';

const root = path.join(__dirname, '..', '..');

/** The default example with another engine, version and targets. */
function specText(engine: string, version: string, targets = defaultTargets()): string {
  const text = fs.readFileSync(path.join(root, 'examples', 'default.yaml'), 'utf8');
  const head = text
    .replace(/^engine: .*$/m, `engine: ${engine}`)
    .replace(/^engineVersion: .*$/m, `engineVersion: "${version}"`);
  return head.replace(/^targets:[\s\S]*$/m, `targets:\n${targets}`);
}

function defaultTargets(): string {
  const text = fs.readFileSync(path.join(root, 'examples', 'default.yaml'), 'utf8');
  return /^targets:\n([\s\S]*)$/m.exec(text)![1];
}

function errorOf(yaml: string): string {
  try {
    deploymentFromYaml(yaml, 'v.yaml');
  } catch (e) {
    if (isSpecError(e)) return e.message;
    throw e;
  }
  return '';
}

describe('engineVersion is checked at load against every enabled target', () => {
  test.each([
    ['redis', '9.9', /not offered by self-hosted, kubernetes, aws, gcp/],
    ['redis', '5.0', /not offered by self-hosted, kubernetes, aws, gcp/],
    ['redis', '7.4', /not offered by aws \(/],
    ['valkey', '6.0', /not offered by self-hosted, kubernetes, aws \(/],
    ['valkey', '99.0', /not offered by self-hosted, kubernetes, aws \(/],
    ['valkey', '8.4', /valkey 8\.4 is not offered by aws \(/],
  ])(
    '%s %s is refused with one line naming the field, the value and what each target accepts',
    (engine, version, refused) => {
      const message = errorOf(specText(engine, version));
      expect(message).toMatch(new RegExp(`^v\\.yaml: engineVersion: got "${version.replace('.', '\\.')}"; `));
      expect(message).toMatch(refused);
      expect(message).toMatch(/aws accepts \d/);
      expect(message).not.toContain('\n');
    },
  );

  test.each([
    ['redis', '7.1'],
    ['redis', '6.2'],
    ['valkey', '8.0'],
    ['valkey', '9.1'],
  ])('%s %s, offered everywhere, loads', (engine, version) => {
    expect(errorOf(specText(engine, version))).toBe('');
  });

  test('a version only the un-enabled targets lack loads: redis 8.10 without AWS or GCP (8.10 sorts after 8.8)', () => {
    const k8s = /^ {2}kubernetes:[\s\S]*?(?=^ {2}\w+:|$(?![\s\S]))/m.exec(defaultTargets());
    expect(k8s).not.toBeNull();
    expect(errorOf(specText('redis', '8.10', k8s![0]))).toBe('');
    expect(errorOf(specText('redis', '8.12', k8s![0]))).toMatch(/redis 6\.2 to 8\.10/);
  });
});

describe('memorystoreVersionFor: the one Memorystore version rule (policy check and GCP adapter)', () => {
  const VERSIONS = ['REDIS_6_X', 'REDIS_7_0', 'REDIS_7_2'];
  test.each([
    ['7.1', 'REDIS_7_2'],
    ['7.0', 'REDIS_7_0'],
    ['7.4', 'REDIS_7_2'],
    ['6.0', 'REDIS_6_X'],
    ['6.2', 'REDIS_6_X'],
    ['8.0', undefined],
    ['10.0', undefined],
    ['garbage', undefined],
    ['', undefined],
  ])('%s -> %s', (v, want) => expect(memorystoreVersionFor(v, VERSIONS)).toBe(want));
  test('catalog order and unparseable entries do not matter; 7.10 is after 7.2', () => {
    expect(memorystoreVersionFor('7.3', ['REDIS_7_10', 'bogus', 'REDIS_7_2'])).toBe('REDIS_7_10');
    expect(memorystoreVersionFor('7.1', ['REDIS_7_10', 'REDIS_7_2'])).toBe('REDIS_7_2');
  });
});

test('engineMajor reads the major of the policy version as a number', () => {
  expect(engineMajor({ engineVersion: '7.1' })).toBe(7);
  expect(engineMajor({ engineVersion: '10.0' })).toBe(10);
});

describe('the CLIs exit 2 on a bad engineVersion and write nothing', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-version-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  // In-process through runCli + each CLI's main (test/support/run-cli.ts); test/cli/plan.test.ts and
  // test/cli/synth.test.ts run the real tsx children that prove the entry points' wiring.

  test.each([
    ['redis', '9.9'],
    ['valkey', '5.0'],
  ])('%s %s: plan and synth', async (engine, version) => {
    const spec = path.join(dir, `${engine}.yaml`);
    fs.writeFileSync(spec, specText(engine, version));
    const out = path.join(dir, `dist-${engine}`);
    for (const r of [
      await runCliInProcess(planMain, ['--spec', spec], root),
      await runCliInProcess(synthMain, ['--spec', spec, '--out', out], root),
    ]) {
      expect(r.code).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/engineVersion: got "/);
    }
    expect(fs.existsSync(out)).toBe(false);
  });
});

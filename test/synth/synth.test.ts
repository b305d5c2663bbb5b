/**
 * End to end: `npm run synth` for the default spec writes every artifact and both reports, the
 * conformance matrix has no failure, the scan finds no secret, and the HTML renders in Chromium.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main as synthMain } from '../../lib/cli/synth';
import { scanDirectory } from '../../lib/checks/secret-scan';
import { DEFAULT_SPEC_PATH } from '../../lib/deployment';
import { findChromium, screenshot } from '../../lib/report/screenshot';
import { synthAll, type SpecRun } from '../../lib/synth/run';
import { runCliInProcess } from '../support/run-cli';
import { chromium, testWith } from '../support/tools';
import {
  compareWithSnapshotFiles,
  listFiles,
  redact,
  SNAPSHOT_ROOT,
  SNAPSHOT_TARGETS,
} from '../support/example-snapshots';

const root = path.join(__dirname, '..', '..');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-e2e-'));
let run: SpecRun;

beforeAll(async () => {
  [run] = await synthAll({ specs: [DEFAULT_SPEC_PATH], outRoot: out });
}, 300_000);
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

test('every target succeeds and writes its artifacts', () => {
  expect(run.failures).toEqual([]);
  expect(run.runs.filter((r) => r.status !== 'ok')).toEqual([]);
  const dir = path.join(out, run.id);
  const files = fs.readdirSync(dir, { recursive: true }).map(String).sort();
  expect(files).toEqual(
    expect.arrayContaining([
      'aws/app-cache-elasticache.template.json',
      'pulumi/gcp.json',
      'pulumi/azure-premium.json',
      'pulumi/azure-managed.json',
      'k8s/opstree.yaml',
      'self-hosted/redis-6380.conf',
      'report.md',
      'report.html',
    ]),
  );
  expect(fs.readdirSync(out).filter((f) => f.startsWith('.staging'))).toEqual([]);
});

// The default spec is production: Bitnami is left out of its flavors because no bitnamilegacy image is
// at or above the CVE floor (docs/kubernetes.md, Images).
test('the conformance matrix covers every target of the default spec and nothing fails', () => {
  expect(run.conformance.map((t) => t.target).sort()).toEqual(
    ['aws', 'azure-managed', 'azure-premium', 'gcp', 'opstree', 'self-hosted'].sort(),
  );
  expect(fs.existsSync(path.join(out, run.id, 'k8s', 'bitnami.yaml'))).toBe(false);
  const fails = run.conformance.flatMap((t) =>
    Object.entries(t.cells)
      .filter(([, c]) => c.status === 'fail')
      .map(([k, c]) => `${t.target} ${k}: ${c.detail}`),
  );
  expect(fails).toEqual([]);
});

test('no secret anywhere in the output', () => {
  expect(scanDirectory(path.join(out, run.id))).toEqual([]);
});

// The example snapshots are written by one run of every example spec (test/synth/examples-*.test.ts):
// a spec synthesized alone gives the same files, so a spec's output does not depend on its fleet.
test('alone, the default spec writes exactly its example snapshot files', () => {
  const dir = path.join(out, run.id);
  const files = new Map(
    listFiles(dir).map((rel) => [rel, redact(fs.readFileSync(path.join(dir, rel), 'utf8'), out)]),
  );
  const paths = SNAPSHOT_TARGETS.flatMap((t) => t.paths);
  const snapshotted = new Map(
    [...files].filter(([rel]) => paths.some((p) => rel === p || rel.startsWith(`${p}/`))),
  );
  expect(compareWithSnapshotFiles(snapshotted, path.join(SNAPSHOT_ROOT, 'default'), paths, 'none')).toEqual(
    [],
  );
});

test('report.html is self-contained and has the chart, matrix, contracts and sizing', () => {
  const html = fs.readFileSync(path.join(out, run.id, 'report.html'), 'utf8');
  expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
  expect(html).not.toMatch(/<script/);
  // The default spec states a dataset size: the chart plots that dimension only.
  expect(html).toMatch(/<svg[^>]+aria-label="Monthly cost by dataset GB"/);
  expect(html).toMatch(/Cost frontier/);
  expect(html).toMatch(/Policy conformance/);
  expect(html).toMatch(/REDIS_HOST/);
  expect(html).toMatch(/Memory derivation/);
  const md = fs.readFileSync(path.join(out, run.id, 'report.md'), 'utf8');
  expect(md).toMatch(/\| TLS only, TLS >= 1.2 \|/);
});

testWith(chromium(findChromium))('report.html renders in headless Chromium (screenshot saved)', () => {
  const png = path.join(out, run.id, 'report.png');
  screenshot(path.join(out, run.id, 'report.html'), png);
  const buf = fs.readFileSync(png);
  expect(buf.subarray(1, 4).toString()).toBe('PNG');
  expect(buf.length).toBeGreaterThan(20_000);
});

// In-process through runCli + the CLI's main (test/support/run-cli.ts); test/cli/synth.test.ts runs the
// real `tsx lib/cli/synth.ts` child that proves the entry point's wiring.
describe('CLI', () => {
  const synth = (...args: string[]) => runCliInProcess(synthMain, args, root);
  test('bad input: exit 2, one line, nothing written', async () => {
    const bad = path.join(out, 'bad.yaml');
    fs.writeFileSync(
      bad,
      'name: broken\nprofile: production\nworkload: { datasetGb: 1 }\npersistence: { snapshotRetentionDays: 0 }\n',
    );
    const target = path.join(out, 'cli');
    const r = await synth('--spec', bad, '--out', target);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/persistence\.snapshotRetentionDays/);
    expect(fs.existsSync(target)).toBe(false);
  });
  test('--dir on a folder without specs: exit 2, one line naming the flag, the value and the fix', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-empty-'));
    const target = path.join(out, 'cli-dir');
    const r = await synth('--dir', empty, '--out', target);
    fs.rmSync(empty, { recursive: true, force: true });
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      `error: synth: --dir: got ${JSON.stringify(empty)}; expected a folder holding *.yaml or *.yml deployment specs (it has none; sub-folders are not searched)`,
    ]);
    expect(fs.existsSync(target)).toBe(false);
  });
  test('--all with --spec is a usage error', async () => {
    const r = await synth('--all', '--spec', 'x.yaml');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--all: cannot be combined with --spec/);
  });
});

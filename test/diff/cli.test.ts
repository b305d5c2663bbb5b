/**
 * `npm run diff`: bad input exits 2 with one line and writes nothing; in production, default.yaml to a
 * copy with more shards (cluster mode on) exits 3 and writes diff.md; --allow-replacement exits 0 and
 * puts the reason into diff.md.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXIT_NEEDS_APPROVAL, main, runDiff, type SynthSides } from '../../lib/cli/diff';
import { synthArtifactSets } from '../../lib/diff/artifacts';
import { runCliInProcess } from '../support/run-cli';
import { ROOT, specText } from './corpus';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-iac-diff-cli-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function cli(args: string[]) {
  const r = spawnSync(
    process.execPath,
    [require.resolve('tsx/cli'), path.join(ROOT, 'lib/cli/diff.ts'), ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, INIT_CWD: work },
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same runCli + main the child runs, in-process (test/support/run-cli.ts). */
function inProcess(args: string[]) {
  return runCliInProcess(main, args, work);
}

test('an unreadable git ref exits 2 with one line and writes nothing', () => {
  const r = cli([
    '--from',
    'no-such-ref-x:examples/default.yaml',
    '--to',
    path.join(ROOT, 'examples/default.yaml'),
  ]);
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/--from: got "no-such-ref-x:examples\/default.yaml"; git cannot read it/);
  expect(fs.existsSync(path.join(work, 'diff.md'))).toBe(false);
});

test('specs with different names exit 2 naming both names, before any synth', async () => {
  const r = await inProcess([
    '--from',
    path.join(ROOT, 'examples/hospitality-staging.yaml'),
    '--to',
    path.join(ROOT, 'examples/hospitality-production.yaml'),
  ]);
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toContain('"hospitality-prod" differs from "hospitality-staging"');
  expect(fs.existsSync(path.join(work, 'diff.md'))).toBe(false);
});

test('an empty --allow-replacement reason is bad input', async () => {
  await expect(
    runDiff(['--from', 'examples/default.yaml', '--to', 'examples/default.yaml', '--allow-replacement', ' ']),
  ).rejects.toThrow(/--allow-replacement: got " "; give the reason/);
});

describe('default.yaml -> the same with more shards (production)', () => {
  const more = path.join(work, 'default-more-shards.yaml');
  fs.writeFileSync(
    more,
    specText('default.yaml', (s) => (s.availability = { topology: 'cluster', minShards: 3 })),
  );
  const from = path.join(ROOT, 'examples/default.yaml');
  /**
   * The two runs diff the same two specs: the first synthesizes them (Pulumi previews in a child, as
   * the CLI does) and keeps the sets; the second replays them, so it tests everything after the
   * synthesis (approval, exit code, diff.md) without a second synthesis of both sides. Run alone
   * (jest -t), the second synthesizes itself.
   */
  let made: { specs: string[]; sets: Awaited<ReturnType<SynthSides>> } | undefined;
  const recording: SynthSides = async (sides, opts) => {
    const sets = await synthArtifactSets(sides, opts);
    made = { specs: sides.map((s) => s.specPath), sets: [...sets] };
    return sets;
  };
  const replaying: SynthSides = async (sides, opts) => {
    if (!made) return synthArtifactSets(sides, opts);
    expect(sides.map((s) => s.specPath)).toEqual(made.specs);
    return [...made.sets];
  };

  test('exits 3 without --allow-replacement and writes diff.md with every platform', async () => {
    const out = path.join(work, 'blocked.md');
    const r = await runCliInProcess(
      (argv) => main(argv, recording),
      ['--from', from, '--to', more, '--out', out],
      work,
    );
    expect(r.code).toBe(EXIT_NEEDS_APPROVAL);
    expect(r.stdout).toMatch(/^AWS: REFUSED by the provider/m);
    expect(r.stdout).toMatch(/^GCP: REPLACEMENT/m);
    expect(r.stdout).toContain('re-run with --allow-replacement');
    const md = fs.readFileSync(out, 'utf8');
    for (const p of [
      'AWS',
      'GCP',
      'Azure Premium',
      'Azure Managed Redis',
      'OpsTree',
      'Bitnami',
      'self-hosted',
    ])
      expect(md).toContain(`| ${p} |`);
    expect(md).toContain('ClusterMode');
    expect(md).toContain('https://docs.aws.amazon.com/AmazonElastiCache/');
  }, 180_000);

  test('--allow-replacement exits 0 and writes the reason into diff.md', async () => {
    const out = path.join(work, 'allowed.md');
    const r = await runDiff(
      [
        '--from',
        from,
        '--to',
        more,
        '--out',
        out,
        '--allow-replacement',
        'maintenance window 2026-12-10, cache warmed from the database',
      ],
      replaying,
    );
    expect(r.exitCode).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toContain(
      'approved with --allow-replacement: maintenance window 2026-12-10, cache warmed from the database',
    );
  }, 180_000);
});

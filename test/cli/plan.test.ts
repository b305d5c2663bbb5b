import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../lib/cli/plan';
import { formatPlan } from '../../lib/cli/plan-format';
import { loadDeployment } from '../../lib/deployment';
import { PLATFORM_IDS } from '../../lib/planner/types';
import { runCliInProcess, type CliResult } from '../support/run-cli';

const root = path.join(__dirname, '..', '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

/**
 * As `npm run plan` from the repository root (npm keeps the caller's directory in INIT_CWD), in-process
 * through the same runCli + main the CLI runs; the child-process tests below prove that wiring.
 */
function plan(...args: string[]): Promise<CliResult> {
  return runCliInProcess(main, args, root);
}

/** A real `tsx lib/cli/plan.ts` child: for the tests that prove the entry point's wiring. */
function planChild(...args: string[]): CliResult {
  return planFrom(root, ...args);
}

function planFrom(initCwd: string, ...args: string[]): CliResult {
  const r = spawnSync(tsx, [path.join(root, 'lib/cli/plan.ts'), ...args], {
    encoding: 'utf8',
    cwd: root,
    env: { ...process.env, INIT_CWD: initCwd },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('--spec is read relative to the directory npm run was started in (INIT_CWD), not the package root (child process)', () => {
  const r = planFrom(path.join(root, 'examples'), '--spec', 'go-api.yaml');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^Plan for go-api-redis .* from go-api\.yaml$/m);
});

test('--devices 100000 prints a SKU and monthly cost for all five platforms and the 100k reference row (child process)', () => {
  const r = planChild('--devices', '100000');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  for (const p of PLATFORM_IDS)
    expect(r.stdout).toMatch(new RegExp(`^${p}\\s+\\S+\\s+\\S+.*\\$[\\d,]+\\.\\d\\d`, 'm'));
  expect(r.stdout).toMatch(
    /Reference row \(guides\): 100,000 devices -> 16 GB, 3 primaries \+ 3 replicas, 1,000 connections/,
  );
});

test('--spec works for every example (in-process rendering of the same output)', () => {
  for (const f of fs.readdirSync(path.join(root, 'examples')).filter((n) => n.endsWith('.yaml'))) {
    const text = formatPlan(loadDeployment(path.join(root, 'examples', f)));
    for (const p of PLATFORM_IDS) expect(text).toMatch(new RegExp(`^${p}\\s`, 'm'));
  }
});

test('--spec through the CLI, with --json', async () => {
  const r = await plan('--spec', 'examples/acs-100k.yaml', '--json');
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout);
  expect(out.plan.topology.mode).toBe('cluster');
  expect(out.plan.reference.size).toBe(100000);
});

describe('bad input: exit 2, one line on stderr naming the field, no stack trace', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-cli-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function expectBad(r: CliResult, field: RegExp) {
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(field);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }

  test('a production spec with TLS off and no waiver names the TLS field', async () => {
    const file = path.join(tmp, 'tls-off.yaml');
    fs.writeFileSync(
      file,
      'name: insecure\nprofile: production\nworkload: { datasetGb: 1 }\nsecurity: { tls: false }\n',
    );
    expectBad(await plan('--spec', file), /security\.tls: got false; production requires/);
  });

  test('a planner error (unknown region) names the spec file like every other spec error', async () => {
    const file = path.join(tmp, 'far-region.yaml');
    fs.writeFileSync(
      file,
      'name: far\nprofile: staging\nworkload: { datasetGb: 1 }\ntargets:\n  azure: { resourceGroup: rg, location: moonbase1 }\n',
    );
    expectBad(
      await plan('--spec', file),
      /^error: far-region\.yaml: targets\.azure\.location: got "moonbase1"; expected a region/,
    );
  });

  test('a commitment term that does not exist names the field, the value and the allowed terms', async () => {
    const file = path.join(tmp, 'commitment.yaml');
    fs.writeFileSync(file, 'name: c2\nprofile: staging\nworkload: { datasetGb: 1 }\ncommitment: 2y\n');
    expectBad(
      await plan('--spec', file),
      /^error: commitment\.yaml: commitment: got "2y"; expected one of "none", "1y", "3y"$/,
    );
  });

  test('a key separator that is not one character names keyspace.separator', async () => {
    const file = path.join(tmp, 'separator.yaml');
    fs.writeFileSync(
      file,
      'name: sep\nprofile: staging\nworkload: { datasetGb: 1 }\nkeyspace: { prefix: app, separator: "::" }\n',
    );
    expectBad(
      await plan('--spec', file),
      /^error: separator\.yaml: keyspace\.separator: got "::"; expected exactly one character/,
    );
  });

  test('a bad number', async () => expectBad(await plan('--devices', 'many'), /--devices: got "many"/));
  test('an unknown flag names it and the flags that exist (child process)', () =>
    expectBad(planChild('--device', '5'), /Unknown option '--device'; usage: .*--devices N/));
  test('a missing spec file', async () =>
    expectBad(await plan('--spec', path.join(tmp, 'nope.yaml')), /--spec/));
  test('a negative number names the flag and what is allowed (not parseArgs\' "--devices=-XYZ" hint)', async () =>
    expectBad(await plan('--devices', '-5'), /^error: --devices: got "-5"; expected a positive number/));
  test('an out-of-range or fractional number names the flag typed, not the spec field behind it', async () => {
    expectBad(
      await plan('--devices', '1e12'),
      /^error: --devices: got 1000000000000; expected <= 100000000$/,
    );
    expectBad(await plan('--devices', '1.5'), /^error: --devices: got 1\.5; expected a whole number$/);
    expectBad(
      await plan('--devices', '10', '--concurrent', '1e9'),
      /^error: --concurrent: got 1000000000; expected <=/,
    );
  });
  test('hex and other non-decimal numbers are refused', async () => {
    expectBad(await plan('--devices', '0x10'), /--devices: got "0x10"/);
    expectBad(await plan('--organizations', 'Infinity'), /--organizations: got "Infinity"/);
  });
  test('a flag the spec would silently override is refused with where the setting lives', async () => {
    expectBad(
      await plan('--spec', 'examples/default.yaml', '--ops', '5000'),
      /--ops: only applies with --devices.*workload\.peakOpsPerSecond/,
    );
    expectBad(
      await plan('--profile', 'staging'),
      /--profile: only applies with --devices.*set profile in the spec/,
    );
  });
  test('a bad profile', async () =>
    expectBad(await plan('--devices', '10', '--profile', 'prod'), /--profile: got "prod"/));
});

/** The bench CLI's options, its synth row table and the Markdown report (no process is timed here). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HelpRequested, parseOptions, UsageError } from '../../bench/run';
import { markdown, suiteGrid, summarizeSizing } from '../../bench/report';
import { testSteps } from '../../bench/suite';
import { cdkEnv, synthRows } from '../../bench/synth';

describe('parseOptions', () => {
  test('defaults: 5 runs, 1 warm-up, every section, bench/results.json', () => {
    expect(parseOptions([], {})).toEqual({
      runs: 5,
      warmup: 1,
      quick: false,
      sections: ['synth', 'suite', 'sizing', 'frontier', 'fleet'],
      out: path.join('bench', 'results.json'),
    });
  });
  test('BENCH_RUNS sets the runs; --runs wins over it', () => {
    expect(parseOptions([], { BENCH_RUNS: '7' }).runs).toBe(7);
    expect(parseOptions(['--runs', '3'], { BENCH_RUNS: '7' }).runs).toBe(3);
  });
  test('--quick: fewer runs, no suite, and never overwrites bench/results.json', () => {
    const o = parseOptions(['--quick'], {});
    expect(o).toMatchObject({ runs: 2, warmup: 0, sections: ['synth', 'sizing', 'frontier', 'fleet'] });
    expect(o.out).not.toBe(path.join('bench', 'results.json'));
  });
  test('a partial run (a section left out, fewer runs or no warm-up) never replaces bench/results.json', () => {
    const partial = path.join('bench', 'runs', 'results.partial.json');
    for (const argv of [['--only', 'sizing'], ['--no-test-suite'], ['--runs', '3'], ['--warmup', '0']])
      expect([argv, parseOptions(argv, {}).out]).toEqual([argv, partial]);
    expect(parseOptions(['--runs', '9'], {}).out).toBe(path.join('bench', 'results.json'));
    expect(parseOptions(['--only', 'sizing', '--out', 'x.json'], {}).out).toBe('x.json');
  });
  test('--no-test-suite and --only', () => {
    expect(parseOptions(['--no-test-suite'], {}).sections).toEqual(['synth', 'sizing', 'frontier', 'fleet']);
    expect(parseOptions(['--only', 'frontier'], {}).sections).toEqual(['frontier']);
    expect(parseOptions(['--only', 'sizing'], {}).sections).toEqual(['sizing']);
    expect(parseOptions(['--only', 'fleet'], {}).sections).toEqual(['fleet']);
  });
  test.each([
    [['--runs', '0'], /--runs: got "0"; expected a whole number >= 1/],
    [['--runs', 'many'], /--runs: got "many"/],
    [['--warmup=-1'], /--warmup: got "-1"/],
    [
      ['--only', 'synth,speed'],
      /--only: got "speed"; expected a list of synth, suite, sizing, frontier, fleet/,
    ],
  ])('bad flag %j is a usage error naming the flag', (argv, message) => {
    expect(() => parseOptions(argv, {})).toThrow(UsageError);
    expect(() => parseOptions(argv, {})).toThrow(message);
  });
  test('bad BENCH_RUNS names the variable', () => {
    expect(() => parseOptions([], { BENCH_RUNS: 'x' })).toThrow(/BENCH_RUNS: got "x"/);
  });
  test('unknown flags are rejected', () => {
    expect(() => parseOptions(['--fast'], {})).toThrow(/--fast/);
  });
  test('--help is its own signal', () => {
    expect(() => parseOptions(['--help'], {})).toThrow(HelpRequested);
  });
});

describe('synth rows', () => {
  test('a row whose app file is missing is skipped with the reason', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-rows-'));
    fs.writeFileSync(path.join(root, 'cdk.json'), JSON.stringify({ context: { a: true } }));
    const rows = synthRows(root, path.join(root, 'scratch'));
    expect(rows.find((r) => r.id === 'k8s-cdk8s')!.skip).toBe('k8s/main.ts does not exist yet');
    expect(rows.find((r) => r.id === 'synth-all')!.skip).toBe('lib/cli/synth.ts does not exist yet');
    fs.rmSync(root, { recursive: true, force: true });
  });
  test('every row has a floor run with the same toolchain start (node + tsx, or npm for npm)', () => {
    const root = path.resolve(__dirname, '..', '..');
    for (const r of synthRows(root, '/tmp/x')) {
      expect(r.floor.command).toBe(r.target.command);
      if (r.target.command === process.execPath) expect(r.floor.args[0]).toBe(r.target.args[0]);
    }
  });
  test('the CDK app gets the context the CDK CLI would pass', () => {
    const root = path.resolve(__dirname, '..', '..');
    const env = cdkEnv(root, '/tmp/out');
    const cdkJson = JSON.parse(fs.readFileSync(path.join(root, 'cdk.json'), 'utf8'));
    expect(JSON.parse(env.CDK_CONTEXT_JSON!)).toEqual(cdkJson.context);
    expect(env.CDK_OUTDIR).toBe('/tmp/out');
  });
});

describe('report', () => {
  test('Markdown tables escape pipes in cells', () => {
    expect(markdown({ headers: ['a', 'b'], rows: [['x|y', 'z']] })).toBe(
      '| a | b |\n|---|---|\n| x\\|y | z |',
    );
  });
  test('sizing summary counts each check', () => {
    const row = (meets: boolean, ref: boolean | undefined, cheap: boolean) =>
      ({
        checks: {
          meetsNeed: meets,
          referenceMeetsNeed: ref !== undefined,
          notAboveReference: ref,
          cheapestFitting: cheap,
        },
      }) as never;
    expect(
      summarizeSizing([row(true, true, true), row(true, undefined, true), row(false, false, false)]),
    ).toEqual({
      rows: 3,
      meetsNeed: 2,
      referenceMeetsNeed: 2,
      notAboveReference: 1,
      cheapestFitting: 2,
    });
  });
});

describe('test script steps', () => {
  test('a chain of npm run steps is split into its steps', () => {
    expect(testSteps('npm run typecheck && npm run lint && npm run jest')).toEqual([
      'typecheck',
      'lint',
      'jest',
    ]);
  });
  test('anything else gives no breakdown', () => {
    expect(testSteps('jest --ci')).toEqual([]);
    expect(testSteps('npm run a && jest')).toEqual([]);
  });
});

test('the suite table shows the CPU time of the whole tree, or a dash without GNU time', () => {
  const base = {
    command: 'npm test --silent',
    wallMs: 164350,
    peakRssMb: 1323,
    treeRssMb: 4909,
    exitCode: 0,
    peakRssMethod: 'gnu-time' as const,
    verdict: 'PASS' as const,
  };
  const grid = suiteGrid({ ...base, cpuSeconds: 312.4 });
  expect(grid.headers[2]).toBe('CPU (user + sys)');
  expect(grid.rows[0][2]).toBe('312.4 s');
  expect(suiteGrid(base).rows[0][2]).toBe('-');
});

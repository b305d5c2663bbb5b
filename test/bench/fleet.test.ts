/** The fleet bench section's pure parts: the spec generator, the least-squares slope, the verdicts. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fleetSpecs, leastSquares, readExamples, summarizeFleet, writeFleet } from '../../bench/fleet';
import { fleetGrid, resultMarkdown, type BenchResult } from '../../bench/report';
import { loadAll } from '../../lib/synth/run';

const ROOT = path.join(__dirname, '..', '..');

describe('fleetSpecs', () => {
  test('cycles through the examples with distinct names carrying digits, each within the name rule', () => {
    const examples = readExamples(ROOT);
    const specs = fleetSpecs(examples, 30);
    expect(specs).toHaveLength(30);
    expect(new Set(specs.map((s) => s.name)).size).toBe(30);
    expect(new Set(specs.map((s) => s.file)).size).toBe(30);
    for (const s of specs) {
      expect(s.name).toMatch(/^[a-z][a-z0-9-]{0,30}$/);
      expect(s.name).toMatch(/-\d{3}$/);
      expect(s.text).toContain(`\nname: ${s.name}\n`);
    }
    expect(specs.slice(0, examples.length).map((s) => s.from)).toEqual(examples.map((e) => e.file));
    expect(specs[examples.length].from).toBe(examples[0].file);
  });

  test('only the name line changes', () => {
    const text =
      '# head\nname: app-cache # the id\nprofile: development\ntargets: { selfHosted: { name: x } }\n';
    const [s] = fleetSpecs([{ file: 'a.yaml', text }], 1);
    expect(s.text).toBe(
      '# head\nname: app-cache-001\nprofile: development\ntargets: { selfHosted: { name: x } }\n',
    );
  });

  test('a long example name is shortened, never the digits', () => {
    const [s] = fleetSpecs([{ file: 'a.yaml', text: `name: ${'a'.repeat(31)}\n` }], 1);
    expect(s.name).toBe(`${'a'.repeat(27)}-001`);
  });

  test('an example without a top-level name line is refused', () => {
    expect(() => fleetSpecs([{ file: 'a.yaml', text: 'profile: development\n  name: nested\n' }], 1)).toThrow(
      /a\.yaml has no top-level "name:" line/,
    );
    expect(() => fleetSpecs([], 1)).toThrow(/no example specs/);
  });

  test('the written fleet loads as valid specs with distinct names (the synth checks them first)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-fleet-'));
    try {
      const count = readExamples(ROOT).length + 2;
      writeFleet(ROOT, dir, count);
      const files = fs
        .readdirSync(dir)
        .sort()
        .map((f) => path.join(dir, f));
      expect(files).toHaveLength(count);
      const loaded = loadAll(files);
      expect(new Set(loaded.map((l) => l.deployment.id)).size).toBe(count);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('leastSquares', () => {
  test('exact line', () => {
    expect(leastSquares([1, 10, 30, 100].map((x) => ({ x, y: 8 + 0.4 * x })))).toEqual({
      slope: expect.closeTo(0.4, 10),
      intercept: expect.closeTo(8, 10),
    });
  });
  test('noisy points: the slope through all of them, not the two ends', () => {
    const fit = leastSquares([
      { x: 0, y: 0 },
      { x: 10, y: 10 },
      { x: 20, y: 10 },
      { x: 30, y: 20 },
    ]);
    // The two ends alone would give 20/30 = 0.667.
    expect(fit.slope).toBeCloseTo(0.6, 10);
    expect(fit.intercept).toBeCloseTo(1, 10);
  });
  test('needs two distinct x', () => {
    expect(() => leastSquares([{ x: 5, y: 1 }])).toThrow(/two or more distinct x/);
    expect(() =>
      leastSquares([
        { x: 5, y: 1 },
        { x: 5, y: 2 },
      ]),
    ).toThrow(/two or more distinct x/);
  });
});

describe('summarizeFleet', () => {
  const row = (specs: number, s: number, tree: number) => ({
    specs,
    runs: 1,
    wallMs: [s * 1000],
    wallMsMedian: s * 1000,
    peakRssMbMedian: tree - 100,
    treeRssMbMedian: tree,
    cpuSMedian: 5 + s * 1.5,
  });
  test('PASS on both goals', () => {
    const f = summarizeFleet([
      row(1, 10, 900),
      row(10, 14.5, 1000),
      row(30, 24.5, 1100),
      row(100, 59.5, 1400),
    ]);
    expect(f.marginalS).toBeCloseTo(0.5, 3);
    expect(f.marginalCpuS).toBeCloseTo(0.75, 3);
    expect(f).toMatchObject({ marginalVerdict: 'PASS', rssVerdict: 'PASS', treeRssMbAtGoal: 1400 });
  });
  test('MISS when slower or bigger than the goal', () => {
    const f = summarizeFleet([row(1, 10, 900), row(100, 70, 1600)]);
    expect(f).toMatchObject({ marginalVerdict: 'MISS', rssVerdict: 'MISS' });
  });
  test('a failed size is left out of the fit; without 100 specs the memory goal is n/a', () => {
    const f = summarizeFleet([
      row(1, 10, 900),
      { specs: 10, runs: 0, wallMs: [], error: 'exited 1' },
      row(30, 20, 1000),
    ]);
    expect(f.marginalMethod).toContain('(1, 30 specs)');
    expect(f.rssVerdict).toBe('n/a');
    expect(summarizeFleet([row(1, 10, 900)]).marginalVerdict).toBe('n/a');
  });
  test('the grid and the Markdown show the fit, the goals and the verdicts', () => {
    const fleet = summarizeFleet([row(1, 10, 900), row(100, 59.5, 1400)]);
    const grid = fleetGrid(fleet);
    for (const r of grid.rows) expect(r).toHaveLength(grid.headers.length);
    expect(grid.rows.map((r) => r[0])).toEqual(['1', '100', 'marginal per spec', 'tree RSS at 100 specs']);
    expect(grid.rows[2][6]).toMatch(/^PASS \(goal <= 0.5 s; least-squares slope/);
    const md = resultMarkdown({
      schema: 'redis-iac-bench/1',
      machine: {
        nproc: 2,
        cpuModel: 'cpu',
        memoryGib: 24,
        node: 'v20',
        os: 'Linux',
        date: '2026-01-01',
        gitCommit: 'abc',
        gitDirtyFiles: 0,
        loadAverageStart: [1, 1, 1],
        gnuTime: true,
      },
      settings: { runs: 1, warmup: 0, quick: false, sections: ['fleet'] },
      fleet: { ...fleet, machine: 'somewhere' },
      durationMs: 0,
    } satisfies BenchResult);
    expect(md).toContain('### Fleet synth');
    expect(md).toContain('Measured somewhere.');
  });
});

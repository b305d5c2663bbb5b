/**
 * The cost chart's series (a plan per point) is worked out once per spec per synth, where the reports
 * are written, and report.md and report.html both render that one value: a counter on costSeries
 * through a synth of two specs, and renderers handed a made-up series show exactly its points without
 * working out one of their own. Only the self-hosted target runs (no targets in the specs), so it is fast.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fromSpec, type Deployment } from '../../lib/deployment';
import { htmlReport, markdownReport } from '../../lib/report';
import { costChartSvg } from '../../lib/report/chart';
import { sizeText, type CostSeries } from '../../lib/report/series';
import { validateSpec } from '../../lib/spec/load';
import { synthAll } from '../../lib/synth/run';

/** Every costSeries call: the spec's name and the series it returned. */
const mockSeriesCalls: Array<{ id: string; series: CostSeries[] }> = [];
jest.mock('../../lib/report/series', () => {
  const actual = jest.requireActual('../../lib/report/series');
  return {
    ...actual,
    costSeries: (d: Deployment) => {
      const series = actual.costSeries(d);
      mockSeriesCalls.push({ id: d.id, series });
      return series;
    },
  };
});

let tmp: string;
beforeEach(() => {
  mockSeriesCalls.length = 0;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'series-once-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The Markdown table rows of a series, as report.md writes them. */
const mdRows = (s: CostSeries) =>
  s.points.map(
    (p) =>
      `| ${[sizeText(s, p.size), ...Object.values(p.costs).map((c) => (c === null ? 'n/a' : `$${c.toFixed(2)}`))].join(' | ')} |`,
  );

test('a synth of two specs works out each spec’s series once; both reports show that series', async () => {
  const specs = [
    ['once-1', 'workload: { datasetGb: 3 }'],
    ['once-2', 'workload: { devices: 5000 }'],
  ].map(([name, workload]) => {
    const file = path.join(tmp, `${name}.yaml`);
    fs.writeFileSync(file, `name: ${name}\nprofile: development\n${workload}\n`);
    return file;
  });
  const runs = await synthAll({ specs, outRoot: path.join(tmp, 'dist') });
  expect(runs.flatMap((r) => r.failures)).toEqual([]);

  expect(mockSeriesCalls.map((c) => c.id)).toEqual(['once-1', 'once-2']);
  for (const { id, series } of mockSeriesCalls) {
    const md = fs.readFileSync(path.join(tmp, 'dist', id, 'report.md'), 'utf8');
    const html = fs.readFileSync(path.join(tmp, 'dist', id, 'report.html'), 'utf8');
    expect(series.length).toBeGreaterThan(0);
    for (const s of series) {
      expect(s.points.length).toBeGreaterThan(1);
      for (const row of mdRows(s)) expect(md).toContain(row);
      expect(html).toContain(costChartSvg(s));
    }
  }
});

test('the renderers show the series they are given and work out none themselves', () => {
  const d = fromSpec(validateSpec({ name: 'given-1', profile: 'development', workload: { datasetGb: 2 } }));
  // Sizes and costs no plan would give, so any series a renderer computed itself would show.
  const made: CostSeries = {
    kind: 'datasetGb',
    label: 'dataset GB',
    points: [3, 7].map((size) => ({
      size,
      costs: { aws: size + 0.11, gcp: null, 'azure-premium': 1.5, 'azure-managed': null, kubernetes: 0.25 },
    })),
  };
  const input = { deployment: d, conformance: [], runs: [] };
  const md = markdownReport(input, [made]);
  const html = htmlReport(input, [made]);

  expect(mdRows(made)).toEqual([
    '| 3 GB | $3.11 | n/a | $1.50 | n/a | $0.25 |',
    '| 7 GB | $7.11 | n/a | $1.50 | n/a | $0.25 |',
  ]);
  for (const row of mdRows(made)) expect(md).toContain(row);
  expect(md.match(/^\| \d+ GB \|/gm)).toHaveLength(2);
  expect(html).toContain(costChartSvg(made));
  expect(html.match(/<svg /g)).toHaveLength(1);
  expect(mockSeriesCalls).toEqual([]);
});

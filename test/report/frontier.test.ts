/**
 * The cost frontier as users see it: `npm run plan` and report.md of the Go API and hospitality
 * development examples show on-demand, both commitment terms with their break-even month and AWS
 * serverless, the cheapest marked; the cost chart follows the workload dimension the spec states.
 */
import * as path from 'node:path';
import { formatPlan } from '../../lib/cli/plan-format';
import { loadDeployment, fromSpec, type Deployment } from '../../lib/deployment';
import { usd } from '../../lib/numbers';
import { markdownReport, htmlReport } from '../../lib/report';
import { frontierTable } from '../../lib/report/model';
import { costSeries } from '../../lib/report/series';
import { validateSpec } from '../../lib/spec/load';

const example = (f: string) => loadDeployment(path.join(__dirname, '..', '..', 'examples', f));

describe.each(['go-api.yaml', 'hospitality-development.yaml'])('%s', (file) => {
  const d = example(file);
  const f = d.plan.choices.aws.frontier!;
  const text = formatPlan(d);
  const md = markdownReport({ deployment: d, conformance: [], runs: [] }, costSeries(d));

  test('npm run plan shows AWS on-demand, 1-year and 3-year with break-even, serverless and the cheapest', () => {
    const aws = text.slice(text.indexOf('Cost frontier'), text.indexOf('  gcp:'));
    expect(aws).toContain(`on-demand: ${usd(f.onDemandMonthlyUsd!)}`);
    for (const [t, label] of [
      ['1y', '1-year'],
      ['3y', '3-year'],
    ] as const) {
      const c = f.committed[t]!;
      expect(aws).toContain(`${label}: ${usd(c.monthlyCostUsd)} (${c.payment}`);
      expect(aws).toMatch(new RegExp(`${label}: .*break-even month ${c.breakEvenMonth}`));
    }
    expect(aws).toContain(`serverless: ${usd(f.serverless!.monthlyCostUsd)}`);
    expect(aws).toMatch(/\[cheapest\]/);
    expect(aws).toMatch(/cheapest: .*below on-demand|cheapest: on-demand/);
    expect(text).toMatch(/^ {2}serverless: ElastiCache Serverless \(redis, us-east-1\): .* GB stored/m);
  });

  test('report.md has the frontier table with the same figures and one cheapest mark per platform', () => {
    expect(md).toContain('### Cost frontier (monthly USD): on-demand, committed, serverless');
    const frontier = md.slice(md.indexOf('### Cost frontier'));
    const row = frontier.split('\n').find((l) => l.startsWith('| aws |'))!;
    expect(row).toContain(usd(f.committed['1y']!.monthlyCostUsd));
    expect(row).toContain(usd(f.committed['3y']!.monthlyCostUsd));
    expect(row).toContain(usd(f.serverless!.monthlyCostUsd));
    for (const r of frontierTable(d).rows) expect(r.join(' ').match(/\[cheapest\]/g)).toHaveLength(1);
  });
});

test('the mark sits on the cheapest figure: serverless when it is the cheapest', () => {
  // A tiny, rarely used cache: serverless stores 1 GB and serves few ECPUs.
  const d = fromSpec(
    validateSpec({
      name: 'tiny-1',
      profile: 'development',
      workload: { datasetGb: 0.05, peakOpsPerSecond: 1 },
    }),
  );
  const f = d.plan.choices.aws.frontier!;
  const all = [f.onDemandMonthlyUsd!, f.committed['1y']!.monthlyCostUsd, f.committed['3y']!.monthlyCostUsd];
  const row = frontierTable(d).rows.find((r) => r[0] === 'aws')!;
  const marked = row.findIndex((c) => c.endsWith('[cheapest]'));
  const cheapest = Math.min(...all, f.serverless!.monthlyCostUsd);
  expect(f.cheapest!.monthlyCostUsd).toBe(cheapest);
  expect(row[marked]).toContain(usd(cheapest));
});

describe('the cost chart plots the dimension the spec states', () => {
  const kinds = (d: Deployment) => costSeries(d).map((s) => s.kind);

  test('devices only, organizations only, dataset only', () => {
    expect(kinds(example('acs-100k.yaml'))).toEqual(['devices']);
    expect(kinds(example('hospitality-development.yaml'))).toEqual(['organizations']);
    expect(kinds(example('go-api.yaml'))).toEqual(['datasetGb']);
  });

  test("a dataset series includes the spec's own size and labels the axis in GB", () => {
    const d = example('go-api.yaml');
    const [s] = costSeries(d);
    expect(s.points.map((p) => p.size)).toContain(d.spec.workload.datasetGb);
    const html = htmlReport({ deployment: d, conformance: [], runs: [] }, [s]);
    expect(html).toContain('aria-label="Monthly cost by dataset GB"');
    expect(html).not.toContain('Monthly cost by devices');
    expect(html).not.toContain('Monthly cost by organizations');
  });

  test('a spec stating two dimensions gets both', () => {
    const d = fromSpec(
      validateSpec({
        name: 'both-1',
        profile: 'staging',
        workload: { devices: 10_000, organizations: 1000 },
      }),
    );
    expect(kinds(d)).toEqual(['devices', 'organizations']);
  });

  test('the pinned hospitality tiers are not flat: the workload decides each point', () => {
    const [s] = costSeries(example('hospitality-development.yaml'));
    const aws = s.points.map((p) => p.costs.aws);
    expect(new Set(aws).size).toBeGreaterThan(1);
  });
});

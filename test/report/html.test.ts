/**
 * report.html stays readable: short cells (prices, SKUs, platform names) never wrap inside a word,
 * only cells holding a long unbroken token (ARNs, host lists) may. Breaking anywhere in every cell
 * let Chromium squeeze the platform table until "$1,213.26" printed over three lines.
 */
import { htmlReport, markdownReport } from '../../lib/report';
import { fromSpec } from '../../lib/deployment';
import { validateSpec } from '../../lib/spec/load';
import { INVARIANTS } from '../../lib/conformance/invariants';
import type { TargetResult } from '../../lib/conformance/types';

const d = fromSpec(
  validateSpec({ name: 'fix', profile: 'production', workload: { datasetGb: 12, peakOpsPerSecond: 50_000 } }),
);
const arn = 'aws-secretsmanager:arn:aws:secretsmanager:us-east-1:123456789012:secret:fix-auth:password';
const aws: TargetResult = {
  target: 'aws',
  files: ['aws/fix.template.json'],
  cells: Object.fromEntries(
    INVARIANTS.map((i) => [i.id, { status: 'pass', detail: 'TransitEncryptionEnabled=true' }]),
  ) as TargetResult['cells'],
  contract: { REDIS_PASSWORD_FROM: arn, REDIS_PORT: '6380' },
};
// The cost chart (an argument, worked out once per spec by writeReports) is not what these tests read.
const html = htmlReport({ deployment: d, conformance: [aws], runs: [] }, []);
const css = /<style>([\s\S]*?)<\/style>/.exec(html)![1];
const cellOf = (text: string) =>
  new RegExp(`<td( class="[^"]*")?>${text.replace(/[$.]/g, '\\$&')}</td>`).exec(html);

test('no rule lets every cell break anywhere; only td.long does', () => {
  const anywhere = css.split('\n').filter((l) => /overflow-wrap:\s*anywhere/.test(l));
  expect(anywhere).toEqual([expect.stringMatching(/^td\.long\s*\{/)]);
});

test('prices and SKUs are plain cells; a long ARN is a long cell', () => {
  const monthly = `$${d.plan.choices.aws.monthlyCostUsd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  expect(cellOf(monthly)).not.toBeNull();
  expect(cellOf(monthly)![1]).toBeUndefined();
  expect(cellOf(d.plan.choices.aws.sku)![1]).toBeUndefined();
  expect(cellOf(arn)![1]).toBe(' class="long"');
});

test('notes the artifacts carry (e.g. the engine version actually deployed) appear in both reports', () => {
  const note =
    'Azure Cache for Redis Premium offers Redis 6; the policy asks for redis 7.1, so Redis 6 is deployed.';
  const premium: TargetResult = { ...aws, target: 'azure-premium', notes: [note] };
  const input = { deployment: d, conformance: [aws, premium], runs: [] };
  expect(markdownReport(input, [])).toContain(`| Azure Premium | ${note} |`);
  expect(htmlReport(input, [])).toContain(`<td>Azure Premium</td><td>${note}</td>`);
});

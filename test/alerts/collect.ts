/**
 * Every alert of every example on every platform, read from what each adapter emits (CloudFormation
 * alarms of the alarm construct, the Pulumi resources under mocks, the Kubernetes rule sets), reduced
 * to: the text a person reads, the thresholds and comparison of the expression, and the window.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib/core';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { RedisAlarms } from '../../lib/aws/alarms';
import { ServerlessCacheAlarms, serverlessAlarmThresholdsFor } from '../../lib/aws/serverless-alarms';
import { serverlessUsageLimits } from '../../lib/aws/serverless-limits';
import { alarmThresholds } from '../../lib/aws/stack';
import { awsServerlessCatalog } from '../../lib/catalog/aws-serverless';
import { awsFlavor } from '../../lib/policy/aws-flavor';
import type { Deployment } from '../../lib/deployment';
import { loadPatched } from '../k8s/patched-bitnami';
import { flavorsOf } from '../../lib/k8s/context';
import type { AlertRule as PromRule } from '../../lib/k8s/monitoring';
import { buildFlavor } from '../../lib/k8s/synth';
import { PULUMI_TARGETS } from '../../lib/pulumi/program';
import { runProgram } from '../../lib/pulumi/run';

export const ROOT = path.join(__dirname, '..', '..');
export const EXAMPLES = fs
  .readdirSync(path.join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => `examples/${f}`);

/** One alert as a person reads it and as the platform evaluates it. */
export interface CollectedAlert {
  where: string;
  name: string;
  text: string;
  /** Numbers the expression compares with, and how ('>' fires above, '<' below, '==' on a state). */
  comparisons: Array<{ op: '>' | '<' | '=='; value: number }>;
  /** How long the condition must hold (or the range it sums over when it fires at once), minutes. */
  windowMinutes: number;
}

const deployments = new Map<string, Deployment>();
export function deployment(spec: string): Deployment {
  // With the Bitnami flavor back on production specs (test/k8s/patched-bitnami.ts): their rules are
  // checked too, although the production examples run OpsTree only for want of a patched image.
  if (!deployments.has(spec)) deployments.set(spec, loadPatched(path.join(ROOT, spec)));
  return deployments.get(spec)!;
}

// ---- AWS: the alarm construct in a bare stack, read back from its CloudFormation.

const AWS_OPS: Record<string, '>' | '<'> = {
  GreaterThanThreshold: '>',
  LessThanThreshold: '<',
};

/**
 * The alarms the AWS adapter emits for the spec's flavor: the serverless cache's alarms (thresholds
 * and usage limits as RedisServerlessCache derives them) for `targets.aws.flavor: serverless`, the
 * replication group's otherwise.
 */
export function awsAlerts(spec: string): CollectedAlert[] {
  const d = deployment(spec);
  if (!d.spec.targets.aws) return [];
  const stack = new Stack();
  if (awsFlavor(d.spec) === 'serverless') {
    const thresholds = serverlessAlarmThresholdsFor(
      d.policy,
      d.plan,
      awsServerlessCatalog().limitAlarmPercent,
    );
    if (!thresholds) return [];
    const limits = serverlessUsageLimits(d.plan);
    new ServerlessCacheAlarms(stack, 'Alarms', {
      thresholds,
      cacheName: d.policy.name,
      dataStorageMaxGb: limits.dataStorageMaxGb,
      ecpuPerSecondMax: limits.ecpuPerSecondMax,
      topic: new sns.Topic(stack, 'Topic'),
    });
    return cfnAlerts(spec, stack);
  }
  const thresholds = alarmThresholds(d);
  if (!thresholds) return [];
  new RedisAlarms(stack, 'Alarms', {
    thresholds,
    nodeIds: ['r1-0001-001', 'r1-0001-002'],
    hasReplicas: d.plan.topology.replicasPerShard > 0,
    topic: new sns.Topic(stack, 'Topic'),
    nodeMetric: (metricName, node, options) =>
      new cloudwatch.Metric({
        namespace: 'AWS/ElastiCache',
        metricName,
        dimensionsMap: { CacheClusterId: node },
        ...options,
      }),
  });
  return cfnAlerts(spec, stack);
}

/** The CloudWatch alarms of a stack, as alerts. */
function cfnAlerts(spec: string, stack: Stack): CollectedAlert[] {
  const alarms = Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm');
  return Object.entries(alarms).map(([id, a]) => {
    const p = a.Properties as Record<string, unknown>;
    // A single-metric alarm carries its Period; a metric-math alarm, in the metric it reads.
    const metrics = (p.Metrics ?? []) as Array<{ MetricStat?: { Period: number } }>;
    const period =
      p.Period !== undefined ? Number(p.Period) : metrics.find((m) => m.MetricStat)!.MetricStat!.Period;
    return {
      where: `aws ${spec}`,
      name: id,
      text: String(p.AlarmDescription),
      comparisons: [{ op: AWS_OPS[String(p.ComparisonOperator)], value: Number(p.Threshold) }],
      windowMinutes: (period * Number(p.EvaluationPeriods)) / 60,
    };
  });
}

// ---- GCP and Azure: the Pulumi programs under mocks.

const seconds = (s: unknown) => Number(String(s ?? '0s').replace(/s$/, ''));
const isoMinutes = (s: string) => {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?$/.exec(s);
  if (!m) throw new Error(`not an ISO 8601 window: ${s}`);
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
};

export async function pulumiAlerts(spec: string): Promise<CollectedAlert[]> {
  const d = deployment(spec);
  if (!d.policy.alerts.enabled) return [];
  const out: CollectedAlert[] = [];
  for (const target of PULUMI_TARGETS) {
    const wanted = target === 'gcp' ? d.spec.targets.gcp : d.spec.targets.azure;
    if (!wanted) continue;
    const run = await runProgram(spec, target, { root: ROOT });
    for (const r of run.resources) {
      const i = r.inputs as Record<string, unknown>;
      if (r.type === 'gcp:monitoring/alertPolicy:AlertPolicy') {
        const [c] = i.conditions as Array<{
          displayName: string;
          conditionThreshold: Record<string, unknown>;
        }>;
        const t = c.conditionThreshold;
        const [agg] = t.aggregations as Array<{ alignmentPeriod: string }>;
        const hold = seconds(t.duration);
        out.push({
          where: `${target} ${spec}`,
          name: r.name,
          text: `${String(i.displayName)} | ${c.displayName}`,
          comparisons: [
            { op: t.comparison === 'COMPARISON_LT' ? '<' : '>', value: Number(t.thresholdValue) },
          ],
          windowMinutes: (hold > 0 ? hold : seconds(agg.alignmentPeriod)) / 60,
        });
      } else if (r.type === 'azure-native:monitor:MetricAlert') {
        const [c] = (i.criteria as { allOf: Array<Record<string, unknown>> }).allOf;
        out.push({
          where: `${target} ${spec}`,
          name: r.name,
          text: String(i.description),
          comparisons: [{ op: c.operator === 'LessThan' ? '<' : '>', value: Number(c.threshold) }],
          windowMinutes: isoMinutes(String(i.windowSize)),
        });
      }
    }
  }
  return out;
}

// ---- Kubernetes: the PrometheusRule (OpsTree) and the Bitnami chart's prometheusRule.rules.

/** Every rule set of every flavor of one example, as Prometheus rule groups. */
export function prometheusRuleGroups(
  spec: string,
): Array<{ flavor: string; groups: unknown[]; rules: PromRule[] }> {
  const d = deployment(spec);
  if (!d.spec.targets.kubernetes || !d.policy.alerts.enabled) return [];
  return flavorsOf(d.spec.targets.kubernetes).map((flavor) => {
    const built = buildFlavor(d, flavor);
    if (flavor === 'opstree') {
      const rule = built.objects.find((o) => o.kind === 'PrometheusRule') as unknown as {
        spec: { groups: Array<{ name: string; rules: PromRule[] }> };
      };
      return { flavor, groups: rule.spec.groups, rules: rule.spec.groups.flatMap((g) => g.rules) };
    }
    const pr = (built.values as { metrics: { prometheusRule: { rules: PromRule[] } } }).metrics
      .prometheusRule;
    return { flavor, groups: [{ name: `${d.policy.name}-bitnami`, rules: pr.rules }], rules: pr.rules };
  });
}

const DURATION = /^(\d+)([smh])$/;
export function durationMinutes(s: string): number {
  const m = DURATION.exec(s);
  if (!m) throw new Error(`not a Prometheus duration: ${s}`);
  return Number(m[1]) / { s: 60, m: 1, h: 1 / 60 }[m[2] as 's' | 'm' | 'h'];
}

/**
 * The comparisons of a PromQL expression that decide whether it fires: every `> N`, `< N`, `== N`
 * except filters inside parentheses such as `(x > 0)`, which only drop empty series.
 */
export function promComparisons(expr: string): CollectedAlert['comparisons'] {
  return [...expr.matchAll(/(>|<|==)\s*(-?\d+(?:\.\d+)?)(?!\s*\))/g)].map((m) => ({
    op: m[1] as '>' | '<' | '==',
    value: Number(m[2]),
  }));
}

export function promAlert(where: string, r: PromRule): CollectedAlert {
  const hold = durationMinutes(r.for);
  // A rule that fires at once (for: 0m) is about the range it sums, e.g. increase(...[1h]).
  const range = /\[(\d+[smh])\]/.exec(r.expr)?.[1];
  return {
    where,
    name: r.alert,
    text: `${r.annotations.summary} | ${r.annotations.description}`,
    comparisons: promComparisons(r.expr),
    windowMinutes: hold > 0 || !range ? hold : durationMinutes(range),
  };
}

export function k8sAlerts(spec: string): CollectedAlert[] {
  return prometheusRuleGroups(spec).flatMap(({ flavor, rules }) =>
    rules.map((r) => promAlert(`${flavor} ${spec}`, r)),
  );
}

// ---- The check: the text states the threshold, its direction and the window of the expression.

const numbersIn = (text: string) =>
  [...text.replace(/\{\{[^}]*\}\}/g, '').matchAll(/-?\d+(?:\.\d+)?/g)].map((m) => Number(m[0]));
const near = (a: number, b: number) => Math.abs(a - b) < 1e-9 * Math.max(1, Math.abs(a));

/** Why the text and the expression of an alert disagree; empty when they agree. */
export function mismatches(a: CollectedAlert): string[] {
  const problems: string[] = [];
  const numbers = numbersIn(a.text);
  for (const c of a.comparisons) {
    if (c.op === '==') continue; // a state (down, failing), not a threshold
    const stated =
      numbers.some((n) => near(n, c.value)) ||
      // A ratio stated as a percentage (0.9 -> "90%").
      (c.value > 0 && c.value < 1 && new RegExp(`\\b${Math.round(c.value * 1e6) / 1e4}%`).test(a.text));
    if (!stated) problems.push(`threshold ${c.value} of the expression is not in the text`);
    const above = /\b(above|more than|exceeds|over)\b/i.test(a.text);
    const below = /\b(below|fewer than|under)\b/i.test(a.text);
    if (c.op === '>' && !above)
      problems.push(`the expression fires above ${c.value}; the text does not say "above"`);
    if (c.op === '<' && !below)
      problems.push(`the expression fires below ${c.value}; the text does not say "below"`);
  }
  const w = a.windowMinutes;
  if (w > 0 && !new RegExp(`\\b${w} minutes?\\b`).test(a.text)) {
    problems.push(`the window is ${w} minute(s); the text does not state "${w} minute${w === 1 ? '' : 's'}"`);
  }
  return problems;
}

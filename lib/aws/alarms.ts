/**
 * CloudWatch alarms on a replication group. ElastiCache publishes engine metrics per node
 * (dimension CacheClusterId), so each alarm watches a metric-math aggregate over the nodes.
 * An alarm may hold at most 10 queries, so nodes are grouped 9 to an alarm (plus the expression).
 */
import { Duration } from 'aws-cdk-lib/core';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { Plan } from '../planner/types';
import type { ResolvedPolicy } from '../policy/types';

/** Metric queries per alarm besides the expression itself (CloudWatch allows 10 in total). */
export const NODES_PER_ALARM = 9;
const QUERIES_PER_ALARM = NODES_PER_ALARM;

export interface RedisAlarmThresholds {
  /** EngineCPUUtilization, percent, on the busiest node. */
  readonly cpuPercent: number;
  /**
   * CPUUtilization (whole host), percent, on the busiest node: the guide's 70% warning.
   * @default - no host CPU warning
   */
  readonly cpuWarningPercent?: number;
  /**
   * Lowest keyspace hit rate (0..1) over the nodes of one alarm group, from CacheHits / (CacheHits + CacheMisses).
   * @default - no hit-rate alarm
   */
  readonly hitRateMin?: number;
  /**
   * p95 of SuccessfulReadRequestLatency / SuccessfulWriteRequestLatency, milliseconds, on the slowest
   * node. ElastiCache publishes these only for Valkey 7.2 and later on node-based clusters.
   * @default - no latency alarms
   */
  readonly latencyP95Ms?: number;
  /** DatabaseMemoryUsagePercentage, percent, on the fullest node. */
  readonly memoryPercent: number;
  /** Evictions per hour, summed over the nodes of one alarm group. */
  readonly evictionsPerHour: number;
  /** maxclients per node the plan configured; CurrConnections is compared with a share of it. */
  readonly maxClients: number;
  /** Share of maxClients, percent, that raises the connections alarm. */
  readonly connectionsPercent: number;
  /** ReplicationLag, seconds, on the slowest replica. */
  readonly replicationLagSeconds: number;
}

/** The alarm thresholds for a policy and plan (none when the policy's alerts are off). */
export function alarmThresholdsFor(policy: ResolvedPolicy, plan: Plan): RedisAlarmThresholds | undefined {
  if (!policy.alerts.enabled) return undefined;
  return {
    cpuPercent: policy.alerts.cpuPercent,
    cpuWarningPercent: policy.alerts.cpuWarningPercent,
    hitRateMin: policy.alerts.hitRateMin,
    // ElastiCache publishes SuccessfulRead/WriteRequestLatency for Valkey 7.2+ node-based clusters
    // only (every ElastiCache Valkey version is 7.2+); Redis OSS has no server-side latency metric.
    ...(policy.engine === 'valkey' ? { latencyP95Ms: policy.alerts.latencyP95Ms } : {}),
    memoryPercent: policy.alerts.memoryPercent,
    evictionsPerHour: policy.alerts.evictionsPerHour,
    maxClients: plan.connections.maxclients,
    connectionsPercent: policy.alerts.connectionsPercent,
    replicationLagSeconds: policy.alerts.replicationLagSeconds,
  };
}

export interface RedisAlarmsProps {
  readonly thresholds: RedisAlarmThresholds;
  /** CacheClusterId of every node. */
  readonly nodeIds: string[];
  /** Whether any node is a replica (ReplicationLag exists only on replicas). */
  readonly hasReplicas: boolean;
  readonly topic: sns.ITopic;
  /** Per-node metric factory of the replication group. */
  readonly nodeMetric: (
    metricName: string,
    nodeId: string,
    props?: cloudwatch.MetricOptions,
  ) => cloudwatch.Metric;
}

/**
 * One alarm before it is split over node groups. `metrics` are read per node; `expression` combines
 * their query ids (`ids[metric][node]`) into the one series the threshold is compared with.
 */
interface AlarmSpec {
  id: string;
  metrics: Array<{ name: string; statistic: string }>;
  expression: (ids: string[][]) => string;
  label: string;
  period: Duration;
  comparison: cloudwatch.ComparisonOperator;
  threshold: number;
  evaluationPeriods: number;
  description: string;
  /** Missing data: a node that does not report (a primary for ReplicationLag) is not a breach. */
  treatMissingData: cloudwatch.TreatMissingData;
}

const GT = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;
const LT = cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD;
const MISSING = cloudwatch.TreatMissingData.MISSING;
const NOT_BREACHING = cloudwatch.TreatMissingData.NOT_BREACHING;

/** An alarm on one per-node metric, aggregated over the nodes of a group with MAX or SUM. */
function single(
  metricName: string,
  statistic: string,
  aggregate: 'MAX' | 'SUM',
  rest: Omit<AlarmSpec, 'metrics' | 'expression' | 'label' | 'comparison'> & {
    comparison?: cloudwatch.ComparisonOperator;
  },
): AlarmSpec {
  return {
    metrics: [{ name: metricName, statistic }],
    expression: () => `${aggregate}(METRICS())`,
    label: `${aggregate} ${metricName}`,
    comparison: GT,
    ...rest,
  };
}

/** Minutes an alarm looks at before it fires: period x evaluation periods. */
const windowMinutes = (s: { period: Duration; evaluationPeriods: number }) =>
  s.period.toMinutes() * s.evaluationPeriods;

/**
 * The alarms. Metric names and units are CloudWatch's AWS/ElastiCache ones:
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html (engine metrics:
 * EngineCPUUtilization, DatabaseMemoryUsagePercentage, CacheHits, CacheMisses, ReplicationLag, and
 * SuccessfulReadRequestLatency / SuccessfulWriteRequestLatency in microseconds, which accept
 * percentile statistics such as p95) and CacheMetrics.HostLevel.html (CPUUtilization, the whole host).
 */
export function alarmSpecs(t: RedisAlarmThresholds, hasReplicas: boolean): AlarmSpec[] {
  const minute = Duration.minutes(1);
  const five = Duration.minutes(5);
  const connections = Math.floor((t.maxClients * t.connectionsPercent) / 100);
  const specs: AlarmSpec[] = [
    single('EngineCPUUtilization', cloudwatch.Stats.AVERAGE, 'MAX', {
      id: 'EngineCpu',
      period: five,
      threshold: t.cpuPercent,
      evaluationPeriods: 3,
      description: `Redis engine thread above ${t.cpuPercent}% CPU on a node for 15 minutes`,
      treatMissingData: MISSING,
    }),
  ];
  if (t.cpuWarningPercent !== undefined) {
    specs.push(
      single('CPUUtilization', cloudwatch.Stats.AVERAGE, 'MAX', {
        id: 'HostCpuWarning',
        period: five,
        threshold: t.cpuWarningPercent,
        evaluationPeriods: 3,
        description: `Warning: host CPU (CPUUtilization) above ${t.cpuWarningPercent}% on a node for 15 minutes`,
        treatMissingData: MISSING,
      }),
    );
  }
  specs.push(
    single('DatabaseMemoryUsagePercentage', cloudwatch.Stats.MAXIMUM, 'MAX', {
      id: 'Memory',
      period: minute,
      threshold: t.memoryPercent,
      evaluationPeriods: 5,
      description: `Dataset above ${t.memoryPercent}% of maxmemory on a node for 5 minutes`,
      treatMissingData: MISSING,
    }),
    single('Evictions', cloudwatch.Stats.SUM, 'SUM', {
      id: 'Evictions',
      period: Duration.hours(1),
      threshold: t.evictionsPerHour,
      evaluationPeriods: 1,
      description: `More than ${t.evictionsPerHour} keys evicted in 60 minutes`,
      treatMissingData: NOT_BREACHING,
    }),
    single('CurrConnections', cloudwatch.Stats.MAXIMUM, 'MAX', {
      id: 'Connections',
      period: minute,
      threshold: connections,
      evaluationPeriods: 5,
      description: `Client connections above ${t.connectionsPercent}% of the planned maxclients ${t.maxClients} (${connections}) on a node for 5 minutes`,
      treatMissingData: MISSING,
    }),
  );
  if (t.hitRateMin !== undefined) {
    const percent = round(t.hitRateMin * 100);
    specs.push({
      id: 'KeyspaceHitRate',
      metrics: [
        { name: 'CacheHits', statistic: cloudwatch.Stats.SUM },
        { name: 'CacheMisses', statistic: cloudwatch.Stats.SUM },
      ],
      // Summed over the group's nodes, so an idle replica does not drag the rate down; no lookups
      // at all (0 / 0) gives no data, which is not a breach.
      expression: ([hits, misses]) =>
        `100 * SUM([${hits.join(',')}]) / (SUM([${hits.join(',')}]) + SUM([${misses.join(',')}]))`,
      label: 'keyspace hit rate (%)',
      period: five,
      comparison: LT,
      threshold: percent,
      evaluationPeriods: 3,
      description: `Keyspace hit rate below ${percent}% (CacheHits / (CacheHits + CacheMisses)) for 15 minutes`,
      treatMissingData: NOT_BREACHING,
    });
  }
  if (t.latencyP95Ms !== undefined) {
    const micros = round(t.latencyP95Ms * 1000);
    for (const kind of ['Read', 'Write'] as const) {
      specs.push(
        single(`Successful${kind}RequestLatency`, cloudwatch.Stats.percentile(95), 'MAX', {
          id: `${kind}LatencyP95`,
          period: five,
          threshold: micros,
          evaluationPeriods: 1,
          description: `p95 ${kind.toLowerCase()} latency above ${t.latencyP95Ms} ms (${micros} microseconds) on a node over 5 minutes`,
          treatMissingData: NOT_BREACHING,
        }),
      );
    }
  }
  if (hasReplicas) {
    specs.push(
      single('ReplicationLag', cloudwatch.Stats.MAXIMUM, 'MAX', {
        id: 'ReplicationLag',
        period: minute,
        threshold: t.replicationLagSeconds,
        evaluationPeriods: 5,
        description: `A replica more than ${t.replicationLagSeconds} s behind its primary for 5 minutes`,
        treatMissingData: NOT_BREACHING,
      }),
    );
  }
  for (const spec of specs) {
    if (!spec.description.includes(`${windowMinutes(spec)} minutes`)) {
      throw new Error(
        `alarm ${spec.id}: its description must state its ${windowMinutes(spec)}-minute window`,
      );
    }
  }
  return specs;
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

export class RedisAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: RedisAlarmsProps) {
    super(scope, id);
    const action = new actions.SnsAction(props.topic);
    for (const spec of alarmSpecs(props.thresholds, props.hasReplicas)) {
      const groups = chunk(props.nodeIds, Math.floor(QUERIES_PER_ALARM / spec.metrics.length));
      groups.forEach((nodes, g) => {
        const alarm = this.alarm(spec, nodes, g, groups.length, props);
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
        this.alarms.push(alarm);
      });
    }
  }

  private alarm(spec: AlarmSpec, nodes: string[], group: number, groups: number, props: RedisAlarmsProps) {
    const usingMetrics: Record<string, cloudwatch.IMetric> = {};
    const ids = spec.metrics.map((m, mi) =>
      nodes.map((node, i) => {
        // The first metric keeps the historic ids n0..n8 (unchanged logical templates).
        const key = mi === 0 ? `n${i}` : `m${mi}n${i}`;
        usingMetrics[key] = props.nodeMetric(m.name, node, { statistic: m.statistic, period: spec.period });
        return key;
      }),
    );
    const expression = new cloudwatch.MathExpression({
      expression: spec.expression(ids),
      usingMetrics,
      period: spec.period,
      label: spec.label,
    });
    const suffix = groups > 1 ? `Nodes${group + 1}` : '';
    return new cloudwatch.Alarm(this, `${spec.id}${suffix}`, {
      metric: expression,
      threshold: spec.threshold,
      evaluationPeriods: spec.evaluationPeriods,
      comparisonOperator: spec.comparison,
      treatMissingData: spec.treatMissingData,
      alarmDescription: `${spec.description}${groups > 1 ? ` (nodes ${nodes[0]} to ${nodes[nodes.length - 1]})` : ''}`,
    });
  }
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

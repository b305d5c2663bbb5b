/**
 * CloudWatch alarms on an ElastiCache Serverless cache. A serverless cache has no nodes: it publishes
 * one series per cache in AWS/ElastiCache with the dimension `clusterId` (the cache name), and no CPU,
 * memory-percentage or replication-lag metric. Memory and compute are watched against the cache's
 * usage limits instead (BytesUsedForCache vs the DataStorage maximum, ECPUs per second vs the
 * ECPUPerSecond maximum), plus throttling, evictions, connections, hit rate and request latency:
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/serverless-metrics-events-redis.html
 */
import { Duration } from 'aws-cdk-lib/core';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { Plan } from '../planner/types';
import type { ResolvedPolicy } from '../policy/types';

/**
 * CloudWatch dimension of serverless cache metrics: `clusterId` = the serverless cache name (not
 * CacheClusterId, and not ServerlessCacheName, which @aws-cdk/aws-elasticache-alpha 2.235.1 uses).
 * `aws cloudwatch list-metrics --namespace AWS/ElastiCache` shows `clusterId` for serverless caches:
 * open-constructs/aws-cdk-library#68, grafana/grafana-aws-sdk#151, cdklabs/cdk-monitoring-constructs#750.
 */
export const SERVERLESS_METRIC_DIMENSION = 'clusterId';

/** Bytes per GB of the DataStorage limit (the smaller reading, so the alarm fires early rather than late). */
export const BYTES_PER_LIMIT_GB = 1_000_000_000;

export interface ServerlessAlarmThresholds {
  /** Share of the DataStorage maximum, percent, that raises the data-storage alarm. */
  readonly dataStoragePercent: number;
  /** Share of the ECPUPerSecond maximum, percent, that raises the compute alarm. */
  readonly ecpuPercent: number;
  /** Evictions per hour. */
  readonly evictionsPerHour: number;
  /** Client connections that raise the connections alarm. */
  readonly connections: number;
  /**
   * Lowest CacheHitRate, 0..1.
   * @default - no hit-rate alarm
   */
  readonly hitRateMin?: number;
  /**
   * p95 of SuccessfulReadRequestLatency / SuccessfulWriteRequestLatency, milliseconds (serverless
   * caches publish them for Redis OSS and Valkey).
   * @default - no latency alarms
   */
  readonly latencyP95Ms?: number;
}

/** The thresholds for a policy and plan (none when the policy's alerts are off). */
export function serverlessAlarmThresholdsFor(
  policy: ResolvedPolicy,
  plan: Plan,
  limitAlarmPercent: number,
): ServerlessAlarmThresholds | undefined {
  if (!policy.alerts.enabled) return undefined;
  return {
    // The stricter of AWS's advice (75% of a usage maximum) and the policy's memory/CPU thresholds.
    dataStoragePercent: Math.min(limitAlarmPercent, policy.alerts.memoryPercent),
    ecpuPercent: Math.min(limitAlarmPercent, policy.alerts.cpuPercent),
    evictionsPerHour: policy.alerts.evictionsPerHour,
    connections: Math.floor((plan.connections.maxclients * policy.alerts.connectionsPercent) / 100),
    hitRateMin: policy.alerts.hitRateMin,
    latencyP95Ms: policy.alerts.latencyP95Ms,
  };
}

export interface ServerlessCacheAlarmsProps {
  readonly thresholds: ServerlessAlarmThresholds;
  /** The serverless cache name (the `clusterId` dimension). */
  readonly cacheName: string;
  /** CacheUsageLimits.DataStorage maximum, GB. */
  readonly dataStorageMaxGb: number;
  /** CacheUsageLimits.ECPUPerSecond maximum. */
  readonly ecpuPerSecondMax: number;
  readonly topic: sns.ITopic;
}

interface Spec {
  id: string;
  metric: cloudwatch.IMetric;
  comparison: cloudwatch.ComparisonOperator;
  threshold: number;
  evaluationPeriods: number;
  description: string;
  treatMissingData: cloudwatch.TreatMissingData;
}

const GT = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;
const LT = cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD;
const round = (n: number) => Math.round(n * 1e6) / 1e6;

export class ServerlessCacheAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ServerlessCacheAlarmsProps) {
    super(scope, id);
    const action = new actions.SnsAction(props.topic);
    for (const spec of serverlessAlarmSpecs(props)) {
      const alarm = new cloudwatch.Alarm(this, spec.id, {
        metric: spec.metric,
        threshold: spec.threshold,
        evaluationPeriods: spec.evaluationPeriods,
        comparisonOperator: spec.comparison,
        treatMissingData: spec.treatMissingData,
        alarmDescription: spec.description,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      this.alarms.push(alarm);
    }
  }
}

/** One metric of the cache. */
export function serverlessMetric(
  cacheName: string,
  metricName: string,
  props?: cloudwatch.MetricOptions,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/ElastiCache',
    metricName,
    dimensionsMap: { [SERVERLESS_METRIC_DIMENSION]: cacheName },
    period: Duration.minutes(1),
    ...props,
  });
}

/** The alarms of a serverless cache; each description states its window in minutes. */
export function serverlessAlarmSpecs(p: Omit<ServerlessCacheAlarmsProps, 'topic'>): Spec[] {
  const t = p.thresholds;
  const minute = Duration.minutes(1);
  const five = Duration.minutes(5);
  const m = (name: string, statistic: string, period = minute) =>
    serverlessMetric(p.cacheName, name, { statistic, period });
  const storageBytes = Math.floor((p.dataStorageMaxGb * BYTES_PER_LIMIT_GB * t.dataStoragePercent) / 100);
  const ecpu = Math.floor((p.ecpuPerSecondMax * t.ecpuPercent) / 100);
  const specs: Spec[] = [
    {
      id: 'DataStorage',
      metric: m('BytesUsedForCache', cloudwatch.Stats.MAXIMUM),
      comparison: GT,
      threshold: storageBytes,
      evaluationPeriods: 5,
      description: `Data above ${t.dataStoragePercent}% of the ${p.dataStorageMaxGb} GB DataStorage maximum (BytesUsedForCache > ${storageBytes}) for 5 minutes: at the maximum ElastiCache evicts keys with a TTL, then refuses writes`,
      treatMissingData: cloudwatch.TreatMissingData.MISSING,
    },
    {
      id: 'Ecpu',
      // ECPUs are counted per period; per second is what the ECPUPerSecond limit caps.
      metric: new cloudwatch.MathExpression({
        expression: 'ecpu / PERIOD(ecpu)',
        usingMetrics: { ecpu: m('ElastiCacheProcessingUnits', cloudwatch.Stats.SUM) },
        period: minute,
        label: 'ECPUs per second',
      }),
      comparison: GT,
      threshold: ecpu,
      evaluationPeriods: 5,
      description: `ECPUs per second above ${t.ecpuPercent}% of the ${p.ecpuPerSecondMax} ECPUPerSecond maximum (${ecpu}) for 5 minutes: at the maximum ElastiCache throttles requests`,
      treatMissingData: cloudwatch.TreatMissingData.MISSING,
    },
    {
      id: 'Throttled',
      metric: m('ThrottledCmds', cloudwatch.Stats.SUM),
      comparison: GT,
      threshold: 0,
      evaluationPeriods: 5,
      description:
        'Requests throttled (ThrottledCmds above 0) in each of 5 minutes: the workload grows faster than the cache scales, or it hit the ECPU maximum',
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    },
    {
      id: 'Evictions',
      metric: m('Evictions', cloudwatch.Stats.SUM, Duration.hours(1)),
      comparison: GT,
      threshold: t.evictionsPerHour,
      evaluationPeriods: 1,
      description: `More than ${t.evictionsPerHour} keys evicted in 60 minutes`,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    },
    {
      id: 'Connections',
      metric: m('CurrConnections', cloudwatch.Stats.MAXIMUM),
      comparison: GT,
      threshold: t.connections,
      evaluationPeriods: 5,
      description: `Client connections above ${t.connections} for 5 minutes`,
      treatMissingData: cloudwatch.TreatMissingData.MISSING,
    },
  ];
  if (t.hitRateMin !== undefined) {
    const percent = round(t.hitRateMin * 100);
    specs.push({
      id: 'KeyspaceHitRate',
      metric: m('CacheHitRate', cloudwatch.Stats.AVERAGE, five),
      comparison: LT,
      threshold: percent,
      evaluationPeriods: 3,
      description: `Keyspace hit rate below ${percent}% (CacheHitRate) for 15 minutes`,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
  if (t.latencyP95Ms !== undefined) {
    const micros = round(t.latencyP95Ms * 1000);
    for (const kind of ['Read', 'Write'] as const) {
      specs.push({
        id: `${kind}LatencyP95`,
        metric: m(`Successful${kind}RequestLatency`, cloudwatch.Stats.percentile(95), five),
        comparison: GT,
        threshold: micros,
        evaluationPeriods: 1,
        description: `p95 ${kind.toLowerCase()} latency above ${t.latencyP95Ms} ms (${micros} microseconds) over 5 minutes`,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
  }
  return specs;
}

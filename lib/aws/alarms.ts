/**
 * CloudWatch alarms on a replication group. ElastiCache publishes engine metrics per node
 * (dimension CacheClusterId), so each alarm watches a metric-math aggregate over the nodes.
 * An alarm may hold at most 10 queries, so nodes are grouped 9 to an alarm (plus the expression).
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** Metric queries per alarm besides the expression itself (CloudWatch allows 10 in total). */
export const NODES_PER_ALARM = 9;

export interface RedisAlarmThresholds {
  /** EngineCPUUtilization, percent, on the busiest node. */
  readonly cpuPercent: number;
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

interface AlarmSpec {
  id: string;
  metricName: string;
  statistic: string;
  period: Duration;
  aggregate: 'MAX' | 'SUM';
  threshold: number;
  evaluationPeriods: number;
  description: string;
  /** Missing data: a node that does not report (a primary for ReplicationLag) is not a breach. */
  treatMissingData: cloudwatch.TreatMissingData;
}

export class RedisAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: RedisAlarmsProps) {
    super(scope, id);
    const t = props.thresholds;
    const minute = Duration.minutes(1);
    const specs: AlarmSpec[] = [
      {
        id: 'EngineCpu',
        metricName: 'EngineCPUUtilization',
        statistic: cloudwatch.Stats.AVERAGE,
        period: Duration.minutes(5),
        aggregate: 'MAX',
        threshold: t.cpuPercent,
        evaluationPeriods: 3,
        description: `Redis engine thread above ${t.cpuPercent}% CPU on a node for 15 minutes`,
        treatMissingData: cloudwatch.TreatMissingData.MISSING,
      },
      {
        id: 'Memory',
        metricName: 'DatabaseMemoryUsagePercentage',
        statistic: cloudwatch.Stats.MAXIMUM,
        period: minute,
        aggregate: 'MAX',
        threshold: t.memoryPercent,
        evaluationPeriods: 5,
        description: `Dataset above ${t.memoryPercent}% of maxmemory on a node for 5 minutes`,
        treatMissingData: cloudwatch.TreatMissingData.MISSING,
      },
      {
        id: 'Evictions',
        metricName: 'Evictions',
        statistic: cloudwatch.Stats.SUM,
        period: Duration.hours(1),
        aggregate: 'SUM',
        threshold: t.evictionsPerHour,
        evaluationPeriods: 1,
        description: `More than ${t.evictionsPerHour} keys evicted in one hour`,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      },
      {
        id: 'Connections',
        metricName: 'CurrConnections',
        statistic: cloudwatch.Stats.MAXIMUM,
        period: minute,
        aggregate: 'MAX',
        threshold: Math.floor((t.maxClients * t.connectionsPercent) / 100),
        evaluationPeriods: 5,
        description: `Client connections above ${t.connectionsPercent}% of the planned maxclients ${t.maxClients} on a node`,
        treatMissingData: cloudwatch.TreatMissingData.MISSING,
      },
    ];
    if (props.hasReplicas) {
      specs.push({
        id: 'ReplicationLag',
        metricName: 'ReplicationLag',
        statistic: cloudwatch.Stats.MAXIMUM,
        period: minute,
        aggregate: 'MAX',
        threshold: t.replicationLagSeconds,
        evaluationPeriods: 5,
        description: `A replica more than ${t.replicationLagSeconds} s behind its primary for 5 minutes`,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
    const action = new actions.SnsAction(props.topic);
    const groups = chunk(props.nodeIds, NODES_PER_ALARM);
    for (const spec of specs) {
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
    nodes.forEach((node, i) => {
      usingMetrics[`n${i}`] = props.nodeMetric(spec.metricName, node, {
        statistic: spec.statistic,
        period: spec.period,
      });
    });
    const expression = new cloudwatch.MathExpression({
      expression: `${spec.aggregate}(METRICS())`,
      usingMetrics,
      period: spec.period,
      label: `${spec.aggregate} ${spec.metricName}`,
    });
    const suffix = groups > 1 ? `Nodes${group + 1}` : '';
    return new cloudwatch.Alarm(this, `${spec.id}${suffix}`, {
      metric: expression,
      threshold: spec.threshold,
      evaluationPeriods: spec.evaluationPeriods,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
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

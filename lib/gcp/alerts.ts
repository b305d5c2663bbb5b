/**
 * Cloud Monitoring alert policies for a Memorystore instance or cluster: memory usage, connected
 * clients and replication, with the policy's thresholds. Metric names are the ones Google documents
 * for Memorystore for Redis (redis_instance) and Memorystore for Redis Cluster:
 * https://cloud.google.com/memorystore/docs/redis/supported-monitoring-metrics
 * https://cloud.google.com/memorystore/docs/cluster/supported-monitoring-metrics
 */
import * as pulumi from '@pulumi/pulumi';
import * as monitoring from '@pulumi/gcp/monitoring';
import type { ResolvedPolicy } from '../policy/types';
import { transformed, type Transform } from '../pulumi/transform';

export type MemorystoreKind = 'instance' | 'cluster';

/** One threshold condition before it becomes an AlertPolicy. */
export interface AlertRule {
  /** Short id used in the resource name. */
  id: 'memory' | 'clients' | 'evictions' | 'replication';
  title: string;
  metric: string;
  threshold: number;
  /** What a person should do when it fires. */
  runbook: string;
  /** Alignment window and aligner. @default 60s / ALIGN_MAX */
  alignmentPeriod?: string;
  aligner?: string;
}

/**
 * Memorystore Cluster reports replication delay only in bytes (offset difference). We alert when the
 * difference exceeds 1 MiB per second of lag the policy tolerates: a heuristic, stated as such.
 */
const BYTES_PER_LAG_SECOND = 1024 * 1024;

export function alertRules(
  kind: MemorystoreKind,
  policy: ResolvedPolicy,
  maxClients: number,
  hasReplicas: boolean,
): AlertRule[] {
  const a = policy.alerts;
  const rules: AlertRule[] = [
    {
      id: 'memory',
      title: `memory usage above ${a.memoryPercent}%`,
      metric:
        kind === 'instance'
          ? 'redis.googleapis.com/stats/memory/usage_ratio'
          : 'redis.googleapis.com/cluster/memory/maximum_utilization',
      threshold: a.memoryPercent / 100,
      runbook: 'Check evictions and the largest keys; scale up memory (or add shards) before writes fail.',
    },
    {
      id: 'clients',
      title: `connected clients above ${a.connectionsPercent}% of ${maxClients}`,
      metric:
        kind === 'instance'
          ? 'redis.googleapis.com/clients/connected'
          : 'redis.googleapis.com/cluster/clients/maximum_connected_clients',
      threshold: Math.floor((maxClients * a.connectionsPercent) / 100),
      runbook: 'Look for connection leaks or pool sizes above the plan (REDIS_POOL_SIZE x replicas).',
    },
    {
      id: 'evictions',
      title: `more than ${a.evictionsPerHour} evictions per hour`,
      metric:
        kind === 'instance'
          ? 'redis.googleapis.com/stats/evicted_keys'
          : 'redis.googleapis.com/cluster/stats/total_evicted_keys_count',
      threshold: a.evictionsPerHour,
      runbook:
        'Evictions mean the dataset outgrew maxmemory: check TTLs and the eviction policy, then scale.',
      // Count of evictions over an hour, compared with the per-hour threshold.
      alignmentPeriod: '3600s',
      aligner: 'ALIGN_DELTA',
    },
  ];
  if (hasReplicas) {
    rules.push(
      kind === 'instance'
        ? {
            id: 'replication',
            title: `replica lag above ${a.replicationLagSeconds}s`,
            metric: 'redis.googleapis.com/replication/master/slaves/lag',
            threshold: a.replicationLagSeconds,
            runbook: 'A lagging replica loses writes on failover; check network and write volume.',
          }
        : {
            id: 'replication',
            title: `replication offset difference above ${a.replicationLagSeconds * BYTES_PER_LAG_SECOND} bytes`,
            metric: 'redis.googleapis.com/cluster/replication/maximum_offset_diff',
            threshold: a.replicationLagSeconds * BYTES_PER_LAG_SECOND,
            runbook: 'A lagging replica loses writes on failover; check network and write volume.',
          },
    );
  }
  return rules;
}

export interface MemorystoreAlertsArgs {
  kind: MemorystoreKind;
  policy: ResolvedPolicy;
  project: string;
  /** instance_id (instance) or cluster_id (cluster) label value. */
  resourceId: pulumi.Input<string>;
  maxClients: number;
  hasReplicas: boolean;
  notificationChannels: pulumi.Input<string>[];
  labels: Record<string, string>;
  transform?: Transform<monitoring.AlertPolicyArgs>;
}

/** Create one AlertPolicy per rule, parented to `parent`. */
export function createAlertPolicies(
  name: string,
  args: MemorystoreAlertsArgs,
  parent: pulumi.Resource,
): monitoring.AlertPolicy[] {
  const resourceType = args.kind === 'instance' ? 'redis_instance' : 'redis.googleapis.com/Cluster';
  const idLabel = args.kind === 'instance' ? 'instance_id' : 'cluster_id';
  return alertRules(args.kind, args.policy, args.maxClients, args.hasReplicas).map((rule) => {
    const filter = pulumi.interpolate`metric.type="${rule.metric}" AND resource.type="${resourceType}" AND resource.label.${idLabel}=monitoring.regex.full_match(".*${args.resourceId}")`;
    const policyArgs: monitoring.AlertPolicyArgs = {
      project: args.project,
      displayName: `${args.policy.name}: Redis ${rule.title}`,
      combiner: 'OR',
      severity: rule.id === 'memory' ? 'CRITICAL' : 'WARNING',
      conditions: [
        {
          displayName: rule.title,
          conditionThreshold: {
            filter,
            comparison: 'COMPARISON_GT',
            thresholdValue: rule.threshold,
            duration: rule.alignmentPeriod ? '0s' : '300s',
            aggregations: [
              {
                alignmentPeriod: rule.alignmentPeriod ?? '60s',
                perSeriesAligner: rule.aligner ?? 'ALIGN_MAX',
              },
            ],
          },
        },
      ],
      notificationChannels: args.notificationChannels,
      documentation: { content: rule.runbook, mimeType: 'text/markdown' },
      userLabels: args.labels,
    };
    return new monitoring.AlertPolicy(
      ...transformed(`${name}-alert-${rule.id}`, policyArgs, { parent }, args.transform),
    );
  });
}

/**
 * Cloud Monitoring alert policies for a Memorystore instance or cluster: memory usage, connected
 * clients, evictions, CPU, cache hit ratio and replication, with the policy's thresholds. Metric
 * names are the ones Google documents for Memorystore for Redis (redis_instance) and Memorystore for
 * Redis Cluster:
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
  id: 'memory' | 'clients' | 'evictions' | 'replication' | 'cpu-warning' | 'hit-rate';
  /** States the threshold and the window of the condition (checked by test/alerts/text.test.ts). */
  title: string;
  metric: string;
  threshold: number;
  /** @default 'COMPARISON_GT' */
  comparison?: 'COMPARISON_GT' | 'COMPARISON_LT';
  /** How long the condition must hold. @default '300s' (with the default alignment), '0s' otherwise */
  duration?: string;
  /** Sum the aligned series of one node (e.g. user + system CPU). @default - no cross-series reduction */
  sumPerNode?: boolean;
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
      title: `memory usage above ${a.memoryPercent}% for 5 minutes`,
      metric:
        kind === 'instance'
          ? 'redis.googleapis.com/stats/memory/usage_ratio'
          : 'redis.googleapis.com/cluster/memory/maximum_utilization',
      threshold: a.memoryPercent / 100,
      runbook: 'Check evictions and the largest keys; scale up memory (or add shards) before writes fail.',
    },
    {
      id: 'clients',
      title: `connected clients above ${a.connectionsPercent}% of ${maxClients} (${Math.floor((maxClients * a.connectionsPercent) / 100)}) for 5 minutes`,
      metric:
        kind === 'instance'
          ? 'redis.googleapis.com/clients/connected'
          : 'redis.googleapis.com/cluster/clients/maximum_connected_clients',
      threshold: Math.floor((maxClients * a.connectionsPercent) / 100),
      runbook: 'Look for connection leaks or pool sizes above the plan (REDIS_POOL_SIZE x replicas).',
    },
    {
      id: 'evictions',
      title: `more than ${a.evictionsPerHour} evictions in 60 minutes`,
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
    ...cpuAndHitRate(kind, policy),
  ];
  if (hasReplicas) {
    rules.push(
      kind === 'instance'
        ? {
            id: 'replication',
            title: `replica lag above ${a.replicationLagSeconds} s for 5 minutes`,
            metric: 'redis.googleapis.com/replication/master/slaves/lag',
            threshold: a.replicationLagSeconds,
            runbook: 'A lagging replica loses writes on failover; check network and write volume.',
          }
        : {
            id: 'replication',
            title: `replication offset difference above ${a.replicationLagSeconds * BYTES_PER_LAG_SECOND} bytes for 5 minutes`,
            metric: 'redis.googleapis.com/cluster/replication/maximum_offset_diff',
            threshold: a.replicationLagSeconds * BYTES_PER_LAG_SECOND,
            runbook: 'A lagging replica loses writes on failover; check network and write volume.',
          },
    );
  }
  return rules;
}

/**
 * The guide's CPU warning (70%) and hit-rate floor (0.8). Memorystore for Redis reports
 * `stats/cpu_utilization` (CPU-seconds by space and relationship: the rate summed per node is the
 * share of one core) and `stats/cache_hit_ratio`; Memorystore for Redis Cluster reports
 * `cluster/cpu/maximum_utilization` (0.0 to 1.0) but no documented hit-ratio metric, so the cluster
 * gets no hit-rate alert. Neither reports a latency percentile (commandstats give the mean time per
 * call only), so no p95 latency alert exists on GCP.
 */
function cpuAndHitRate(kind: MemorystoreKind, policy: ResolvedPolicy): AlertRule[] {
  const a = policy.alerts;
  const runbook =
    'CPU near a core: find hot keys and slow commands (SLOWLOG), spread reads to replicas or scale up.';
  if (kind === 'cluster') {
    return [
      {
        id: 'cpu-warning',
        title: `CPU above ${a.cpuWarningPercent}% on the busiest node for 15 minutes`,
        metric: 'redis.googleapis.com/cluster/cpu/maximum_utilization',
        threshold: a.cpuWarningPercent / 100,
        duration: '900s',
        runbook,
      },
    ];
  }
  return [
    {
      id: 'cpu-warning',
      title: `Redis CPU above ${a.cpuWarningPercent}% of one core for 15 minutes`,
      metric: 'redis.googleapis.com/stats/cpu_utilization',
      threshold: a.cpuWarningPercent / 100,
      aligner: 'ALIGN_RATE',
      sumPerNode: true,
      duration: '900s',
      runbook,
    },
    {
      id: 'hit-rate',
      title: `cache hit ratio below ${a.hitRateMin * 100}% for 15 minutes`,
      metric: 'redis.googleapis.com/stats/cache_hit_ratio',
      threshold: a.hitRateMin,
      comparison: 'COMPARISON_LT',
      aligner: 'ALIGN_MEAN',
      duration: '900s',
      runbook:
        'Many misses: check key TTLs against the access pattern, the key prefixes the application reads, and evictions.',
    },
  ];
}

/** How long a rule's condition must hold before the policy fires. */
export function ruleDuration(rule: AlertRule): string {
  return rule.duration ?? (rule.alignmentPeriod ? '0s' : '300s');
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
            comparison: rule.comparison ?? 'COMPARISON_GT',
            thresholdValue: rule.threshold,
            duration: ruleDuration(rule),
            aggregations: [
              {
                alignmentPeriod: rule.alignmentPeriod ?? '60s',
                perSeriesAligner: rule.aligner ?? 'ALIGN_MAX',
                ...(rule.sumPerNode
                  ? {
                      crossSeriesReducer: 'REDUCE_SUM',
                      groupByFields: ['resource.label.instance_id', 'resource.label.node_id'],
                    }
                  : {}),
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

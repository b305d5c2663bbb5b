/**
 * Alerts and dashboards from the policy's thresholds, on redis_exporter metrics.
 *
 * `alertRules()` is shared: the OpsTree chart wraps it in a PrometheusRule, the Bitnami values pass
 * it to the chart's `metrics.prometheusRule.rules`. The PromQL selector differs per flavor (which
 * Service the exporter is scraped through), the thresholds do not.
 */
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  PrometheusRule,
  PrometheusRuleSpecGroupsRulesExpr,
  ServiceMonitor,
  ServiceMonitorSpecEndpointsScheme,
} from '../../k8s/imports/monitoring.coreos.com';
import { serverHas } from '../policy/roles';
import { redisServerOf, type K8sContext } from './context';

/** One Prometheus alerting rule as the PrometheusRule CRD and the Bitnami values take it. */
export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: 'critical' | 'warning' };
  annotations: { summary: string; description: string };
}

/** Thresholds the rules use, all from the policy and the plan (exposed for tests and the report). */
export interface AlertThresholds {
  memoryPercent: number;
  evictionsPerHour: number;
  /** Connected clients that trigger the alert: maxclients x connectionsPercent / 100. */
  connections: number;
  maxclients: number;
  latencyMs: number;
  /** Process CPU (user + system) warning, percent of one core. */
  cpuWarningPercent: number;
  /** Lowest acceptable keyspace hit rate, 0..1. */
  hitRateMin: number;
  replicationLagSeconds: number;
  replicasPerShard: number;
}

/** redis_exporter exports `redis_commands_latencies_usec` (from LATENCY HISTOGRAM) since v1.48.0. */
export const EXPORTER_HISTOGRAM_SINCE = { major: 1, minor: 48 } as const;

/** Where the p95 latency comes from, or why it cannot. */
export interface LatencySource {
  /** The Redis server has LATENCY HISTOGRAM (7.0+), which the metrics role may run. */
  serverHistogram: boolean;
  /** The exporter image is v1.48+ (unknown tag: assumed new enough). */
  exporterHistogram: boolean;
  /** The exporter image reference of this flavor. */
  exporterImage: string;
}

export function latencySource(ctx: K8sContext): LatencySource {
  const server = redisServerOf(ctx.images, ctx.flavor, ctx.policy);
  const exporterImage =
    ctx.flavor === 'opstree'
      ? ctx.images.opstreeExporter
      : `${ctx.images.bitnamiExporterRepository}:${ctx.images.bitnamiExporterTag}`;
  const m = /:v?(\d+)\.(\d+)[^/:]*$/.exec(exporterImage.split('@')[0]);
  const exporterHistogram =
    !m ||
    Number(m[1]) > EXPORTER_HISTOGRAM_SINCE.major ||
    (Number(m[1]) === EXPORTER_HISTOGRAM_SINCE.major && Number(m[2]) >= EXPORTER_HISTOGRAM_SINCE.minor);
  return { serverHistogram: serverHas(server, 7), exporterHistogram, exporterImage };
}

export function alertThresholds(ctx: K8sContext): AlertThresholds {
  const a = ctx.policy.alerts;
  return {
    memoryPercent: a.memoryPercent,
    evictionsPerHour: a.evictionsPerHour,
    connections: Math.floor((ctx.plan.connections.maxclients * a.connectionsPercent) / 100),
    maxclients: ctx.plan.connections.maxclients,
    latencyMs: a.latencyP95Ms,
    cpuWarningPercent: a.cpuWarningPercent,
    hitRateMin: a.hitRateMin,
    replicationLagSeconds: a.replicationLagSeconds,
    replicasPerShard: ctx.plan.topology.replicasPerShard,
  };
}

/**
 * The alert rules. `selector` is a PromQL label matcher list (without braces) selecting this
 * deployment's exporter series, e.g. `namespace="app",service=~"app-(leader|follower)-metrics"`.
 */
export function alertRules(ctx: K8sContext, selector: string): AlertRule[] {
  const t = alertThresholds(ctx);
  const s = `{${selector}}`;
  const who = `${ctx.policy.name} ({{ $labels.namespace }}/{{ $labels.pod }})`;
  const rules: AlertRule[] = [
    {
      alert: 'RedisInstanceDown',
      expr: `redis_up${s} == 0 or up${s} == 0`,
      for: '1m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `Redis instance down for 1 minute: ${who}`,
        description: 'The exporter cannot reach Redis (or the exporter itself is down) for 1 minute.',
      },
    },
    {
      alert: 'RedisMemoryHigh',
      expr: `100 * redis_memory_used_bytes${s} / (redis_memory_max_bytes${s} > 0) > ${t.memoryPercent}`,
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `Redis memory above ${t.memoryPercent}% of maxmemory for 5 minutes: ${who}`,
        description: 'Used memory is {{ $value | humanize }}% of maxmemory; evictions or OOM errors follow.',
      },
    },
    {
      alert: 'RedisEvictions',
      expr: `increase(redis_evicted_keys_total${s}[1h]) > ${t.evictionsPerHour}`,
      for: '0m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `Redis evicted more than ${t.evictionsPerHour} keys in 60 minutes: ${who}`,
        description:
          'Keys are evicted because maxmemory is reached: the cache is too small for the working set.',
      },
    },
    {
      alert: 'RedisConnectionsNearLimit',
      expr: `redis_connected_clients${s} > ${t.connections}`,
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `Redis connections above ${ctx.policy.alerts.connectionsPercent}% of maxclients ${t.maxclients} (${t.connections}) for 5 minutes: ${who}`,
        description: `{{ $value }} clients connected; new connections are refused at ${t.maxclients}.`,
      },
    },
    {
      alert: 'RedisReplicationBroken',
      expr: `redis_master_link_up${s} == 0`,
      for: '2m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `Redis replica lost its primary for 2 minutes: ${who}`,
        description:
          'The replication link is down for 2 minutes; the replica serves stale data and cannot take over.',
      },
    },
    ...cpuHitRateLatencyRules(ctx, t, s, who),
    {
      alert: 'RedisSnapshotFailing',
      expr: `redis_rdb_last_bgsave_status${s} == 0`,
      for: '5m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `Redis background save failing for 5 minutes: ${who}`,
        description: 'The last BGSAVE failed; with stop-writes-on-bgsave-error Redis refuses writes.',
      },
    },
  ];
  if (t.replicasPerShard > 0) {
    rules.push({
      alert: 'RedisReplicasMissing',
      expr: `redis_connected_slaves${s} < ${t.replicasPerShard} and on (namespace, pod) redis_instance_info{role="master",${selector}}`,
      for: '5m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `Redis primary has fewer than ${t.replicasPerShard} replica(s) for 5 minutes: ${who}`,
        description: 'A replica is missing: a failover now would lose data or availability.',
      },
    });
    // INFO replication's per-replica `lag` (seconds since the replica's last REPLCONF ACK, sent every
    // second) is what ElastiCache's ReplicationLag and the guide's "ReplicationLag < 1 second" measure;
    // master_last_io_seconds_ago would idle up to repl-ping-replica-period (10 s) on a quiet primary.
    rules.push({
      alert: 'RedisReplicationLag',
      expr: `redis_connected_slave_lag_seconds${s} > ${t.replicationLagSeconds}`,
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `Redis replica more than ${t.replicationLagSeconds} s behind its primary for 5 minutes: ${who}`,
        description: `Replica {{ $labels.slave_ip }} last acknowledged {{ $value }} s ago (policy lag target ${t.replicationLagSeconds} s).`,
      },
    });
  }
  return rules;
}

/**
 * The guide's CPU warning, hit-rate floor and p95 latency, on redis_exporter series:
 * - CPU: `redis_cpu_sys_seconds_total` + `redis_cpu_user_seconds_total` (INFO cpu), as a rate: the
 *   share of one core the Redis process uses (the engine is single-threaded).
 * - Hit rate: `redis_keyspace_hits_total` / (hits + `redis_keyspace_misses_total`) over 5 minutes;
 *   a pod with no lookups has no value (0 / 0 is filtered out), not a breach.
 * - p95: `histogram_quantile(0.95, ...)` over `redis_commands_latencies_usec_bucket` (microsecond
 *   buckets, all commands of a pod), from LATENCY HISTOGRAM: Redis 7.0+ and redis_exporter v1.48+.
 *   Where the exporter is older the p95 rule stays silent, so a mean-latency rule watches as well
 *   and both descriptions say why; where Redis is older than 7.0 only the mean rule exists.
 */
function cpuHitRateLatencyRules(ctx: K8sContext, t: AlertThresholds, s: string, who: string): AlertRule[] {
  const src = latencySource(ctx);
  const hitPercent = Math.round(t.hitRateMin * 1e6) / 1e4;
  const rules: AlertRule[] = [
    {
      alert: 'RedisCpuHigh',
      expr:
        `100 * (rate(redis_cpu_sys_seconds_total${s}[5m]) + rate(redis_cpu_user_seconds_total${s}[5m]))` +
        ` > ${t.cpuWarningPercent}`,
      for: '15m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `Redis CPU above ${t.cpuWarningPercent}% of one core for 15 minutes: ${who}`,
        description:
          'User + system CPU of the Redis process is {{ $value | humanize }}% of a core; the engine thread saturates at 100%. Check SLOWLOG, hot keys and big keys.',
      },
    },
    {
      alert: 'RedisCacheHitRateLow',
      expr:
        `rate(redis_keyspace_hits_total${s}[5m]) / (rate(redis_keyspace_hits_total${s}[5m]) + rate(redis_keyspace_misses_total${s}[5m]) > 0)` +
        ` < ${t.hitRateMin}`,
      for: '15m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `Redis keyspace hit rate below ${t.hitRateMin} (${hitPercent}%) for 15 minutes: ${who}`,
        description:
          'Hit rate {{ $value | humanizePercentage }}: check TTLs against the access pattern, the key prefixes the application reads, and evictions.',
      },
    },
  ];
  const why = !src.serverHistogram
    ? 'this Redis is older than 7.0 and has no LATENCY HISTOGRAM, so no p95 exists'
    : `the exporter ${src.exporterImage} is older than v${EXPORTER_HISTOGRAM_SINCE.major}.${EXPORTER_HISTOGRAM_SINCE.minor} and exports no latency histogram, so the p95 rule stays silent until it is upgraded`;
  if (src.serverHistogram) {
    rules.push({
      alert: 'RedisHighLatency',
      expr:
        `histogram_quantile(0.95, sum by (namespace, pod, le) (rate(redis_commands_latencies_usec_bucket${s}[5m])))` +
        ` / 1000 > ${t.latencyMs}`,
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `Redis p95 command latency above ${t.latencyMs} ms for 5 minutes: ${who}`,
        description: `Server-side p95 over all commands is {{ $value | humanize }} ms (LATENCY HISTOGRAM via redis_commands_latencies_usec, redis_exporter v1.48+${src.exporterHistogram ? '' : `; ${why}`}); check SLOWLOG and LATENCY LATEST.`,
      },
    });
  }
  if (!src.serverHistogram || !src.exporterHistogram) {
    rules.push({
      alert: 'RedisHighMeanLatency',
      expr:
        `1000 * sum by (namespace, pod) (rate(redis_commands_duration_seconds_total${s}[5m]))` +
        ` / sum by (namespace, pod) (rate(redis_commands_processed_total${s}[5m]) > 0) > ${t.latencyMs}`,
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `Redis mean command latency above ${t.latencyMs} ms for 5 minutes: ${who}`,
        description: `Mean server-side command time, a stand-in for the p95 target because ${why}; check SLOWLOG and LATENCY LATEST.`,
      },
    });
  }
  return rules;
}

export interface RedisMonitoringProps {
  readonly ctx: K8sContext;
  /** Labels of the Service(s) that expose the exporter port. */
  readonly metricsServiceLabels: Record<string, string>;
  /** Values of those Services' `app` label, when the labels alone would match other deployments. @default any */
  readonly metricsServiceApps?: string[];
  /** Name of the exporter port on those Services. @default 'metrics' */
  readonly metricsPortName?: string;
  /** PromQL matcher list selecting this deployment's series (see alertRules). */
  readonly promSelector: string;
  /** Whether to create the ServiceMonitor and PrometheusRule here (false when a Helm chart does). @default true */
  readonly prometheusObjects?: boolean;
}

/** ServiceMonitor + PrometheusRule (unless a chart makes them) + Grafana dashboard ConfigMap. */
export class RedisMonitoring extends Construct {
  readonly rules: AlertRule[];

  constructor(scope: Construct, id: string, props: RedisMonitoringProps) {
    super(scope, id);
    const { ctx } = props;
    const meta = (name: string, extra: Record<string, string> = {}) => ({
      name,
      namespace: ctx.namespace,
      labels: { ...ctx.labels, ...extra },
    });
    this.rules = alertRules(ctx, props.promSelector);
    if (props.prometheusObjects ?? true) {
      new ServiceMonitor(this, 'ServiceMonitor', {
        metadata: meta(`${ctx.name}-redis`),
        spec: {
          selector: {
            matchLabels: props.metricsServiceLabels,
            ...(props.metricsServiceApps?.length
              ? { matchExpressions: [{ key: 'app', operator: 'In', values: props.metricsServiceApps }] }
              : {}),
          },
          namespaceSelector: { matchNames: [ctx.namespace] },
          endpoints: [
            {
              port: props.metricsPortName ?? 'metrics',
              path: '/metrics',
              interval: '30s',
              scheme: ServiceMonitorSpecEndpointsScheme.HTTP,
            },
          ],
        },
      });
      if (ctx.policy.alerts.enabled) {
        new PrometheusRule(this, 'Rules', {
          metadata: meta(`${ctx.name}-redis`),
          spec: {
            groups: [
              {
                name: `${ctx.name}-redis`,
                rules: this.rules.map((r) => ({
                  ...r,
                  expr: PrometheusRuleSpecGroupsRulesExpr.fromString(r.expr),
                })),
              },
            ],
          },
        });
      }
    }
    new kplus.ConfigMap(this, 'Dashboard', {
      // kube-prometheus-stack's Grafana sidecar loads ConfigMaps labelled grafana_dashboard=1.
      metadata: meta(`${ctx.name}-redis-dashboard`, { grafana_dashboard: '1' }),
      data: {
        [`${ctx.name}-redis.json`]: JSON.stringify(grafanaDashboard(ctx, props.promSelector), null, 1),
      },
    });
  }
}

/** A Grafana dashboard (schema 39) with the panels an on-call person checks first. */
export function grafanaDashboard(ctx: K8sContext, selector: string): Record<string, unknown> {
  const s = `{${selector}}`;
  const t = alertThresholds(ctx);
  const src = latencySource(ctx);
  const panels: Array<{ title: string; expr: string; unit: string; threshold?: number }> = [
    { title: 'Instances up', expr: `redis_up${s}`, unit: 'none' },
    {
      title: 'Memory used / maxmemory (%)',
      expr: `100 * redis_memory_used_bytes${s} / (redis_memory_max_bytes${s} > 0)`,
      unit: 'percent',
      threshold: t.memoryPercent,
    },
    {
      title: 'Commands per second',
      expr: `sum by (pod) (rate(redis_commands_processed_total${s}[1m]))`,
      unit: 'ops',
    },
    {
      title: 'Connected clients',
      expr: `redis_connected_clients${s}`,
      unit: 'none',
      threshold: t.connections,
    },
    {
      title: 'Evicted keys per hour',
      expr: `increase(redis_evicted_keys_total${s}[1h])`,
      unit: 'none',
      threshold: t.evictionsPerHour,
    },
    {
      title: 'Keyspace hit ratio',
      expr: `rate(redis_keyspace_hits_total${s}[5m]) / (rate(redis_keyspace_hits_total${s}[5m]) + rate(redis_keyspace_misses_total${s}[5m]))`,
      unit: 'percentunit',
      threshold: t.hitRateMin,
    },
    {
      title: 'CPU (% of one core)',
      expr: `100 * (rate(redis_cpu_sys_seconds_total${s}[5m]) + rate(redis_cpu_user_seconds_total${s}[5m]))`,
      unit: 'percent',
      threshold: t.cpuWarningPercent,
    },
    { title: 'Replication link up (replicas)', expr: `redis_master_link_up${s}`, unit: 'none' },
    src.serverHistogram && src.exporterHistogram
      ? {
          title: 'p95 command latency (ms)',
          expr: `histogram_quantile(0.95, sum by (pod, le) (rate(redis_commands_latencies_usec_bucket${s}[5m]))) / 1000`,
          unit: 'ms',
          threshold: t.latencyMs,
        }
      : {
          title: 'Mean command latency (ms)',
          expr: `1000 * sum by (pod) (rate(redis_commands_duration_seconds_total${s}[5m])) / sum by (pod) (rate(redis_commands_processed_total${s}[5m]))`,
          unit: 'ms',
          threshold: t.latencyMs,
        },
  ];
  return {
    title: `Redis ${ctx.policy.name} (${ctx.flavor})`,
    uid: `redis-${ctx.name}`.slice(0, 40),
    schemaVersion: 39,
    tags: ['redis', ctx.flavor, ctx.policy.profile],
    time: { from: 'now-6h', to: 'now' },
    refresh: '30s',
    templating: {
      list: [{ name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Prometheus' }],
    },
    panels: panels.map((p, i) => ({
      id: i + 1,
      type: 'timeseries',
      title: p.title,
      datasource: { type: 'prometheus', uid: '${datasource}' },
      gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
      fieldConfig: {
        defaults: {
          unit: p.unit,
          thresholds: {
            mode: 'absolute',
            steps: [
              { color: 'green', value: null },
              ...(p.threshold !== undefined ? [{ color: 'red', value: p.threshold }] : []),
            ],
          },
        },
        overrides: [],
      },
      targets: [{ refId: 'A', expr: p.expr, legendFormat: '{{pod}}' }],
    })),
  };
}

/** Render objects of a construct tree as plain JSON (helper for tests of single constructs). */
export function objectsOf(scope: Construct): unknown[] {
  return scope.node
    .findAll()
    .filter((c): c is ApiObject => c instanceof ApiObject)
    .map((o) => o.toJson());
}

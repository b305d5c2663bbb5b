/**
 * Azure Monitor metric alerts for a cache, with the policy's thresholds, sent to the spec's action
 * group or to one created for the policy's alert email. Metric names are Azure Monitor's for
 * Microsoft.Cache/redis and Microsoft.Cache/redisEnterprise:
 * https://learn.microsoft.com/azure/azure-cache-for-redis/monitor-cache-reference
 */
import * as pulumi from '@pulumi/pulumi';
import * as monitor from '@pulumi/azure-native/monitor';
import type { ResolvedPolicy } from '../policy/types';
import { transformed, type Transform } from '../pulumi/transform';

export interface MetricRule {
  id: 'memory' | 'clients' | 'evictions' | 'cpu' | 'cpu-warning' | 'hit-rate' | 'failover';
  /** States the threshold and the window (checked by test/alerts/text.test.ts). */
  title: string;
  metricName: string;
  threshold: number;
  aggregation: 'Maximum' | 'Total' | 'Average';
  /** Evaluation window (ISO 8601). */
  window: string;
  severity: number;
  dimensions?: Array<{ name: string; operator: 'Include'; values: string[] }>;
}

/** Minutes of an ISO 8601 window such as PT5M or PT1H. */
export function windowMinutes(window: string): number {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?$/.exec(window);
  if (!m) throw new Error(`unsupported alert window ${window}`);
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
}

/**
 * The rules for one cache. `maxClients` is the total across shards; `failover` adds an alert on
 * failover errors (Premium reports them as `errors` with ErrorType=Failover; Managed Redis handles
 * replication inside the service and reports no replication metric). `missRate`: the cache reports
 * `cachemissrate` (Azure Cache for Redis does; Azure Managed Redis reports only the cachehits and
 * cachemisses counts, and a static metric alert cannot divide two metrics, so it gets no hit-rate
 * alert). Latency: both report `cacheLatency` as an average in microseconds only (Premium's
 * 99th-percentile metric times PINGs from the load balancer, not commands), so Azure gets no p95
 * latency alert. CPU: `percentProcessorTime` (percent, both resource types) carries the guide's 70%
 * warning; `serverLoad` (the Redis thread's busy share) the critical CPU alert.
 */
export function metricRules(
  policy: ResolvedPolicy,
  maxClients: number,
  failover: boolean,
  missRate = false,
): MetricRule[] {
  const a = policy.alerts;
  const connections = Math.floor((maxClients * a.connectionsPercent) / 100);
  const rules: MetricRule[] = [
    {
      id: 'memory',
      title: `used memory above ${a.memoryPercent}% over 5 minutes`,
      metricName: 'usedmemorypercentage',
      threshold: a.memoryPercent,
      aggregation: 'Maximum',
      window: 'PT5M',
      severity: 1,
    },
    {
      id: 'clients',
      title: `connected clients above ${a.connectionsPercent}% of ${maxClients} (${connections}) over 5 minutes`,
      metricName: 'connectedclients',
      threshold: connections,
      aggregation: 'Maximum',
      window: 'PT5M',
      severity: 2,
    },
    {
      id: 'evictions',
      title: `more than ${a.evictionsPerHour} evictions in 60 minutes`,
      metricName: 'evictedkeys',
      threshold: a.evictionsPerHour,
      aggregation: 'Total',
      window: 'PT1H',
      severity: 2,
    },
    {
      id: 'cpu',
      title: `server load above ${a.cpuPercent}% over 5 minutes`,
      metricName: 'serverLoad',
      threshold: a.cpuPercent,
      aggregation: 'Maximum',
      window: 'PT5M',
      severity: 2,
    },
    {
      id: 'cpu-warning',
      title: `warning: CPU above ${a.cpuWarningPercent}% on average over 15 minutes`,
      metricName: 'percentProcessorTime',
      threshold: a.cpuWarningPercent,
      aggregation: 'Average',
      window: 'PT15M',
      severity: 3,
    },
  ];
  if (missRate) {
    const missPercent = Math.round((1 - a.hitRateMin) * 1e6) / 1e4;
    rules.push({
      id: 'hit-rate',
      title: `cache hit rate below ${Math.round(a.hitRateMin * 1e6) / 1e4}% (miss rate above ${missPercent}%) on average over 15 minutes`,
      metricName: 'cachemissrate',
      threshold: missPercent,
      aggregation: 'Average',
      window: 'PT15M',
      severity: 3,
    });
  }
  if (failover) {
    rules.push({
      id: 'failover',
      title:
        'a failover happened (replication to the replica was broken): more than 0 failover errors over 5 minutes',
      metricName: 'errors',
      threshold: 0,
      aggregation: 'Maximum',
      window: 'PT5M',
      severity: 1,
      dimensions: [{ name: 'ErrorType', operator: 'Include', values: ['Failover'] }],
    });
  }
  return rules;
}

export interface MetricAlertsArgs {
  policy: ResolvedPolicy;
  resourceGroupName: string;
  scope: pulumi.Input<string>;
  maxClients: number;
  failover: boolean;
  /** The cache reports `cachemissrate` (Azure Cache for Redis). @default false */
  missRate?: boolean;
  actionGroupId?: string;
  tags: Record<string, string>;
  transform?: Transform<monitor.MetricAlertArgs>;
}

/** The action group alerts go to: the spec's, or an email group when the policy has an address. */
function actionGroup(
  name: string,
  args: MetricAlertsArgs,
  parent: pulumi.Resource,
): pulumi.Input<string> | undefined {
  if (args.actionGroupId) return args.actionGroupId;
  if (!args.policy.alerts.email) return undefined;
  return new monitor.ActionGroup(
    `${name}-alerts-email`,
    {
      actionGroupName: `${args.policy.name}-redis-alerts`,
      resourceGroupName: args.resourceGroupName,
      location: 'global',
      enabled: true,
      // Short names are shown in SMS/email and limited to 12 characters.
      groupShortName: args.policy.name.replace(/-/g, '').slice(0, 12),
      emailReceivers: [
        { name: 'redis-owner', emailAddress: args.policy.alerts.email, useCommonAlertSchema: true },
      ],
      tags: args.tags,
    },
    { parent },
  ).id;
}

export function createMetricAlerts(
  name: string,
  args: MetricAlertsArgs,
  parent: pulumi.Resource,
): monitor.MetricAlert[] {
  const groupId = actionGroup(name, args, parent);
  return metricRules(args.policy, args.maxClients, args.failover, args.missRate).map((rule) => {
    const alertArgs: monitor.MetricAlertArgs = {
      ruleName: `${args.policy.name}-redis-${rule.id}`,
      resourceGroupName: args.resourceGroupName,
      location: 'global',
      description: `${args.policy.name}: Redis ${rule.title}`,
      enabled: true,
      severity: rule.severity,
      scopes: [args.scope],
      evaluationFrequency: 'PT1M',
      windowSize: rule.window,
      autoMitigate: true,
      criteria: {
        odataType: 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria',
        allOf: [
          {
            criterionType: 'StaticThresholdCriterion',
            name: rule.id,
            metricName: rule.metricName,
            operator: 'GreaterThan',
            threshold: rule.threshold,
            timeAggregation: rule.aggregation,
            ...(rule.dimensions ? { dimensions: rule.dimensions } : {}),
          },
        ],
      },
      actions: groupId ? [{ actionGroupId: groupId }] : [],
      tags: args.tags,
    };
    return new monitor.MetricAlert(
      ...transformed(`${name}-alert-${rule.id}`, alertArgs, { parent }, args.transform),
    );
  });
}

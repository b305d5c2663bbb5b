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
  id: 'memory' | 'clients' | 'evictions' | 'cpu' | 'failover';
  title: string;
  metricName: string;
  threshold: number;
  aggregation: 'Maximum' | 'Total' | 'Average';
  /** Evaluation window (ISO 8601). */
  window: string;
  severity: number;
  dimensions?: Array<{ name: string; operator: 'Include'; values: string[] }>;
}

/**
 * The rules for one cache. `maxClients` is the total across shards; `failover` adds an alert on
 * failover errors (Premium reports them as `errors` with ErrorType=Failover; Managed Redis handles
 * replication inside the service and reports no replication metric).
 */
export function metricRules(policy: ResolvedPolicy, maxClients: number, failover: boolean): MetricRule[] {
  const a = policy.alerts;
  const rules: MetricRule[] = [
    {
      id: 'memory',
      title: `used memory above ${a.memoryPercent}%`,
      metricName: 'usedmemorypercentage',
      threshold: a.memoryPercent,
      aggregation: 'Maximum',
      window: 'PT5M',
      severity: 1,
    },
    {
      id: 'clients',
      title: `connected clients above ${a.connectionsPercent}% of ${maxClients}`,
      metricName: 'connectedclients',
      threshold: Math.floor((maxClients * a.connectionsPercent) / 100),
      aggregation: 'Maximum',
      window: 'PT5M',
      severity: 2,
    },
    {
      id: 'evictions',
      title: `more than ${a.evictionsPerHour} evictions per hour`,
      metricName: 'evictedkeys',
      threshold: a.evictionsPerHour,
      aggregation: 'Total',
      window: 'PT1H',
      severity: 2,
    },
    {
      id: 'cpu',
      title: `server load above ${a.cpuPercent}%`,
      metricName: 'serverLoad',
      threshold: a.cpuPercent,
      aggregation: 'Maximum',
      window: 'PT5M',
      severity: 2,
    },
  ];
  if (failover) {
    rules.push({
      id: 'failover',
      title: 'a failover happened (replication to the replica was broken)',
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
  return metricRules(args.policy, args.maxClients, args.failover).map((rule) => {
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

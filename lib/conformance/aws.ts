/** Evidence from a synthesized CloudFormation template (dist/<id>/aws/*.template.json). */
import { ELASTICACHE_ROLES, supportsTransitEncryptionMode } from '../aws/engine';
import { roleModel, type DeclaredUser } from '../policy/roles';
import type { ResolvedPolicy } from '../policy/types';
import { check, fail, na, pass, type Evidence, type TargetEvidence, everyInvariant } from './types';

interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}
export interface CfnTemplate {
  Resources?: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown }>;
}

const ofType = (t: CfnTemplate, type: string) =>
  Object.values(t.Resources ?? {}).filter((r) => r.Type === type);

/** Render a CloudFormation value for humans: intrinsics become ${Logical.Attr}. */
export function cfnText(v: unknown): string {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('Ref' in o) return `\${${String(o.Ref)}}`;
    if ('Fn::GetAtt' in o) return `\${${(o['Fn::GetAtt'] as string[]).join('.')}}`;
    if ('Fn::Join' in o) {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map(cfnText).join(sep);
    }
  }
  return JSON.stringify(v);
}

/** What the spec says about AWS authentication (targets.aws.auth); RBAC when unset. */
export interface AwsEvidenceOptions {
  authMode?: 'rbac' | 'token';
}

const DYNAMIC_SECRET = '{{resolve:secretsmanager:';

/** The resource a `{ Ref }` (or a plain logical id) points at. */
function refTo(t: CfnTemplate, v: unknown): CfnResource | undefined {
  const id = v && typeof v === 'object' && 'Ref' in v ? String((v as { Ref: unknown }).Ref) : undefined;
  return id ? t.Resources?.[id] : undefined;
}

/**
 * RBAC: the replication group's user group(s) in the template, with a disabled `default` user and
 * an enabled user per ElastiCache role of the role model, each with a Secrets Manager password (or
 * IAM auth), never a literal one and never without a password.
 */
function rbacEvidence(
  t: CfnTemplate,
  groupRefs: unknown[],
  policy: ResolvedPolicy,
  property = 'UserGroupIds',
): Evidence {
  const groups = groupRefs.map((g) => refTo(t, g));
  if (groups.length === 0 || groups.some((g) => g?.Type !== 'AWS::ElastiCache::UserGroup')) {
    return fail(`${property} does not reference an AWS::ElastiCache::UserGroup of this template`);
  }
  const users = groups.flatMap((g) =>
    ((g?.Properties?.UserIds as unknown[] | undefined) ?? []).map((u) => refTo(t, u)),
  );
  if (users.some((u) => u?.Type !== 'AWS::ElastiCache::User')) {
    return fail('a user group lists a user that is not an AWS::ElastiCache::User of this template');
  }
  const props = users.map((u) => u!.Properties ?? {});
  const on = (u: Record<string, unknown>) => /^on(\s|$)/.test(String(u.AccessString ?? ''));
  const defaults = props.filter((u) => u.UserName === 'default');
  if (defaults.length === 0)
    return fail('no user named "default" in the user group (ElastiCache requires one)');
  if (defaults.some(on)) return fail('the "default" user is on: clients that name no user get its access');
  const problems: string[] = [];
  for (const u of props.filter(on)) {
    const mode = (u.AuthenticationMode ?? {}) as Record<string, unknown>;
    const passwords = (mode.Passwords ?? u.Passwords ?? []) as unknown[];
    const name = String(u.UserName);
    if (mode.Type === 'iam') continue;
    if (u.NoPasswordRequired === true || mode.Type === 'no-password-required' || passwords.length === 0) {
      problems.push(`${name} needs no password`);
    } else if (!passwords.every((pw) => cfnText(pw).includes(DYNAMIC_SECRET))) {
      problems.push(`${name} has a literal password`);
    }
  }
  const roles = roleModel(policy);
  const wanted = ELASTICACHE_ROLES.map((r) => roles[r].user);
  const enabled = props.filter(on).map((u) => String(u.UserName));
  const missing = wanted.filter((w) => !enabled.includes(w));
  if (missing.length) problems.push(`no enabled user ${missing.join(', ')} from the role model`);
  return problems.length
    ? fail(`RBAC user group: ${problems.join('; ')}`)
    : pass(`RBAC user group: ${enabled.join(', ')} with Secrets Manager passwords; "default" is off`);
}

/** AUTH token: from Secrets Manager, and only when the spec chose token mode over RBAC. */
function tokenEvidence(token: string, options: AwsEvidenceOptions): Evidence {
  if (!token) return fail('neither UserGroupIds (RBAC) nor an AuthToken');
  if (!token.includes(DYNAMIC_SECRET)) return fail('AuthToken is a literal value');
  return options.authMode === 'token'
    ? pass(
        'AuthToken from a Secrets Manager dynamic reference (targets.aws.auth: token: one token shared by every client as the default user)',
      )
    : fail(
        'AuthToken only, no RBAC user group: every client is the default user with every command (set targets.aws.auth: token to choose this)',
      );
}

export function awsEvidence(
  t: CfnTemplate,
  policy: ResolvedPolicy,
  options: AwsEvidenceOptions = {},
): TargetEvidence {
  const groups = ofType(t, 'AWS::ElastiCache::ReplicationGroup');
  if (groups.length !== 1) {
    const none = fail(`expected one AWS::ElastiCache::ReplicationGroup, found ${groups.length}`);
    return everyInvariant(none);
  }
  const rg = groups[0];
  const p = rg.Properties ?? {};
  const token = cfnText(p.AuthToken ?? '');
  // Ingress only: a client security group in the same stack (a user's own app) may allow all egress.
  const openIngress = hasOpenIngress(t);
  const subnetGroups = ofType(t, 'AWS::ElastiCache::SubnetGroup');
  const subnets = (subnetGroups[0]?.Properties?.SubnetIds as unknown[] | undefined)?.length ?? 0;
  const replicas = Number(p.ReplicasPerNodeGroup ?? Number(p.NumCacheClusters ?? 1) - 1);
  const alertCheck = alarmEvidence(t, policy);
  const retention = Number(p.SnapshotRetentionLimit ?? 0);
  return {
    tls: tlsEvidence(p),
    auth:
      token && !token.includes(DYNAMIC_SECRET)
        ? fail('AuthToken is a literal value')
        : Array.isArray(p.UserGroupIds)
          ? rbacEvidence(t, p.UserGroupIds as unknown[], policy)
          : tokenEvidence(token, options),
    'encryption-at-rest': check(
      p.AtRestEncryptionEnabled === true,
      `AtRestEncryptionEnabled=${String(p.AtRestEncryptionEnabled)}${p.KmsKeyId ? ', customer KMS key' : ''}`,
    ),
    'private-networking': check(
      !!p.CacheSubnetGroupName && Array.isArray(p.SecurityGroupIds) && !openIngress,
      `subnet group ${p.CacheSubnetGroupName ? 'set' : 'missing'}, security groups ${Array.isArray(p.SecurityGroupIds) ? 'set' : 'missing'}, ${openIngress ? 'ingress open to 0.0.0.0/0' : 'no ingress from 0.0.0.0/0'}`,
    ),
    'replicas-zones': check(
      p.AutomaticFailoverEnabled === true && p.MultiAZEnabled === true && replicas >= 1 && subnets >= 2,
      `AutomaticFailoverEnabled=${String(p.AutomaticFailoverEnabled)}, MultiAZEnabled=${String(p.MultiAZEnabled)}, ${replicas} replica(s) per shard, ${subnets} subnet(s)`,
    ),
    snapshots: check(
      retention >= policy.persistence.snapshotRetentionDays && retention >= 1 && !!p.SnapshotWindow,
      `SnapshotRetentionLimit=${retention} days (policy ${policy.persistence.snapshotRetentionDays}), SnapshotWindow=${String(p.SnapshotWindow ?? 'none')}`,
    ),
    'maintenance-window': p.PreferredMaintenanceWindow
      ? pass(`PreferredMaintenanceWindow=${String(p.PreferredMaintenanceWindow)}`)
      : fail('no PreferredMaintenanceWindow'),
    alerts: alertCheck,
    'deletion-protection': check(
      ['Retain', 'Snapshot'].includes(rg.DeletionPolicy ?? '') &&
        ['Retain', 'Snapshot'].includes(rg.UpdateReplacePolicy ?? ''),
      `DeletionPolicy=${rg.DeletionPolicy ?? 'Delete'}, UpdateReplacePolicy=${rg.UpdateReplacePolicy ?? 'Delete'}`,
    ),
  };
}

/** A security group rule of the template that admits 0.0.0.0/0 or ::/0. */
function hasOpenIngress(t: CfnTemplate): boolean {
  return [
    ...ofType(t, 'AWS::EC2::SecurityGroup').map((sg) => sg.Properties?.SecurityGroupIngress ?? []),
    ...ofType(t, 'AWS::EC2::SecurityGroupIngress').map((i) => i.Properties ?? {}),
  ].some((rules) => JSON.stringify(rules).match(/"CidrIpv?6?"\s*:\s*"(0\.0\.0\.0\/0|::\/0)"/));
}

/** Whether a template holds an ElastiCache Serverless cache (the aws-serverless column reads it). */
export function isServerlessTemplate(t: CfnTemplate): boolean {
  return ofType(t, 'AWS::ElastiCache::ServerlessCache').length > 0;
}

/** The metrics a serverless cache's alarms must cover (it has no memory-percentage or lag metric). */
export const SERVERLESS_ALARM_METRICS = [
  'BytesUsedForCache',
  'ElastiCacheProcessingUnits',
  'ThrottledCmds',
  'Evictions',
  'CurrConnections',
];

/**
 * Evidence from a template with an AWS::ElastiCache::ServerlessCache. What the service fixes (TLS
 * only, data in three zones, no maintenance window) is read from what the template must still say
 * for it to hold: the contract clients use must ask for TLS, the cache must span two or more
 * subnets, and a window the resource does not have is not applicable.
 */
export function awsServerlessEvidence(t: CfnTemplate, policy: ResolvedPolicy): TargetEvidence {
  const caches = ofType(t, 'AWS::ElastiCache::ServerlessCache');
  if (caches.length !== 1) {
    return everyInvariant(fail(`expected one AWS::ElastiCache::ServerlessCache, found ${caches.length}`));
  }
  const c = caches[0];
  const p = c.Properties ?? {};
  const contract = awsContract(t);
  const subnets = Array.isArray(p.SubnetIds) ? p.SubnetIds.length : 0;
  const openIngress = hasOpenIngress(t);
  const retention = Number(p.SnapshotRetentionLimit ?? 0);
  const publicType = String(p.ConnectionType ?? 'vpc') === 'public';
  const kms = p.KmsKeyId ? cfnText(p.KmsKeyId) : '';
  return {
    tls: check(
      contract.REDIS_TLS_ENABLED === 'true',
      `ServerlessCache (TLS only: the service has no plaintext endpoint); the contract's REDIS_TLS_ENABLED=${contract.REDIS_TLS_ENABLED ?? 'missing'}`,
    ),
    auth: p.UserGroupId
      ? rbacEvidence(t, [p.UserGroupId], policy, 'UserGroupId')
      : fail('no UserGroupId: every client is the serverless default user, which needs no password'),
    'encryption-at-rest': check(
      !!kms,
      kms
        ? `always encrypted at rest; KmsKeyId=${kms} (customer managed key)`
        : 'no KmsKeyId: data and snapshots under an AWS owned key, not a key this account controls and audits',
    ),
    'private-networking': check(
      subnets >= 1 && Array.isArray(p.SecurityGroupIds) && !openIngress && !publicType,
      `${subnets} subnet(s), security groups ${Array.isArray(p.SecurityGroupIds) ? 'set' : 'missing'}, ConnectionType=${String(p.ConnectionType ?? 'vpc (default)')}, ${openIngress ? 'ingress open to 0.0.0.0/0' : 'no ingress from 0.0.0.0/0'}`,
    ),
    'replicas-zones': check(
      subnets >= 2,
      `ServerlessCache replicates across the zones of its subnets and fails over on its own; ${subnets} subnet(s)${subnets < 2 ? ' (needs two or more zones)' : ''}`,
    ),
    snapshots: check(
      retention >= policy.persistence.snapshotRetentionDays && retention >= 1 && !!p.DailySnapshotTime,
      `SnapshotRetentionLimit=${retention} days (policy ${policy.persistence.snapshotRetentionDays}), DailySnapshotTime=${String(p.DailySnapshotTime ?? 'none')}`,
    ),
    'maintenance-window': na(
      'AWS::ElastiCache::ServerlessCache has no maintenance window: minor and patch versions are applied without downtime, major upgrades only when asked',
    ),
    alerts: alarmsOn(t, SERVERLESS_ALARM_METRICS, ' (data storage and ECPUs against the usage limits)'),
    'deletion-protection': check(
      ['Retain', 'Snapshot'].includes(c.DeletionPolicy ?? '') &&
        ['Retain', 'Snapshot'].includes(c.UpdateReplacePolicy ?? ''),
      `DeletionPolicy=${c.DeletionPolicy ?? 'Delete'}, UpdateReplacePolicy=${c.UpdateReplacePolicy ?? 'Delete'}`,
    ),
  };
}

const refOf = (v: unknown): string | undefined =>
  v && typeof v === 'object' && 'Ref' in v ? String((v as { Ref: unknown }).Ref) : undefined;

/**
 * Whether an alarm action reaches a person. A topic of this template counts only with a subscription
 * (an AWS::SNS::Subscription on it, or an inline one): an unsubscribed topic collects alarms nobody
 * reads. Any other action (an ARN given as text, a parameter, an import) was named explicitly by
 * whoever deploys, so it counts.
 */
function actionNotifies(t: CfnTemplate): (action: unknown) => boolean {
  const resources = t.Resources ?? {};
  const topics = new Set(Object.keys(resources).filter((k) => resources[k].Type === 'AWS::SNS::Topic'));
  const subscribed = new Set(
    ofType(t, 'AWS::SNS::Subscription')
      .map((s) => refOf(s.Properties?.TopicArn))
      .filter((r): r is string => !!r),
  );
  for (const id of topics) {
    if (((resources[id].Properties?.Subscription as unknown[]) ?? []).length > 0) subscribed.add(id);
  }
  return (action) => {
    const ref = refOf(action);
    if (ref && topics.has(ref)) return subscribed.has(ref);
    return (
      !!ref ||
      (typeof action === 'string' && action.startsWith('arn:')) ||
      (!!action && typeof action === 'object')
    );
  };
}

/**
 * The alarms on memory, evictions, connections (and replication lag with replicas) that notify someone.
 * Alarms name their metric directly or inside metric math (Metrics[].MetricStat.Metric.MetricName).
 */
function alarmEvidence(t: CfnTemplate, policy: ResolvedPolicy): Evidence {
  const wanted = ['DatabaseMemoryUsagePercentage', 'Evictions', 'CurrConnections'];
  if (policy.availability.replicasPerShard > 0) wanted.push('ReplicationLag');
  return alarmsOn(
    t,
    wanted,
    policy.availability.replicasPerShard > 0 ? '' : ' (no replicas: no replication lag to watch)',
  );
}

/** Pass when every metric of `wanted` has an alarm whose action reaches someone. */
function alarmsOn(t: CfnTemplate, wanted: string[], note: string): Evidence {
  const notifies = actionNotifies(t);
  const alarms = ofType(t, 'AWS::CloudWatch::Alarm');
  const metricsOf = (a: CfnResource) =>
    [...JSON.stringify(a.Properties).matchAll(/"MetricName":"([^"]+)"/g)].map((m) => m[1]);
  const actions = (a: CfnResource) => (a.Properties?.AlarmActions as unknown[] | undefined) ?? [];
  const heard = alarms.filter((a) => actions(a).some(notifies)).flatMap(metricsOf);
  const any = alarms.flatMap(metricsOf);
  const missing = wanted.filter((m) => !heard.includes(m));
  if (missing.length === 0) {
    return pass(`CloudWatch alarms notifying a subscribed or given SNS topic on ${wanted.join(', ')}${note}`);
  }
  const silent = missing.filter((m) => any.includes(m));
  return fail(
    silent.length
      ? `alarms on ${silent.join(', ')} notify nobody: their SNS topic has no subscription (set alerts.email, or turn alerts off: alerts.enabled false, with an alerts waiver in production)${silent.length < missing.length ? `; no alarm at all on ${missing.filter((m) => !silent.includes(m)).join(', ')}` : ''}`
      : `no alarm with an action on ${missing.join(', ')}`,
  );
}

/**
 * The connection contract as applications read it: the SSM parameter's JSON when the template has
 * one (it carries every key, also the empty REDIS_CLUSTER_NODES a stack output cannot hold), else the
 * stack outputs. Values that are tokens stay as ${...}.
 */
export function awsContract(t: CfnTemplate): Record<string, string> {
  const param = ofType(t, 'AWS::SSM::Parameter').find((p) =>
    String(p.Properties?.Name ?? '').endsWith('/connection-contract'),
  );
  if (param) {
    try {
      const parsed = JSON.parse(cfnText(param.Properties?.Value)) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
    } catch {
      // not JSON after all: fall back to the outputs
    }
  }
  const out: Record<string, string> = {};
  for (const [key, o] of Object.entries(t.Outputs ?? {})) {
    if (!key.startsWith('Contract') || key === 'ContractParameterName') continue;
    const name = key
      .replace(/^Contract/, '')
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      // Output ids cannot hold '_': ContractRedisClusterNode1 is REDIS_CLUSTER_NODE_1.
      .replace(/([A-Za-z])([0-9])/g, '$1_$2')
      .toUpperCase();
    out[name] = cfnText(o.Value);
  }
  return out;
}

/**
 * TLS only: in-transit encryption with TransitEncryptionMode `required`. Redis before 7.0.5 has no
 * mode (ElastiCache refuses the property) and accepts TLS connections only once encryption is on,
 * so there the mode must be absent and the template's engine version must say so.
 */
function tlsEvidence(p: Record<string, unknown>): Evidence {
  const version = String(p.EngineVersion ?? '');
  const modeless =
    /^\d+\./.test(version) &&
    !supportsTransitEncryptionMode(p.Engine === 'valkey' ? 'valkey' : 'redis', version);
  const ok =
    p.TransitEncryptionEnabled === true &&
    (p.TransitEncryptionMode === 'required' || (modeless && p.TransitEncryptionMode === undefined));
  const mode = modeless
    ? `TransitEncryptionMode=${String(p.TransitEncryptionMode)} (Redis ${String(p.EngineVersion)} has no mode: TLS only once enabled)`
    : `TransitEncryptionMode=${String(p.TransitEncryptionMode)}`;
  return check(
    ok,
    `TransitEncryptionEnabled=${String(p.TransitEncryptionEnabled)}, ${mode} (ElastiCache in-transit encryption negotiates TLS 1.2 or later)`,
  );
}

/** The ElastiCache RBAC users the template declares (AWS::ElastiCache::User): name, on/off, access string. */
export function awsUsers(t: CfnTemplate): DeclaredUser[] | undefined {
  const users = ofType(t, 'AWS::ElastiCache::User').map((u) => {
    const rules = cfnText(u.Properties?.AccessString ?? '');
    return { name: cfnText(u.Properties?.UserName ?? ''), enabled: !/(^|\s)off(\s|$)/.test(rules), rules };
  });
  return users.length ? users : undefined;
}

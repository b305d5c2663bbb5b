/**
 * Evidence from the offline Pulumi previews (dist/<id>/pulumi/<target>.json): the resources the
 * program would create, with their inputs, exactly as the mocks received them.
 */
import type { ResolvedPolicy } from '../policy/types';
import { check, fail, na, pass, type Evidence, type TargetEvidence, everyInvariant } from './types';

export interface PreviewResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  /** Resource options the data guard set (lib/pulumi/guard.ts); absent when none. */
  options?: { protect?: boolean; retainOnDelete?: boolean };
}
export interface PreviewDocument {
  resources: PreviewResource[];
  outputs?: Record<string, unknown>;
}

const find = (d: PreviewDocument, type: string) => d.resources.filter((r) => r.type === type);
const json = (v: unknown) => JSON.stringify(v ?? null);

/**
 * `wanted` maps each signal to a pattern its alert must contain, or to a string saying why the platform
 * has none. Only alerts that notify someone count (`notifies`): an alert with no notification channel
 * or action group, or a disabled one, fires into the void, so it fails the cell whatever the profile
 * (turn alerts off, with a waiver in production, to go without). `destination` says how to add one.
 */
function alertEvidence(
  alerts: PreviewResource[],
  wanted: Record<string, RegExp | string>,
  notifies: (a: PreviewResource) => boolean,
  destination: string,
): Evidence {
  const silent = alerts.filter((a) => !notifies(a)).map((a) => a.name);
  const heard = alerts.filter(notifies);
  const text = heard.map((a) => json(a.inputs)).join('\n');
  const entries = Object.entries(wanted);
  const missing = entries.filter(([, re]) => re instanceof RegExp && !re.test(text)).map(([k]) => k);
  const notes = entries.filter(([, re]) => typeof re === 'string').map(([k, why]) => `${k}: ${String(why)}`);
  const covered = entries.filter(([, re]) => re instanceof RegExp).map(([k]) => k);
  return missing.length === 0
    ? pass(
        `${heard.length} alert(s) that notify someone, covering ${covered.join(', ')}${notes.length ? `; ${notes.join('; ')}` : ''}`,
      )
    : fail(
        `no alert that notifies anyone on ${missing.join(', ')}${silent.length ? ` (${silent.length} alert(s) have no destination or are disabled: ${destination})` : ''}`,
      );
}

const nonEmpty = (v: unknown) => Array.isArray(v) && v.length > 0;
/** A Cloud Monitoring policy notifies when it is enabled and names a notification channel. */
const gcpNotifies = (a: PreviewResource) =>
  a.inputs.enabled !== false && nonEmpty(a.inputs.notificationChannels);
/** An Azure metric alert notifies when it is enabled and has an action group. */
const azureNotifies = (a: PreviewResource) =>
  a.inputs.enabled !== false &&
  nonEmpty(a.inputs.actions) &&
  (a.inputs.actions as Array<Record<string, unknown>>).every((x) => !!x.actionGroupId);

function missingAll(what: string): TargetEvidence {
  const f = fail(`the preview has no ${what}`);
  return everyInvariant(f);
}

const NO_REPLICAS = 'no replicas to watch';

export function gcpEvidence(d: PreviewDocument, policy: ResolvedPolicy): TargetEvidence {
  const alerts = find(d, 'gcp:monitoring/alertPolicy:AlertPolicy');
  const alertCheck = alertEvidence(
    alerts,
    {
      memory: /memory\/(usage_ratio|maximum_utilization|average_utilization)/,
      evictions: /evicted_keys/,
      connections: /clients\/(connected|maximum_connected_clients|average_connected_clients)/,
      replication: policy.availability.replicasPerShard > 0 ? /replication\// : NO_REPLICAS,
    },
    gcpNotifies,
    'set alerts.email or targets.gcp.alertNotificationChannels',
  );
  const [instance] = find(d, 'gcp:redis/instance:Instance');
  if (instance) {
    const i = instance.inputs;
    const persistence = (i.persistenceConfig ?? {}) as Record<string, unknown>;
    return {
      tls: check(
        i.transitEncryptionMode === 'SERVER_AUTHENTICATION',
        `transitEncryptionMode=${String(i.transitEncryptionMode)} (Memorystore serves TLS 1.2+ on port 6378 only when set)`,
      ),
      auth: check(i.authEnabled === true, `authEnabled=${String(i.authEnabled)}`),
      'encryption-at-rest': pass(
        `Memorystore encrypts at rest by default${i.customerManagedKey ? ', customer-managed key set' : ' (Google-managed key)'}`,
      ),
      'private-networking': check(
        i.connectMode === 'PRIVATE_SERVICE_ACCESS' && !!i.authorizedNetwork,
        `connectMode=${String(i.connectMode)}, authorizedNetwork=${i.authorizedNetwork ? 'set' : 'missing'} (Memorystore has no public IP)`,
      ),
      'replicas-zones': check(
        i.tier === 'STANDARD_HA',
        `tier=${String(i.tier)}${i.replicaCount ? `, replicaCount=${String(i.replicaCount)}` : ''} (Standard places the replica in another zone and fails over automatically)`,
      ),
      snapshots:
        persistence.persistenceMode === 'RDB'
          ? na(
              `RDB persistence every ${String(persistence.rdbSnapshotPeriod)}; Memorystore for Redis keeps only the latest snapshot, so a retention in days cannot be set (export to Cloud Storage for history)`,
            )
          : fail(`persistenceMode=${String(persistence.persistenceMode ?? 'DISABLED')}`),
      'maintenance-window': check(
        json(i.maintenancePolicy).includes('weeklyMaintenanceWindows'),
        `maintenancePolicy ${i.maintenancePolicy ? 'with a weekly window' : 'missing'}`,
      ),
      alerts: alertCheck,
      'deletion-protection': check(
        i.deletionProtection === true,
        `deletionProtection=${String(i.deletionProtection)}`,
      ),
    };
  }
  const [cluster] = find(d, 'gcp:redis/cluster:Cluster');
  if (!cluster) return missingAll('gcp:redis Instance or Cluster');
  const c = cluster.inputs;
  const retentionSeconds = Number(
    String((c.automatedBackupConfig as Record<string, unknown> | undefined)?.retention ?? '0s').replace(
      /s$/,
      '',
    ),
  );
  const days = retentionSeconds / 86400;
  return {
    tls: check(
      c.transitEncryptionMode === 'TRANSIT_ENCRYPTION_MODE_SERVER_AUTHENTICATION',
      `transitEncryptionMode=${String(c.transitEncryptionMode)} (TLS 1.2+)`,
    ),
    auth: check(
      c.authorizationMode === 'AUTH_MODE_IAM_AUTH',
      `authorizationMode=${String(c.authorizationMode)}`,
    ),
    'encryption-at-rest': pass(
      `Memorystore encrypts at rest by default${c.kmsKey ? ', customer-managed key set' : ' (Google-managed key)'}`,
    ),
    'private-networking': check(
      json(c.pscConfigs).includes('network'),
      `Private Service Connect on ${json(c.pscConfigs)}`,
    ),
    'replicas-zones': check(
      Number(c.replicaCount ?? 0) >= 1 && json(c.zoneDistributionConfig).includes('MULTI_ZONE'),
      `replicaCount=${String(c.replicaCount ?? 0)}, zoneDistribution=${json(c.zoneDistributionConfig)}`,
    ),
    snapshots: check(
      days >= policy.persistence.snapshotRetentionDays && days >= 1,
      `automated backups retained ${days} days (policy ${policy.persistence.snapshotRetentionDays})`,
    ),
    'maintenance-window': check(
      json(c.maintenancePolicy).includes('weeklyMaintenanceWindows'),
      'maintenancePolicy weekly window',
    ),
    alerts: alertCheck,
    'deletion-protection': check(
      c.deletionProtectionEnabled === true,
      `deletionProtectionEnabled=${String(c.deletionProtectionEnabled)}`,
    ),
  };
}

function azureAlerts(d: PreviewDocument, replication: RegExp | string): Evidence {
  return alertEvidence(
    find(d, 'azure-native:monitor:MetricAlert'),
    {
      memory: /usedmemorypercentage/i,
      evictions: /evictedkeys/i,
      connections: /connectedclients/i,
      replication,
    },
    azureNotifies,
    'set alerts.email or targets.azure.actionGroupId',
  );
}

/**
 * A CanNotDelete lock that covers the cache: scoped to the cache itself (its id ends with the cache
 * name), or to its resource group or subscription (locks are inherited by every resource below).
 */
function azureLock(d: PreviewDocument, cacheName: unknown, resourceGroup: unknown): Evidence {
  const locks = find(d, 'azure-native:authorization:ManagementLockByScope').filter(
    (l) => l.inputs.level === 'CanNotDelete',
  );
  const covers = (scope: string) =>
    scope.endsWith(`/${String(cacheName)}`) ||
    new RegExp(`^/subscriptions/[^/]+(/resourceGroups/${String(resourceGroup)})?/?$`, 'i').test(scope);
  const covering = locks.filter((l) => covers(String(l.inputs.scope ?? '')));
  return check(
    covering.length > 0,
    covering.length
      ? 'CanNotDelete management lock'
      : locks.length
        ? `CanNotDelete lock on ${String(locks[0].inputs.scope)}, not on ${String(cacheName)} or its resource group`
        : 'no CanNotDelete lock',
  );
}

/** Public access off and a private endpoint whose connection targets the cache (its `groupId`). */
function privateEndpoint(d: PreviewDocument, publicAccess: unknown, groupId: string): Evidence {
  const all = find(d, 'azure-native:network:PrivateEndpoint');
  const pe = all.filter((p) =>
    ((p.inputs.privateLinkServiceConnections as Array<Record<string, unknown>> | undefined) ?? []).some((c) =>
      ((c.groupIds as unknown[] | undefined) ?? []).includes(groupId),
    ),
  );
  return check(
    publicAccess === 'Disabled' && pe.length > 0,
    `publicNetworkAccess=${String(publicAccess)}, ${pe.length} private endpoint(s) to ${groupId}${all.length > pe.length ? ` (${all.length - pe.length} to something else)` : ''}`,
  );
}

/**
 * Azure auth: with access keys off, a client can connect only through an access policy assignment,
 * so the cell needs one for the cache (or database). Keys on are fine outside production and with
 * the production waiver (rule entra-id); in production without one they fail.
 */
function azureAuth(
  keysOff: boolean,
  assignments: PreviewResource[],
  what: string,
  policy: ResolvedPolicy,
): Evidence {
  if (keysOff) {
    const ids = assignments.map((a) =>
      String(a.inputs.objectId ?? (a.inputs.user as Record<string, unknown> | undefined)?.objectId ?? ''),
    );
    return ids.some(Boolean)
      ? pass(
          `Microsoft Entra ID only (access keys disabled); ${what} assigned to ${ids.filter(Boolean).join(', ')}`,
        )
      : fail(`access keys disabled but no ${what} for any identity: no client can connect`);
  }
  const waiver = policy.waivers.find((w) => w.rule === 'entra-id');
  if (policy.profile !== 'production') {
    return pass(`access keys (Pulumi secrets), allowed by the ${policy.profile} profile`);
  }
  return waiver
    ? pass(`access keys (Pulumi secrets), waived (entra-id): ${waiver.reason}`)
    : fail('access keys enabled in production: one shared key per cache (set targets.azure.appPrincipalId)');
}

export function azurePremiumEvidence(d: PreviewDocument, policy: ResolvedPolicy): TargetEvidence {
  const [cache] = find(d, 'azure-native:redis:Redis');
  if (!cache) return missingAll('azure-native:redis:Redis');
  const c = cache.inputs;
  const conf = (c.redisConfiguration ?? {}) as Record<string, unknown>;
  const zones = (c.zones as unknown[] | undefined)?.length ?? 0;
  const replicas = Number(c.replicasPerMaster ?? c.replicasPerPrimary ?? 1);
  return {
    tls: check(
      c.enableNonSslPort === false && c.minimumTlsVersion === '1.2',
      `enableNonSslPort=${String(c.enableNonSslPort)}, minimumTlsVersion=${String(c.minimumTlsVersion)}`,
    ),
    // redisConfiguration.authnotrequired=true turns authentication off (Azure allows it with VNet injection).
    auth:
      String(conf.authnotrequired).toLowerCase() === 'true'
        ? fail('redisConfiguration.authnotrequired=true: the cache accepts clients without a key')
        : c.disableAccessKeyAuthentication === true && conf.aadEnabled !== 'true'
          ? fail('access keys disabled without aadEnabled: no client can authenticate')
          : azureAuth(
              c.disableAccessKeyAuthentication === true,
              find(d, 'azure-native:redis:AccessPolicyAssignment').filter(
                (a) => a.inputs.cacheName === c.name && !!a.inputs.accessPolicyName,
              ),
              'a data access policy assignment',
              policy,
            ),
    'encryption-at-rest': pass(
      'Azure encrypts the cache disks and backups at rest with platform-managed keys',
    ),
    'private-networking': privateEndpoint(d, c.publicNetworkAccess, 'redisCache'),
    'replicas-zones': check(
      replicas >= 1 && zones >= 2,
      `replicasPerMaster=${replicas}, zones=${json(c.zones)}`,
    ),
    snapshots:
      conf.rdbBackupEnabled === 'true'
        ? na(
            `RDB backup every ${String(conf.rdbBackupFrequency)} min, keeping ${String(conf.rdbBackupMaxSnapshotCount ?? 1)} snapshot(s): Premium retains a count, not days (keep history with storage lifecycle or exports)`,
          )
        : fail('rdb-backup-enabled is not true'),
    'maintenance-window': check(
      find(d, 'azure-native:redis:PatchSchedule').length > 0,
      'patch schedule resource',
    ),
    alerts: azureAlerts(d, /Failover|replication/i),
    'deletion-protection': azureLock(d, c.name, c.resourceGroupName),
  };
}

export function azureManagedEvidence(d: PreviewDocument, policy: ResolvedPolicy): TargetEvidence {
  const [cluster] = find(d, 'azure-native:redisenterprise:RedisEnterprise');
  const [db] = find(d, 'azure-native:redisenterprise:Database');
  if (!cluster || !db) return missingAll('azure-native:redisenterprise RedisEnterprise + Database');
  const c = cluster.inputs;
  const b = db.inputs;
  const persistence = (b.persistence ?? {}) as Record<string, unknown>;
  return {
    tls: check(
      b.clientProtocol === 'Encrypted' &&
        (c.minimumTlsVersion === '1.2' || c.minimumTlsVersion === undefined),
      `clientProtocol=${String(b.clientProtocol)}, minimumTlsVersion=${String(c.minimumTlsVersion ?? '1.2 (service minimum)')}`,
    ),
    auth: azureAuth(
      b.accessKeysAuthentication === 'Disabled',
      find(d, 'azure-native:redisenterprise:AccessPolicyAssignment').filter(
        (a) =>
          a.inputs.databaseName === (b.databaseName ?? 'default') && a.inputs.accessPolicyName === 'default',
      ),
      'an access policy assignment on the database',
      policy,
    ),
    'encryption-at-rest': pass(
      'Azure Managed Redis encrypts persistence and backups at rest with platform-managed keys',
    ),
    'private-networking': privateEndpoint(d, c.publicNetworkAccess, 'redisEnterprise'),
    'replicas-zones': check(
      c.highAvailability === 'Enabled',
      `highAvailability=${String(c.highAvailability)} (one replica per shard in another zone where the region has zones)${
        policy.availability.replicasPerShard > 1
          ? `; the policy asks ${policy.availability.replicasPerShard} replicas per shard: Azure Managed Redis runs 1, its only high-availability layout`
          : ''
      }`,
    ),
    snapshots:
      persistence.rdbEnabled === true || persistence.aofEnabled === true
        ? na(
            `persistence ${persistence.aofEnabled ? 'AOF' : 'RDB'} on; Azure Managed Redis keeps the latest persisted state, not dated snapshots (export for history)`,
          )
        : fail('persistence is off'),
    'maintenance-window': na(
      'Azure Managed Redis has no customer maintenance window in its API; updates are rolled by Azure (deferUpgrade can postpone)',
    ),
    alerts: azureAlerts(
      d,
      'replication is internal to Azure Managed Redis and exposes no replication metric',
    ),
    'deletion-protection': azureLock(d, c.clusterName, c.resourceGroupName),
  };
}

/** The contract the program exports (outputs.contract). */
export function pulumiContract(d: PreviewDocument): Record<string, string> | undefined {
  const c = d.outputs?.contract;
  return c && typeof c === 'object'
    ? Object.fromEntries(Object.entries(c).map(([k, v]) => [k, String(v)]))
    : undefined;
}

/**
 * Azure Cache for Redis Premium as one Pulumi component.
 *
 * Secure defaults from the policy: TLS 1.2+ only (the non-TLS port stays closed), public network
 * access disabled with a private endpoint in the spec's subnet, RDB persistence to a key-less
 * storage account through a managed identity, maxmemory policy and reservations, a patch schedule
 * from the maintenance window, diagnostic settings and metric alerts. The access key is only ever
 * handled as a Pulumi secret; with Entra ID access keys are turned off.
 *
 * Microsoft retires Azure Cache for Redis on the catalog's retirement date (new caches only for
 * tenants that already had one): see lib/azure/managed.ts for Azure Managed Redis.
 */
import * as pulumi from '@pulumi/pulumi';
import * as authorization from '@pulumi/azure-native/authorization';
import * as redis from '@pulumi/azure-native/redis';
import type * as storage from '@pulumi/azure-native/storage';
import { azurePremiumCatalog } from '../catalog';
import type { ConnectionContract } from '../contract';
import type { Choice, Plan } from '../planner/types';
import { engineMajor } from '../policy/engine-version';
import type { ResolvedPolicy } from '../policy/types';
import { alnumName, scopedName } from '../pulumi/names';
import { snapshotExportNote } from '../pulumi/notes';
import { transformed, type Transform } from '../pulumi/transform';
import { createMetricAlerts } from './alerts';
import { createBackupStorage, grantBackupWriter, type BackupStorage } from './backup-storage';
import {
  accessKeyNote,
  azureCommonNotes,
  azureConnection,
  entraAccessNote,
  createCacheEndpoint,
  type AzureCacheArgs,
  type AzureCommonTransforms,
} from './component';
import { createDiagnostics } from './diagnostics';
import { createDeleteLock } from './lock';
import {
  azureTags,
  checkPlacement,
  entraPrincipal,
  azureMinimumTls,
  patchScheduleEntry,
  type AzurePlacement,
} from './settings';

/** Premium's TLS port (the non-TLS port stays disabled while the policy has TLS). */
export const PREMIUM_TLS_PORT = 6380;
/** Premium's non-TLS port, opened only when the policy turns TLS off. */
export const PREMIUM_PLAIN_PORT = 6379;

/** Built-in access policy for the application: read and write data, no administration commands. */
export const PREMIUM_APP_ACCESS_POLICY = 'Data Contributor';

/** The zone ids a Premium cache can be spread over. */
const PREMIUM_ZONE_IDS = ['1', '2', '3'];

/**
 * Availability zones for a multi-zone policy. Azure places each shard's primary and replicas in the
 * listed zones and rejects a cache that lists more zones than a shard has nodes (primary plus
 * replicas), so one replica gets two zones and two or more get all three.
 */
export function premiumZones(policy: ResolvedPolicy, replicasPerMaster: number): string[] | undefined {
  const nodes = 1 + replicasPerMaster;
  if (!policy.availability.multiAz || nodes < 2) return undefined;
  return PREMIUM_ZONE_IDS.slice(0, Math.min(PREMIUM_ZONE_IDS.length, nodes));
}

/** rdb-backup-frequency takes minutes; the policy's period is in hours. */
const RDB_FREQUENCY_MINUTES: Record<1 | 6 | 12 | 24, string> = { 1: '60', 6: '360', 12: '720', 24: '1440' };

/** `plan.choices['azure-premium']` gives the SKU, shards and replicas. */
export interface AzurePremiumArgs extends AzureCacheArgs {
  transform?: AzureCommonTransforms & {
    cache?: Transform<redis.RedisArgs>;
    backupStorage?: Transform<storage.StorageAccountArgs>;
  };
}

/** Memory held back from the dataset (MB): the SKU's memory minus what the plan lets data use, split evenly. */
export function reservedMemoryMb(choice: Choice): number {
  const sku = azurePremiumCatalog().skus.find((s) => s.name === choice.sku);
  if (!sku)
    throw new Error(
      `plan.choices.azure-premium.sku: got ${JSON.stringify(choice.sku)}; not in the Premium catalog`,
    );
  return Math.max(0, Math.round(((sku.memoryGb - choice.memoryGbPerShard) / 2) * 1024));
}

/** The Premium Redis version: the catalog's newest at or below the policy's major (Premium offers 6 only). */
export function premiumVersion(policy: ResolvedPolicy): { version: string; note?: string } {
  const versions = azurePremiumCatalog().redisVersions;
  const major = policy.engine === 'redis' ? engineMajor(policy) : Number.MAX_SAFE_INTEGER;
  const fit = versions.filter((v) => Number(v) <= major).sort((a, b) => Number(a) - Number(b));
  const version = fit[fit.length - 1] ?? versions[versions.length - 1];
  const wanted = `${policy.engine} ${policy.engineVersion}`;
  return Number(version) === major && policy.engine === 'redis'
    ? { version }
    : {
        version,
        note: `Azure Cache for Redis Premium offers Redis ${versions.join(', ')}; the policy asks for ${wanted}, so Redis ${version} is deployed.`,
      };
}

export function premiumCacheArgs(
  policy: ResolvedPolicy,
  plan: Plan,
  target: AzurePlacement,
  cacheName: string,
  backup: BackupStorage | undefined,
  subscriptionId: pulumi.Input<string> | undefined,
): redis.RedisArgs {
  const choice = plan.choices['azure-premium'];
  const capacity = Number(choice.extra?.capacity ?? /^P(\d)$/.exec(choice.sku)?.[1]);
  const reserved = String(reservedMemoryMb(choice));
  const p = policy.persistence;
  const entra = entraPrincipal(target) !== undefined;
  const zones = premiumZones(policy, choice.replicasPerShard);
  return {
    name: cacheName,
    resourceGroupName: target.resourceGroup,
    location: target.location,
    sku: { name: 'Premium', family: 'P', capacity },
    redisVersion: premiumVersion(policy).version,
    ...(plan.topology.mode === 'cluster' ? { shardCount: choice.shards } : {}),
    replicasPerMaster: choice.replicasPerShard,
    // Azure spreads the primary and replicas of each shard over these zones.
    ...(zones ? { zones } : {}),
    enableNonSslPort: !policy.security.tls,
    minimumTlsVersion: azureMinimumTls(policy).version,
    publicNetworkAccess: policy.security.privateNetworking ? 'Disabled' : 'Enabled',
    disableAccessKeyAuthentication: entra,
    updateChannel: 'Stable',
    // The storage firewall's trusted-services exception admits a cache by its system-assigned identity only.
    ...(backup ? { identity: { type: 'SystemAssigned' } } : {}),
    redisConfiguration: {
      maxmemoryPolicy: policy.keyspace.evictionPolicy,
      maxmemoryReserved: reserved,
      maxfragmentationmemoryReserved: reserved,
      ...(policy.keyspace.keyspaceNotifications
        ? { notifyKeyspaceEvents: policy.keyspace.keyspaceNotifications }
        : {}),
      ...(entra ? { aadEnabled: 'true' } : {}),
      ...(backup && p.rdb
        ? {
            rdbBackupEnabled: 'true',
            rdbBackupFrequency: RDB_FREQUENCY_MINUTES[p.snapshotPeriodHours],
            // Premium persistence keeps the latest snapshot only (longer retention needs exports).
            rdbBackupMaxSnapshotCount: '1',
            rdbStorageConnectionString: backup.connectionString,
            preferredDataPersistenceAuthMethod: 'ManagedIdentity',
            storageSubscriptionId: subscriptionId,
          }
        : { rdbBackupEnabled: 'false' }),
    },
    tags: azureTags(policy),
  };
}

export class AzurePremiumRedis extends pulumi.ComponentResource {
  readonly cache: redis.Redis;
  readonly host: pulumi.Output<string>;
  /** The TLS port 6380 (6379 only when the policy turns TLS off). */
  readonly port: pulumi.Output<number>;
  /** Primary access key as a Pulumi secret; undefined when Entra ID turns keys off. */
  readonly accessKey?: pulumi.Output<string>;
  readonly passwordFrom: pulumi.Output<string>;
  readonly contract: pulumi.Output<ConnectionContract>;
  /** The Azure Managed Redis SKU Microsoft maps this Premium size to (from the catalog via the plan). */
  readonly managedEquivalent: string;
  /** Azure Cache for Redis encrypts data at rest with Microsoft-managed keys; always on. */
  readonly encryptionAtRest = 'Microsoft-managed keys (always on)';
  readonly notes: string[];

  constructor(name: string, args: AzurePremiumArgs, opts?: pulumi.ComponentResourceOptions) {
    // Check the target before registering anything, so bad input leaves nothing half-created.
    const target = checkPlacement(args.policy, args.target);
    super('redis-iac:azure:PremiumRedis', name, {}, opts);
    const { policy, plan } = args;
    const choice = plan.choices['azure-premium'];
    const t = args.transform ?? {};
    const tags = azureTags(policy);
    const scope = [target.resourceGroup, target.location];
    // The storage account, identity and cache go into the subscription Pulumi deploys to, which is
    // not necessarily the subnet's (a hub network may live in another subscription).
    const subscriptionId = policy.persistence.rdb
      ? authorization.getClientConfigOutput({ parent: this }).subscriptionId
      : undefined;
    const catalog = azurePremiumCatalog();
    this.managedEquivalent = String(choice.extra?.managedEquivalent ?? '');
    this.notes = [
      `Azure Cache for Redis (Premium) retires on ${catalog.retirement.date}; from ${catalog.retirement.newCachesUntil} only tenants that already had a cache may create new ones. Equivalent Azure Managed Redis SKU: ${this.managedEquivalent}.`,
      ...azureCommonNotes(policy),
    ];
    const principal = entraPrincipal(target);
    this.notes.push(principal ? entraAccessNote('premium', principal) : accessKeyNote(policy));
    const version = premiumVersion(policy);
    if (version.note) this.notes.push(version.note);
    if (policy.persistence.aof) {
      this.notes.push(
        'Premium persists with RDB or AOF, not both: RDB to the managed-identity storage account is used.',
      );
    }
    const exportNote = snapshotExportNote(policy, {
      keeps: 'Premium persistence keeps the latest snapshot only',
      command: 'az redis export',
      destination: 'a blob container',
    });
    if (exportNote) this.notes.push(exportNote);

    let backup: BackupStorage | undefined;
    if (policy.persistence.rdb && subscriptionId) {
      backup = createBackupStorage(
        name,
        {
          resourceGroupName: target.resourceGroup,
          location: target.location,
          subscriptionId,
          accountName: alnumName('rdb', policy.name, scope),
          zoneRedundant: policy.availability.multiAz,
          tags,
          transform: t.backupStorage,
        },
        this,
      );
    }

    const cacheName = scopedName(policy.name, scope, 63);
    const cacheArgs = premiumCacheArgs(policy, plan, target, cacheName, backup, subscriptionId);
    const cache = new redis.Redis(
      ...transformed(
        `${name}-cache`,
        cacheArgs,
        {
          parent: this,
          dependsOn: backup ? [backup.account] : [],
          protect: policy.availability.deletionProtection,
        },
        t.cache,
      ),
    );
    this.cache = cache;

    if (policy.availability.deletionProtection)
      createDeleteLock(name, cache.id, `${policy.name}-redis-nodelete`, this);

    if (backup && subscriptionId) {
      grantBackupWriter(
        name,
        {
          resourceGroupName: target.resourceGroup,
          subscriptionId,
          accountName: alnumName('rdb', policy.name, scope),
          account: backup.account,
          principalId: cache.identity.apply((i) => i?.principalId ?? ''),
        },
        this,
      );
    }

    if (principal) {
      // The application identity gets the built-in data policy; its object id is also its user name.
      new redis.AccessPolicyAssignment(
        `${name}-app-access`,
        {
          accessPolicyAssignmentName: 'app',
          accessPolicyName: PREMIUM_APP_ACCESS_POLICY,
          cacheName: cache.name,
          resourceGroupName: target.resourceGroup,
          objectId: principal,
          objectIdAlias: principal,
        },
        { parent: this },
      );
    }

    new redis.PatchSchedule(
      `${name}-patch`,
      {
        name: cache.name,
        resourceGroupName: target.resourceGroup,
        default: 'default',
        scheduleEntries: [patchScheduleEntry(policy)],
      },
      { parent: this },
    );

    createCacheEndpoint(
      name,
      { policy, target, targetId: cache.id, groupId: 'redisCache', tags, transform: t.privateEndpoint },
      this,
    );

    createDiagnostics(
      name,
      {
        resourceGroupName: target.resourceGroup,
        location: target.location,
        workspaceName: `${policy.name}-redis-logs`,
        workspaceId: args.logAnalyticsWorkspaceId,
        sources: [{ id: 'cache', resourceUri: cache.id, logs: true, metrics: true }],
        tags,
        transform: t.diagnosticSetting,
      },
      this,
    );

    if (policy.alerts.enabled) {
      createMetricAlerts(
        name,
        {
          policy,
          resourceGroupName: target.resourceGroup,
          scope: cache.id,
          maxClients: (choice.maxConnectionsPerShard ?? plan.connections.maxclients) * choice.shards,
          failover: choice.replicasPerShard > 0,
          missRate: true,
          actionGroupId: target.actionGroupId,
          tags,
          transform: t.metricAlert,
        },
        this,
      );
    }

    this.host = cache.hostName;
    // Clients without TLS must use the non-TLS port the cache opens for them, not the TLS port.
    this.port = policy.security.tls
      ? cache.sslPort.apply((p) => p || PREMIUM_TLS_PORT)
      : cache.port.apply((p) => p || PREMIUM_PLAIN_PORT);
    const conn = azureConnection(
      policy,
      plan,
      target,
      { host: this.host, port: this.port, resourceId: cache.id },
      () =>
        redis.listRedisKeysOutput(
          { name: cache.name, resourceGroupName: target.resourceGroup },
          { parent: this },
        ).primaryKey,
    );
    if (conn.accessKey) this.accessKey = conn.accessKey;
    this.passwordFrom = conn.passwordFrom;
    this.contract = conn.contract;
    this.registerOutputs({
      host: this.host,
      port: this.port,
      accessKey: this.accessKey,
      passwordFrom: this.passwordFrom,
      contract: this.contract,
      managedEquivalent: this.managedEquivalent,
      encryptionAtRest: this.encryptionAtRest,
      notes: this.notes,
    });
  }
}

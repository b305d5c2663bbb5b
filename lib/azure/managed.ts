/**
 * Azure Managed Redis (Microsoft.Cache/redisEnterprise: a cluster and its one database) as one Pulumi
 * component: the successor Microsoft points Azure Cache for Redis users to.
 *
 * Secure defaults from the policy: TLS-only client protocol, TLS 1.2+, public network access off with
 * a private endpoint, high availability when the plan has replicas, the policy's eviction policy,
 * RDB or AOF persistence, access keys off under Entra ID, diagnostic settings and metric alerts.
 */
import * as pulumi from '@pulumi/pulumi';
import * as redisenterprise from '@pulumi/azure-native/redisenterprise';
import { azureManagedCatalog } from '../catalog';
import type { ConnectionContract } from '../contract';
import type { Plan } from '../planner/types';
import type { ResolvedPolicy } from '../policy/types';
import { scopedName } from '../pulumi/names';
import { snapshotExportNote } from '../pulumi/notes';
import { transformed, type Transform } from '../pulumi/transform';
import { createMetricAlerts } from './alerts';
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
import { azureMinimumTls, azureTags, checkPlacement, entraPrincipal, type AzurePlacement } from './settings';

/** Redis eviction policy name -> the Managed Redis enum. */
const EVICTION: Record<string, string> = {
  noeviction: 'NoEviction',
  'allkeys-lru': 'AllKeysLRU',
  'allkeys-lfu': 'AllKeysLFU',
  'allkeys-random': 'AllKeysRandom',
  'volatile-lru': 'VolatileLRU',
  'volatile-lfu': 'VolatileLFU',
  'volatile-random': 'VolatileRandom',
  'volatile-ttl': 'VolatileTTL',
};

export function evictionPolicy(policy: ResolvedPolicy): string {
  const e = EVICTION[policy.keyspace.evictionPolicy];
  if (!e)
    throw new Error(
      `policy.keyspace.evictionPolicy: got ${JSON.stringify(policy.keyspace.evictionPolicy)}; Managed Redis has no equivalent`,
    );
  return e;
}

/**
 * Managed Redis persists with RDB or AOF, not both. AOF (every second) when the policy asks for it;
 * otherwise RDB at the policy's period, rounded down to the nearest period the service offers.
 */
export function managedPersistence(policy: ResolvedPolicy): redisenterprise.DatabaseArgs['persistence'] {
  const p = policy.persistence;
  if (p.aof)
    return { aofEnabled: true, aofFrequency: p.aofFsync === 'always' ? 'always' : '1s', rdbEnabled: false };
  if (p.rdb)
    return {
      rdbEnabled: true,
      rdbFrequency: p.snapshotPeriodHours === 1 ? '1h' : p.snapshotPeriodHours === 6 ? '6h' : '12h',
      aofEnabled: false,
    };
  return { aofEnabled: false, rdbEnabled: false };
}

/** `plan.choices['azure-managed']` gives the SKU and high availability. */
export interface AzureManagedArgs extends AzureCacheArgs {
  transform?: AzureCommonTransforms & {
    cluster?: Transform<redisenterprise.RedisEnterpriseArgs>;
    database?: Transform<redisenterprise.DatabaseArgs>;
  };
}

export function managedClusterArgs(
  policy: ResolvedPolicy,
  plan: Plan,
  target: AzurePlacement,
  clusterName: string,
): redisenterprise.RedisEnterpriseArgs {
  const choice = plan.choices['azure-managed'];
  const ha = choice.extra?.highAvailability ?? choice.replicasPerShard > 0;
  return {
    clusterName,
    resourceGroupName: target.resourceGroup,
    location: target.location,
    sku: { name: choice.sku },
    highAvailability: ha ? 'Enabled' : 'Disabled',
    minimumTlsVersion: azureMinimumTls(policy).version,
    publicNetworkAccess: policy.security.privateNetworking ? 'Disabled' : 'Enabled',
    tags: azureTags(policy),
  };
}

export function managedDatabaseArgs(
  policy: ResolvedPolicy,
  plan: Plan,
  target: AzurePlacement,
  clusterName: pulumi.Input<string>,
): redisenterprise.DatabaseArgs {
  const choice = plan.choices['azure-managed'];
  return {
    clusterName,
    resourceGroupName: target.resourceGroup,
    // Managed Redis has exactly one database per cluster and it must be called "default".
    databaseName: 'default',
    clientProtocol: policy.security.tls ? 'Encrypted' : 'Plaintext',
    port: Number(choice.extra?.port ?? azureManagedCatalog().port),
    // OSS cluster policy exposes the shards to cluster-aware clients (the plan's cluster topology);
    // Enterprise cluster policy hides them behind one endpoint for non-cluster clients.
    clusteringPolicy: plan.topology.mode === 'cluster' ? 'OSSCluster' : 'EnterpriseCluster',
    evictionPolicy: evictionPolicy(policy),
    persistence: managedPersistence(policy),
    accessKeysAuthentication: entraPrincipal(target) ? 'Disabled' : 'Enabled',
    deferUpgrade: 'NotDeferred',
  };
}

export class AzureManagedRedis extends pulumi.ComponentResource {
  readonly cluster: redisenterprise.RedisEnterprise;
  readonly database: redisenterprise.Database;
  readonly host: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  /** Primary access key as a Pulumi secret; undefined when Entra ID turns keys off. */
  readonly accessKey?: pulumi.Output<string>;
  readonly passwordFrom: pulumi.Output<string>;
  readonly contract: pulumi.Output<ConnectionContract>;
  /** Azure Managed Redis encrypts data at rest with Microsoft-managed keys; always on. */
  readonly encryptionAtRest = 'Microsoft-managed keys (always on)';
  readonly notes: string[];

  constructor(name: string, args: AzureManagedArgs, opts?: pulumi.ComponentResourceOptions) {
    // Check the target before registering anything, so bad input leaves nothing half-created.
    const target = checkPlacement(args.policy, args.target);
    super('redis-iac:azure:ManagedRedis', name, {}, opts);
    const { policy, plan } = args;
    const choice = plan.choices['azure-managed'];
    const t = args.transform ?? {};
    const tags = azureTags(policy);
    this.notes = azureCommonNotes(policy);
    const principal = entraPrincipal(target);
    this.notes.push(principal ? entraAccessNote('managed', principal) : accessKeyNote(policy));
    if (policy.persistence.aof && policy.persistence.rdb) {
      this.notes.push('Managed Redis persists with RDB or AOF, not both: AOF (fsync every second) is used.');
    } else if (policy.persistence.rdb && policy.persistence.snapshotPeriodHours === 24) {
      this.notes.push(
        'Managed Redis snapshots at most every 12 hours apart: 12h is used for the 24h policy period.',
      );
    }
    if (policy.engine === 'valkey') {
      this.notes.push('Azure Managed Redis runs Redis, not Valkey; Valkey clients connect unchanged.');
    }
    const exportNote = snapshotExportNote(policy, {
      keeps: 'Managed Redis persistence keeps the latest state only',
      command: 'az redisenterprise database export',
      destination: 'a blob container',
    });
    if (exportNote) this.notes.push(exportNote);

    const clusterName = scopedName(policy.name, [target.resourceGroup, target.location], 60);
    const cluster = new redisenterprise.RedisEnterprise(
      ...transformed(
        `${name}-cluster`,
        managedClusterArgs(policy, plan, target, clusterName),
        { parent: this, protect: policy.availability.deletionProtection },
        t.cluster,
      ),
    );
    this.cluster = cluster;
    const database = new redisenterprise.Database(
      ...transformed(
        `${name}-db`,
        managedDatabaseArgs(policy, plan, target, cluster.name),
        { parent: this, protect: policy.availability.deletionProtection },
        t.database,
      ),
    );
    this.database = database;
    if (principal) {
      // Managed Redis has one access policy ("default": data access); the object id is the user name.
      new redisenterprise.AccessPolicyAssignment(
        `${name}-app-access`,
        {
          accessPolicyAssignmentName: 'app',
          accessPolicyName: 'default',
          clusterName: cluster.name,
          databaseName: database.name,
          resourceGroupName: target.resourceGroup,
          user: { objectId: principal },
        },
        { parent: this },
      );
    }
    if (policy.availability.deletionProtection)
      createDeleteLock(name, cluster.id, `${policy.name}-redis-nodelete`, this);

    createCacheEndpoint(
      name,
      {
        policy,
        target,
        targetId: cluster.id,
        groupId: 'redisEnterprise',
        tags,
        transform: t.privateEndpoint,
      },
      this,
    );

    // Metrics come from the cluster; connection audit logs from the database.
    createDiagnostics(
      name,
      {
        resourceGroupName: target.resourceGroup,
        location: target.location,
        workspaceName: `${policy.name}-redis-logs`,
        workspaceId: args.logAnalyticsWorkspaceId,
        sources: [
          { id: 'cluster', resourceUri: cluster.id, logs: false, metrics: true },
          { id: 'database', resourceUri: database.id, logs: true, metrics: false },
        ],
        tags,
        transform: t.diagnosticSetting,
      },
      this,
    );

    if (policy.alerts.enabled) {
      this.notes.push(
        'Managed Redis replicates inside the service and publishes no replication-lag metric, reports cache hits and misses only as counts (no hit-rate alert) and latency only as an average (no p95 alert): alerts cover memory, clients, evictions, server load and CPU.',
      );
      createMetricAlerts(
        name,
        {
          policy,
          resourceGroupName: target.resourceGroup,
          scope: cluster.id,
          maxClients: choice.maxConnectionsPerShard ?? plan.connections.maxclients,
          failover: false,
          actionGroupId: target.actionGroupId,
          tags,
          transform: t.metricAlert,
        },
        this,
      );
    }

    this.host = cluster.hostName;
    this.port = database.port.apply((p) => p ?? Number(choice.extra?.port ?? azureManagedCatalog().port));
    const conn = azureConnection(
      policy,
      plan,
      target,
      { host: this.host, port: this.port, resourceId: database.id },
      () =>
        redisenterprise.listDatabaseKeysOutput(
          { clusterName: cluster.name, databaseName: database.name, resourceGroupName: target.resourceGroup },
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
      encryptionAtRest: this.encryptionAtRest,
      notes: this.notes,
    });
  }
}

/** redis-iac/gcp and redis-iac/azure: the public Pulumi components with plain props, under mocks. */
import { recordResources } from '../../lib/pulumi/run';
import type { RecordedResource } from '../../lib/pulumi/mocks';
import { AzureManagedRedis, AzureRedisPremium } from '../../lib/public/azure';
import { MemorystoreRedis, MemorystoreRedisCluster } from '../../lib/public/gcp';
import { planRedis } from '../../lib/public/planner';

const GCP = { project: 'acme-prod-123', region: 'us-central1', network: 'default' };
const SUBNET =
  '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/redis';
// appPrincipalId: production turns Azure access keys off (Entra ID) for this application identity.
const AZURE = {
  resourceGroup: 'rg-cache',
  location: 'eastus',
  subnetId: SUBNET,
  appPrincipalId: '5b8c3e4a-7d9f-4a01-9c2d-3e4f5a6b7c83',
};

const inputsOf = (rs: RecordedResource[], type: string) => {
  const found = rs.filter((r) => r.type === type);
  expect(found).toHaveLength(1);
  return found[0].inputs as Record<string, unknown>;
};

describe('MemorystoreRedis', () => {
  test('defaults: production Standard HA, TLS, AUTH, private service access, RDB', async () => {
    const rs = await recordResources(() => void new MemorystoreRedis('cache', GCP));
    const i = inputsOf(rs, 'gcp:redis/instance:Instance');
    expect(i).toMatchObject({
      name: 'cache',
      tier: 'STANDARD_HA',
      authEnabled: true,
      transitEncryptionMode: 'SERVER_AUTHENTICATION',
      connectMode: 'PRIVATE_SERVICE_ACCESS',
      deletionProtection: true,
    });
    expect(rs.some((r) => r.type === 'gcp:secretmanager/secret:Secret')).toBe(true);
  });

  test('explicit memorySizeGb and replicas; staging policy with one replica', async () => {
    const rs = await recordResources(
      () =>
        void new MemorystoreRedis('cache', {
          ...GCP,
          memorySizeGb: 7,
          replicas: 2,
          policy: { profile: 'staging' },
        }),
    );
    expect(inputsOf(rs, 'gcp:redis/instance:Instance')).toMatchObject({
      memorySizeGb: 7,
      tier: 'STANDARD_HA',
      readReplicasMode: 'READ_REPLICAS_ENABLED',
      replicaCount: 2,
    });
  });

  test('a plan that needs a cluster points to MemorystoreRedisCluster', () => {
    const plan = planRedis({ datasetGb: 500 });
    expect(() => new MemorystoreRedis('cache', { ...GCP, sizing: plan })).toThrow(
      /^MemorystoreRedis "cache": sizing: got .*use MemorystoreRedisCluster/,
    );
  });
});

describe('MemorystoreRedisCluster', () => {
  test('planRedis sizing for a cluster workload: shards and node type of the plan, IAM auth', async () => {
    const plan = planRedis({ devices: 100000 }, { policy: { availability: { topology: 'cluster' } } });
    const rs = await recordResources(
      () =>
        void new MemorystoreRedisCluster('sessions', {
          ...GCP,
          sizing: plan,
          policy: { availability: { topology: 'cluster' } },
        }),
    );
    expect(inputsOf(rs, 'gcp:redis/cluster:Cluster')).toMatchObject({
      shardCount: plan.choices.gcp.shards,
      nodeType: plan.choices.gcp.sku,
      authorizationMode: 'AUTH_MODE_IAM_AUTH',
    });
  });

  test('explicit node type, shards and replicas', async () => {
    const rs = await recordResources(
      () =>
        void new MemorystoreRedisCluster('sessions', {
          ...GCP,
          nodeType: 'REDIS_HIGHMEM_MEDIUM',
          shards: 4,
          replicasPerShard: 2,
        }),
    );
    expect(inputsOf(rs, 'gcp:redis/cluster:Cluster')).toMatchObject({
      shardCount: 4,
      replicaCount: 2,
      nodeType: 'REDIS_HIGHMEM_MEDIUM',
    });
  });
});

describe('AzureRedisPremium and AzureManagedRedis', () => {
  test('Premium with explicit SKU and shards: TLS only, no public access, private endpoint', async () => {
    const rs = await recordResources(
      () => void new AzureRedisPremium('cache', { ...AZURE, sku: 'P2', shards: 2 }),
    );
    expect(inputsOf(rs, 'azure-native:redis:Redis')).toMatchObject({
      sku: { name: 'Premium', family: 'P', capacity: 2 },
      shardCount: 2,
      enableNonSslPort: false,
      publicNetworkAccess: 'Disabled',
    });
    expect(rs.some((r) => r.type === 'azure-native:network:PrivateEndpoint')).toBe(true);
  });

  test('Managed Redis sized by planRedis({ devices: 100000 })', async () => {
    const plan = planRedis({ devices: 100000 });
    const rs = await recordResources(() => void new AzureManagedRedis('cache', { ...AZURE, sizing: plan }));
    expect(inputsOf(rs, 'azure-native:redisenterprise:RedisEnterprise')).toMatchObject({
      sku: { name: plan.choices['azure-managed'].sku },
      highAvailability: 'Enabled',
      publicNetworkAccess: 'Disabled',
    });
    expect(inputsOf(rs, 'azure-native:redisenterprise:Database')).toMatchObject({
      clientProtocol: 'Encrypted',
    });
  });
});

describe('wrong props: one error naming construct, prop, value and fix', () => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    [
      'MemorystoreRedis memorySizeGb',
      () => new MemorystoreRedis('cache', { ...GCP, memorySizeGb: 0 }),
      /^MemorystoreRedis "cache": memorySizeGb: got 0; expected an integer from 1 to 300/,
    ],
    [
      'MemorystoreRedis replicas',
      () => new MemorystoreRedis('cache', { ...GCP, replicas: 6 }),
      /^MemorystoreRedis "cache": replicas: got 6; expected an integer from 0 to 5/,
    ],
    [
      'MemorystoreRedis project',
      () => new MemorystoreRedis('cache', { ...GCP, project: 'X' }),
      /^MemorystoreRedis "cache": project: got "X"; /,
    ],
    [
      'MemorystoreRedisCluster shards',
      () => new MemorystoreRedisCluster('c', { ...GCP, shards: 0 }),
      /^MemorystoreRedisCluster "c": shards: got 0; expected an integer from 1 to 250/,
    ],
    [
      'MemorystoreRedisCluster nodeType',
      () => new MemorystoreRedisCluster('c', { ...GCP, nodeType: 'REDIS_X9_HUGE' }),
      /^MemorystoreRedisCluster "c": nodeType: got "REDIS_X9_HUGE"; not a Memorystore for Redis Cluster node type .*REDIS_HIGHMEM_MEDIUM/,
    ],
    [
      'MemorystoreRedisCluster replicasPerShard',
      () => new MemorystoreRedisCluster('c', { ...GCP, replicasPerShard: 3 }),
      /^MemorystoreRedisCluster "c": replicasPerShard: got 3; expected an integer from 0 to 2/,
    ],
    [
      'AzureRedisPremium sku',
      () => new AzureRedisPremium('cache', { ...AZURE, sku: 'P9' }),
      /^AzureRedisPremium "cache": sku: got "P9"; not an Azure Cache for Redis Premium SKU; use one of P1, P2/,
    ],
    [
      'AzureRedisPremium replicasPerPrimary',
      () => new AzureRedisPremium('cache', { ...AZURE, replicasPerPrimary: 4 }),
      /^AzureRedisPremium "cache": replicasPerPrimary: got 4; expected an integer from 1 to 3/,
    ],
    [
      'AzureRedisPremium subnetId',
      () =>
        new AzureRedisPremium('cache', {
          resourceGroup: 'rg',
          location: 'eastus',
          appPrincipalId: AZURE.appPrincipalId,
        }),
      /^AzureRedisPremium "cache": subnetId: got nothing .*private endpoint/,
    ],
    [
      'AzureManagedRedis sku',
      () => new AzureManagedRedis('cache', { ...AZURE, sku: 'Balanced_B9999' }),
      /^AzureManagedRedis "cache": sku: got "Balanced_B9999"; not an Azure Managed Redis SKU/,
    ],
    [
      'AzureManagedRedis highAvailability off in production',
      () => new AzureManagedRedis('cache', { ...AZURE, highAvailability: false }),
      /^AzureManagedRedis "cache": policy\.availability\.\w+: .*waiver/,
    ],
  ];
  test.each(cases)('%s', (_name, build, message) => {
    let error: Error | undefined;
    try {
      build();
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain('\n');
  });
});

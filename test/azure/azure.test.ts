/** Azure Cache for Redis Premium and Azure Managed Redis: translations and component behaviour. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { metricRules } from '../../lib/azure/alerts';
import { STORAGE_BLOB_DATA_CONTRIBUTOR } from '../../lib/azure/backup-storage';
import {
  AzureManagedRedis,
  evictionPolicy,
  managedDatabaseArgs,
  managedPersistence,
} from '../../lib/azure/managed';
import { AzurePremiumRedis, premiumVersion, premiumZones, reservedMemoryMb } from '../../lib/azure/premium';
import { checkPlacement, guidFrom, patchScheduleEntry, subscriptionOf } from '../../lib/azure/settings';
import { fromSpec, loadDeployment } from '../../lib/deployment';
import { validateSpec } from '../../lib/spec/load';
import { DEPLOY_SUBSCRIPTION_ID, FAKE_PRINCIPAL } from '../../lib/pulumi/mocks';
import { recordResources } from '../../lib/pulumi/run';
import type { ResolvedPolicy } from '../../lib/policy/types';

const ROOT = path.join(__dirname, '..', '..');
const load = (f: string) => loadDeployment(path.join(ROOT, 'examples', f));
const prod = load('default.yaml');
const acs = load('acs-100k.yaml');
const withPolicy = (p: ResolvedPolicy, change: (c: ResolvedPolicy) => void): ResolvedPolicy => {
  const copy = structuredClone(p);
  change(copy);
  return copy;
};

describe('settings', () => {
  test('patch schedule: day and hour from the window, at least the 5 hours Azure requires', () => {
    expect(patchScheduleEntry(prod.policy)).toEqual({
      dayOfWeek: 'Sunday',
      startHourUtc: 5,
      maintenanceWindow: 'PT5H',
    });
    const long = withPolicy(prod.policy, (p) => (p.maintenanceWindow = 'sat:20:00-sun:04:00'));
    expect(patchScheduleEntry(long)).toEqual({
      dayOfWeek: 'Saturday',
      startHourUtc: 20,
      maintenanceWindow: 'PT8H',
    });
  });
  test('placement: a missing subnet or a malformed one names targets.azure.subnetId', () => {
    expect(() => checkPlacement(prod.policy, { resourceGroup: 'rg', location: 'eastus' })).toThrow(
      /targets\.azure\.subnetId: got nothing/,
    );
    expect(() =>
      checkPlacement(prod.policy, {
        resourceGroup: 'rg',
        location: 'eastus',
        subnetId: '/subscriptions/x/vnets/y',
      }),
    ).toThrow(/ending in \/subnets\/<name>/);
    expect(() => checkPlacement(prod.policy, undefined)).toThrow(/targets\.azure: got nothing/);
    const open = withPolicy(prod.policy, (p) => (p.security.privateNetworking = false));
    expect(checkPlacement(open, { resourceGroup: 'rg', location: 'eastus' })).toBeDefined();
  });
  test('subscription from a resource id', () => {
    expect(subscriptionOf(prod.spec.targets.azure!.subnetId!, 'f')).toBe(
      '00000000-0000-0000-0000-000000000000',
    );
    expect(() => subscriptionOf('/resourceGroups/x', 'targets.azure.subnetId')).toThrow(
      /targets\.azure\.subnetId/,
    );
  });
  test('guidFrom gives a version-4 shaped GUID', () => {
    expect(guidFrom('0123456789abcdef0123456789abcdef')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
  test('metric rules: memory, clients share, evictions, load, CPU warning, hit rate from the miss rate, failover only with replicas', () => {
    const rules = metricRules(prod.policy, 10000, true, true);
    expect(rules.map((r) => [r.id, r.metricName, r.threshold, r.window])).toEqual([
      ['memory', 'usedmemorypercentage', 90, 'PT5M'],
      ['clients', 'connectedclients', 8000, 'PT5M'],
      ['evictions', 'evictedkeys', 1000, 'PT1H'],
      ['cpu', 'serverLoad', 80, 'PT5M'],
      ['cpu-warning', 'percentProcessorTime', 70, 'PT15M'],
      ['hit-rate', 'cachemissrate', 20, 'PT15M'],
      ['failover', 'errors', 0, 'PT5M'],
    ]);
    expect(metricRules(prod.policy, 10000, false).map((r) => r.id)).not.toContain('failover');
    // Managed Redis has no miss-rate metric: no hit-rate rule there.
    expect(metricRules(prod.policy, 10000, false).map((r) => r.id)).not.toContain('hit-rate');
  });
  test('spec overrides of the CPU warning and the hit-rate floor reach the rules', () => {
    const d = fromSpec(
      validateSpec({
        name: 'ovr2',
        profile: 'production',
        workload: { datasetGb: 1 },
        alerts: { cpuWarningPercent: 55, hitRateMin: 0.95 },
      }),
    );
    const rules = metricRules(d.policy, 100, false, true);
    expect(rules.find((r) => r.id === 'cpu-warning')?.threshold).toBe(55);
    expect(rules.find((r) => r.id === 'hit-rate')?.threshold).toBe(5);
  });
});

describe('Premium', () => {
  test('reserved memory: half of what the plan holds back from the SKU, each for maxmemory and fragmentation', () => {
    const choice = prod.plan.choices['azure-premium'];
    expect(reservedMemoryMb(choice)).toBe(Math.round(((6 - choice.memoryGbPerShard) / 2) * 1024));
    expect(() => reservedMemoryMb({ ...choice, sku: 'P9' })).toThrow(/not in the Premium catalog/);
  });
  test('version: Premium offers Redis 6 only, with a note when the policy asks for more', () => {
    expect(premiumVersion(prod.policy)).toMatchObject({
      version: '6',
      note: expect.stringMatching(/offers Redis 6/),
    });
    expect(premiumVersion(withPolicy(prod.policy, (p) => (p.engineVersion = '6.2')))).toEqual({
      version: '6',
    });
  });
  test('cluster plan: shardCount and replicas; RDB to the storage account by managed identity, no key', async () => {
    const resources = await recordResources(() => {
      new AzurePremiumRedis('acs', { policy: acs.policy, plan: acs.plan, target: acs.spec.targets.azure! });
    });
    const cache = resources.find((r) => r.type === 'azure-native:redis:Redis')!;
    const choice = acs.plan.choices['azure-premium'];
    expect(choice.replicasPerShard).toBe(1);
    expect(cache.inputs).toMatchObject({
      shardCount: choice.shards,
      replicasPerMaster: choice.replicasPerShard,
      // A primary and one replica per shard: two nodes, so two zones (Azure rejects more zones than nodes).
      zones: ['1', '2'],
    });
    const conf = cache.inputs.redisConfiguration as Record<string, string>;
    expect(conf.rdbStorageConnectionString).toMatch(
      /^BlobEndpoint=https:\/\/rdb[a-z0-9]+\.blob\.core\.windows\.net\/$/,
    );
    const role = resources.find((r) => r.type === 'azure-native:authorization:RoleAssignment')!;
    expect(role.inputs.roleDefinitionId).toContain(STORAGE_BLOB_DATA_CONTRIBUTOR);
    // The storage firewall admits the cache through the trusted-services exception, which takes the
    // system-assigned identity only: that identity gets the blob role, after the cache exists.
    expect(cache.inputs.identity).toEqual({ type: 'SystemAssigned' });
    expect(role.inputs.principalId).toBe(FAKE_PRINCIPAL);
    expect(resources.filter((r) => r.type === 'azure-native:managedidentity:UserAssignedIdentity')).toEqual(
      [],
    );
    const account = resources.find((r) => r.type === 'azure-native:storage:StorageAccount')!;
    expect(account.inputs).toMatchObject({
      allowSharedKeyAccess: false,
      networkRuleSet: { defaultAction: 'Deny', bypass: 'AzureServices' },
    });
    const group = resources.find((r) => r.type === 'azure-native:monitor:ActionGroup')!;
    expect(group.inputs).toMatchObject({
      emailReceivers: [{ emailAddress: 'noc@acs.example.com' }],
      groupShortName: 'acsredis',
    });
  });
  test('RDB storage lives in the deployment subscription even when the subnet is in another one', async () => {
    // Hub-and-spoke: the private endpoint subnet belongs to another subscription than the one
    // Pulumi deploys into (where the storage account, identity and cache are created).
    const hubSubnet =
      '/subscriptions/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee/resourceGroups/hub/providers/Microsoft.Network/virtualNetworks/hub/subnets/pe';
    const resources = await recordResources(() => {
      new AzurePremiumRedis('hub', {
        policy: prod.policy,
        plan: prod.plan,
        target: { ...prod.spec.targets.azure!, subnetId: hubSubnet },
      });
    });
    const deploySubscription = DEPLOY_SUBSCRIPTION_ID;
    const cache = resources.find((r) => r.type === 'azure-native:redis:Redis')!;
    const conf = cache.inputs.redisConfiguration as Record<string, string>;
    expect(conf.storageSubscriptionId).toBe(deploySubscription);
    const role = resources.find((r) => r.type === 'azure-native:authorization:RoleAssignment')!;
    expect(role.inputs.roleDefinitionId).toBe(
      `/subscriptions/${deploySubscription}/providers/Microsoft.Authorization/roleDefinitions/${STORAGE_BLOB_DATA_CONTRIBUTOR}`,
    );
    const pe = resources.find((r) => r.type === 'azure-native:network:PrivateEndpoint')!;
    expect(pe.inputs.subnet).toMatchObject({ id: hubSubnet });
  });
  test('zones: never more zones than nodes per shard (primary + replicas), at most three', () => {
    // Azure rejects a cache whose zone count exceeds its node count (primary and replicas):
    // MicrosoftDocs/azure-docs PR #124397, "Enable zone redundancy for Azure Cache for Redis".
    expect(premiumZones(prod.policy, 1)).toEqual(['1', '2']);
    expect(premiumZones(prod.policy, 2)).toEqual(['1', '2', '3']);
    expect(premiumZones(prod.policy, 3)).toEqual(['1', '2', '3']);
    expect(premiumZones(prod.policy, 0)).toBeUndefined();
    const single = withPolicy(prod.policy, (p) => (p.availability.multiAz = false));
    expect(premiumZones(single, 2)).toBeUndefined();
  });
  test('TLS off: the contract names the non-TLS port 6379 the cache opens, not the TLS port', async () => {
    const dev = load('hospitality-development.yaml');
    expect(dev.policy.security.tls).toBe(false);
    let contract: Record<string, string> = {};
    const resources = await recordResources(() => {
      new AzurePremiumRedis('dev', {
        policy: dev.policy,
        plan: dev.plan,
        target: dev.spec.targets.azure!,
      }).contract.apply((x) => (contract = x));
    });
    expect(resources.find((r) => r.type === 'azure-native:redis:Redis')!.inputs.enableNonSslPort).toBe(true);
    expect(contract).toMatchObject({ REDIS_TLS_ENABLED: 'false', REDIS_PORT: '6379' });
  });
  test('transform edits the cache; the private DNS zone is registered when given', async () => {
    const zone =
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/privatelink.redis.cache.windows.net';
    const resources = await recordResources(() => {
      new AzurePremiumRedis('app', {
        policy: prod.policy,
        plan: prod.plan,
        target: { ...prod.spec.targets.azure!, privateDnsZoneId: zone },
        transform: { cache: (args) => void (args.tenantSettings = { team: 'platform' }) },
      });
    });
    expect(resources.find((r) => r.type === 'azure-native:redis:Redis')!.inputs.tenantSettings).toEqual({
      team: 'platform',
    });
    const dns = resources.find((r) => r.type === 'azure-native:network:PrivateDnsZoneGroup')!;
    expect(dns.inputs.privateDnsZoneConfigs).toEqual([{ name: 'redis', privateDnsZoneId: zone }]);
  });
});

describe('Managed Redis', () => {
  test('eviction policy names map one to one; unknown ones fail', () => {
    expect(evictionPolicy(prod.policy)).toBe('VolatileLRU');
    expect(evictionPolicy(withPolicy(prod.policy, (p) => (p.keyspace.evictionPolicy = 'allkeys-lfu')))).toBe(
      'AllKeysLFU',
    );
    expect(() => evictionPolicy(withPolicy(prod.policy, (p) => (p.keyspace.evictionPolicy = 'lru')))).toThrow(
      /evictionPolicy/,
    );
  });
  test('persistence: AOF when asked, else RDB at the nearest offered period, else off', () => {
    expect(managedPersistence(prod.policy)).toEqual({
      aofEnabled: true,
      aofFrequency: '1s',
      rdbEnabled: false,
    });
    const rdb = (h: 1 | 6 | 12 | 24) =>
      withPolicy(prod.policy, (p) => Object.assign(p.persistence, { aof: false, snapshotPeriodHours: h }));
    expect(managedPersistence(rdb(1))).toMatchObject({ rdbEnabled: true, rdbFrequency: '1h' });
    expect(managedPersistence(rdb(24))).toMatchObject({ rdbEnabled: true, rdbFrequency: '12h' });
    const off = withPolicy(prod.policy, (p) => Object.assign(p.persistence, { aof: false, rdb: false }));
    expect(managedPersistence(off)).toEqual({ aofEnabled: false, rdbEnabled: false });
  });
  test('database: encrypted protocol on port 10000, OSS cluster policy for a cluster plan', () => {
    expect(managedDatabaseArgs(acs.policy, acs.plan, acs.spec.targets.azure!, 'c')).toMatchObject({
      databaseName: 'default',
      clientProtocol: 'Encrypted',
      port: 10000,
      clusteringPolicy: 'OSSCluster',
      accessKeysAuthentication: 'Disabled',
    });
    const { appPrincipalId: _omit, ...keys } = acs.spec.targets.azure!;
    expect(managedDatabaseArgs(acs.policy, acs.plan, keys, 'c').accessKeysAuthentication).toBe('Enabled');
    expect(managedDatabaseArgs(prod.policy, prod.plan, prod.spec.targets.azure!, 'c').clusteringPolicy).toBe(
      'EnterpriseCluster',
    );
  });
  test('component: HA from the plan, private endpoint to the cluster, metrics and connection logs', async () => {
    const resources = await recordResources(() => {
      new AzureManagedRedis('app', {
        policy: prod.policy,
        plan: prod.plan,
        target: prod.spec.targets.azure!,
      });
    });
    const cluster = resources.find((r) => r.type === 'azure-native:redisenterprise:RedisEnterprise')!;
    expect(cluster.inputs).toMatchObject({
      highAvailability: 'Enabled',
      publicNetworkAccess: 'Disabled',
      sku: { name: prod.plan.choices['azure-managed'].sku },
    });
    const pe = resources.find((r) => r.type === 'azure-native:network:PrivateEndpoint')!;
    expect(pe.inputs.privateLinkServiceConnections).toMatchObject([{ groupIds: ['redisEnterprise'] }]);
    const diag = resources
      .filter((r) => r.type === 'azure-native:monitor:DiagnosticSetting')
      .map((r) => [r.name, (r.inputs.logs as unknown[]).length, (r.inputs.metrics as unknown[]).length]);
    expect(diag).toEqual([
      ['app-diag-cluster', 0, 1],
      ['app-diag-database', 1, 0],
    ]);
  });
});

test('a TLS 1.3 policy enforces 1.2 on Azure (its highest minimum) and says so', async () => {
  const policy = withPolicy(prod.policy, (p) => (p.security.tlsMinVersion = '1.3'));
  let notes: string[] = [];
  const resources = await recordResources(() => {
    notes = new AzureManagedRedis('app', { policy, plan: prod.plan, target: prod.spec.targets.azure! }).notes;
  });
  expect(
    resources.find((r) => r.type === 'azure-native:redisenterprise:RedisEnterprise')!.inputs
      .minimumTlsVersion,
  ).toBe('1.2');
  expect(notes.join(' ')).toMatch(/at most TLS 1\.2/);
});

test('auth off in the policy: Azure still requires a key, so the contract still says where to read it', async () => {
  const dev = load('hospitality-development.yaml');
  expect(dev.policy.security.auth).toBe(false);
  let contract: Record<string, string> = {};
  let notes: string[] = [];
  await recordResources(() => {
    const c = new AzurePremiumRedis('dev', {
      policy: dev.policy,
      plan: dev.plan,
      target: dev.spec.targets.azure!,
    });
    notes = c.notes;
    c.contract.apply((x) => (contract = x));
  });
  expect(contract.REDIS_PASSWORD_FROM).toMatch(/^azure-redis-listkeys:/);
  expect(notes.join(' ')).toMatch(/always authenticates/);
});

describe('Entra ID (targets.azure.appPrincipalId)', () => {
  const principal = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
  test('Premium: keys off, aadEnabled, the app identity gets Data Contributor; the contract names the token scope and user', async () => {
    let contract: Record<string, string> = {};
    const resources = await recordResources(() => {
      new AzurePremiumRedis('app', {
        policy: prod.policy,
        plan: prod.plan,
        target: { ...prod.spec.targets.azure!, appPrincipalId: principal },
      }).contract.apply((c) => (contract = c));
    });
    const cache = resources.find((r) => r.type === 'azure-native:redis:Redis')!;
    expect(cache.inputs.disableAccessKeyAuthentication).toBe(true);
    expect((cache.inputs.redisConfiguration as Record<string, string>).aadEnabled).toBe('true');
    const assignment = resources.find((r) => r.type === 'azure-native:redis:AccessPolicyAssignment')!;
    expect(assignment.inputs).toMatchObject({
      accessPolicyName: 'Data Contributor',
      objectId: principal,
      objectIdAlias: principal,
      cacheName: cache.inputs.name,
    });
    expect(contract).toMatchObject({
      REDIS_USERNAME: principal,
      REDIS_PASSWORD_FROM: 'azure-entra:https://redis.azure.com/.default',
    });
  });
  test('Managed Redis: keys off on the database and an assignment of the "default" policy', async () => {
    const resources = await recordResources(() => {
      new AzureManagedRedis('app', {
        policy: prod.policy,
        plan: prod.plan,
        target: { ...prod.spec.targets.azure!, appPrincipalId: principal },
      });
    });
    const db = resources.find((r) => r.type === 'azure-native:redisenterprise:Database')!;
    expect(db.inputs.accessKeysAuthentication).toBe('Disabled');
    expect(
      resources.find((r) => r.type === 'azure-native:redisenterprise:AccessPolicyAssignment')!.inputs,
    ).toMatchObject({ accessPolicyName: 'default', databaseName: 'default', user: { objectId: principal } });
  });
  test('entraId without appPrincipalId fails naming the field (bad fixture)', () => {
    const { appPrincipalId: _omit, ...target } = prod.spec.targets.azure!;
    expect(() => checkPlacement(prod.policy, { ...target, entraId: true })).toThrow(
      /^spec: targets\.azure\.appPrincipalId: got nothing \(the field is missing\); Entra ID turns access keys off/,
    );
  });
  test('production without appPrincipalId fails in one line naming the field, unless waived', () => {
    const base = parse(fs.readFileSync(path.join(ROOT, 'examples', 'default.yaml'), 'utf8'));
    delete base.targets.azure.appPrincipalId;
    expect(() => fromSpec(validateSpec(base, 'x.yaml'), 'x.yaml')).toThrow(
      /^x\.yaml: targets\.azure\.appPrincipalId: got nothing \(the field is missing\); production requires this \(Azure access keys stay on.*add a waiver \{rule: entra-id/,
    );
    const waived = {
      ...base,
      waivers: [{ rule: 'entra-id', reason: 'legacy client reads one static password until Q3' }],
    };
    expect(fromSpec(validateSpec(waived, 'x.yaml'), 'x.yaml').policy.waivers.map((w) => w.rule)).toEqual([
      'entra-id',
    ]);
    // A bad object id is refused by the schema, naming the field.
    base.targets.azure.appPrincipalId = 'app-identity';
    expect(() => validateSpec(base, 'x.yaml')).toThrow(/targets\.azure\.appPrincipalId/);
  });
});

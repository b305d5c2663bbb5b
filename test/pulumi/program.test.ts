/**
 * Every example spec x every Pulumi target under mocks: the invariants the policy promises, checked on
 * the inputs the program would send to the cloud (not on the spec).
 */
import { loadDeployment } from '../../lib/deployment';
import { FAKE_SECRETS, isWireSecret, redact } from '../../lib/pulumi/mocks';
import { PULUMI_TARGETS } from '../../lib/pulumi/program';
import type { ProgramRun } from '../../lib/pulumi/run';
import { EXAMPLES, ofType, one, ROOT, run } from './helpers';
import * as path from 'node:path';

const runs: ProgramRun[] = [];

beforeAll(async () => {
  for (const spec of EXAMPLES) for (const target of PULUMI_TARGETS) runs.push(await run(spec, target));
});

const deployments = new Map<string, ReturnType<typeof loadDeployment>>();
const deploymentOf = (r: ProgramRun) => {
  if (!deployments.has(r.spec)) deployments.set(r.spec, loadDeployment(path.join(ROOT, r.spec)));
  return deployments.get(r.spec)!;
};
const policyOf = (r: ProgramRun) => deploymentOf(r).policy;
const spec = (r: ProgramRun) => deploymentOf(r).spec;
const byTarget = (t: string) => runs.filter((r) => r.target === t);

test('runs every example on every target', () => {
  expect(runs).toHaveLength(EXAMPLES.length * PULUMI_TARGETS.length);
  expect(EXAMPLES.length).toBeGreaterThanOrEqual(8);
  const stores = [
    'gcp:redis/instance:Instance',
    'gcp:redis/cluster:Cluster',
    'azure-native:redis:Redis',
    'azure-native:redisenterprise:RedisEnterprise',
  ];
  for (const r of runs) expect(r.resources.filter((x) => stores.includes(x.type))).toHaveLength(1);
});

test('secrets only travel as Pulumi secrets', () => {
  const fakes = Object.values(FAKE_SECRETS);
  for (const r of runs) {
    // Once secrets are redacted, no mock secret value is left in any input or output.
    const text = JSON.stringify({ inputs: r.resources.map((x) => redact(x.inputs)), outputs: r.outputs });
    for (const f of fakes) expect(text).not.toContain(f);
    const policy = policyOf(r);
    if (r.target === 'gcp' && r.outputs.service === 'memorystore-redis' && policy.security.auth) {
      expect(r.secretOutputs).toContain('authString');
      const version = one(r, 'gcp:secretmanager/secretVersion:SecretVersion');
      expect(isWireSecret(version.inputs.secretData)).toBe(true);
    }
    if (r.target !== 'gcp' && !String(r.outputs.passwordFrom).startsWith('azure-entra:')) {
      expect(r.secretOutputs).toContain('accessKey');
    }
  }
});

test('TLS only: no non-TLS port wherever the policy has TLS (always in production)', () => {
  const tls = runs.filter((r) => policyOf(r).security.tls);
  expect(tls.filter((r) => policyOf(r).profile === 'production')).toHaveLength(
    runs.filter((r) => policyOf(r).profile === 'production').length,
  );
  expect(tls.length).toBeLessThan(runs.length); // the development example opts out: it is checked below
  for (const r of tls) {
    expect(r.outputs.contract).toMatchObject({ REDIS_TLS_ENABLED: 'true' });
    for (const x of ofType(r, 'gcp:redis/instance:Instance'))
      expect(x.inputs.transitEncryptionMode).toBe('SERVER_AUTHENTICATION');
    for (const x of ofType(r, 'gcp:redis/cluster:Cluster'))
      expect(x.inputs.transitEncryptionMode).toBe('TRANSIT_ENCRYPTION_MODE_SERVER_AUTHENTICATION');
    for (const x of ofType(r, 'azure-native:redis:Redis')) {
      expect(x.inputs.enableNonSslPort).toBe(false);
      expect(x.inputs.minimumTlsVersion).toBe('1.2');
      expect(r.outputs.port).toBe(6380);
    }
    for (const x of ofType(r, 'azure-native:redisenterprise:Database')) {
      expect(x.inputs.clientProtocol).toBe('Encrypted');
      expect(x.inputs.port).toBe(10000);
    }
    for (const x of ofType(r, 'azure-native:redisenterprise:RedisEnterprise'))
      expect(x.inputs.minimumTlsVersion).toBe('1.2');
  }
});

test('a spec without TLS gets plaintext settings consistently', () => {
  for (const r of runs.filter((x) => !policyOf(x).security.tls)) {
    expect(r.outputs.contract).toMatchObject({ REDIS_TLS_ENABLED: 'false' });
    for (const x of ofType(r, 'gcp:redis/instance:Instance'))
      expect(x.inputs.transitEncryptionMode).toBe('DISABLED');
    for (const x of ofType(r, 'azure-native:redis:Redis')) {
      expect(x.inputs.enableNonSslPort).toBe(true);
      // Plaintext clients must be sent to the non-TLS port, not 6380.
      expect(r.outputs.port).toBe(6379);
      expect(r.outputs.contract).toMatchObject({ REDIS_PORT: '6379' });
    }
    for (const x of ofType(r, 'azure-native:redisenterprise:Database'))
      expect(x.inputs.clientProtocol).toBe('Plaintext');
  }
});

test('no public network access: private service access, PSC or a private endpoint', () => {
  for (const r of byTarget('gcp')) {
    for (const x of ofType(r, 'gcp:redis/instance:Instance')) {
      expect(x.inputs.connectMode).toBe('PRIVATE_SERVICE_ACCESS');
      expect(x.inputs.authorizedNetwork).toMatch(/^projects\/[^/]+\/global\/networks\/[^/]+$/);
    }
    for (const x of ofType(r, 'gcp:redis/cluster:Cluster')) expect(x.inputs.pscConfigs).toHaveLength(1);
  }
  for (const r of [...byTarget('azure-premium'), ...byTarget('azure-managed')]) {
    const store = [
      ...ofType(r, 'azure-native:redis:Redis'),
      ...ofType(r, 'azure-native:redisenterprise:RedisEnterprise'),
    ];
    expect(store).toHaveLength(1);
    expect(store[0].inputs.publicNetworkAccess).toBe('Disabled');
    const pe = one(r, 'azure-native:network:PrivateEndpoint');
    expect(pe.inputs.subnet).toMatchObject({ id: expect.stringMatching(/\/subnets\/[^/]+$/) });
    for (const sa of ofType(r, 'azure-native:storage:StorageAccount')) {
      expect(sa.inputs.allowSharedKeyAccess).toBe(false);
      expect(sa.inputs.allowBlobPublicAccess).toBe(false);
      expect(sa.inputs.networkRuleSet).toMatchObject({ defaultAction: 'Deny' });
    }
  }
});

test('persistence is on in production', () => {
  const production = runs.filter((r) => policyOf(r).profile === 'production');
  expect(production.length).toBeGreaterThan(10);
  for (const r of production) {
    for (const x of ofType(r, 'gcp:redis/instance:Instance'))
      expect(x.inputs.persistenceConfig).toMatchObject({ persistenceMode: 'RDB' });
    for (const x of ofType(r, 'gcp:redis/cluster:Cluster')) {
      expect(['RDB', 'AOF']).toContain((x.inputs.persistenceConfig as { mode: string }).mode);
      expect(x.inputs.automatedBackupConfig).toMatchObject({
        retention: `${policyOf(r).persistence.snapshotRetentionDays * 86400}s`,
      });
    }
    for (const x of ofType(r, 'azure-native:redis:Redis')) {
      expect(x.inputs.redisConfiguration).toMatchObject({
        rdbBackupEnabled: 'true',
        preferredDataPersistenceAuthMethod: 'ManagedIdentity',
      });
      expect(JSON.stringify(x.inputs.redisConfiguration)).not.toMatch(/AccountKey=/i);
    }
    for (const x of ofType(r, 'azure-native:redisenterprise:Database')) {
      const p = x.inputs.persistence as { aofEnabled?: boolean; rdbEnabled?: boolean };
      expect(p.aofEnabled || p.rdbEnabled).toBe(true);
    }
  }
});

test('maintenance window, alerts and deletion protection follow the policy', () => {
  for (const r of runs) {
    const policy = policyOf(r);
    const alerts = [
      ...ofType(r, 'gcp:monitoring/alertPolicy:AlertPolicy'),
      ...ofType(r, 'azure-native:monitor:MetricAlert'),
    ];
    if (policy.alerts.enabled) expect(alerts.length).toBeGreaterThanOrEqual(3);
    else expect(alerts).toHaveLength(0);
    if (r.target === 'azure-premium') {
      expect(one(r, 'azure-native:redis:PatchSchedule').inputs.scheduleEntries).toHaveLength(1);
    }
    if (r.target === 'gcp') {
      const store = [
        ...ofType(r, 'gcp:redis/instance:Instance'),
        ...ofType(r, 'gcp:redis/cluster:Cluster'),
      ][0];
      expect(store.inputs.maintenancePolicy).toBeDefined();
      expect(store.inputs.deletionProtection ?? store.inputs.deletionProtectionEnabled).toBe(
        policy.availability.deletionProtection,
      );
    } else {
      expect(ofType(r, 'azure-native:authorization:ManagementLockByScope')).toHaveLength(
        policy.availability.deletionProtection ? 1 : 0,
      );
      expect(ofType(r, 'azure-native:monitor:DiagnosticSetting').length).toBeGreaterThanOrEqual(1);
    }
  }
});

test('plan decides the Memorystore service and the Azure SKUs', () => {
  for (const r of runs) {
    const plan = deploymentOf(r).plan;
    const choice = plan.choices[r.target];
    expect(r.outputs.sku).toBe(choice.sku);
    if (r.target === 'gcp') {
      const type =
        choice.service === 'memorystore-cluster'
          ? 'gcp:redis/cluster:Cluster'
          : 'gcp:redis/instance:Instance';
      expect(ofType(r, type)).toHaveLength(1);
    }
    if (r.target === 'azure-premium') {
      expect(one(r, 'azure-native:redis:Redis').inputs.sku).toEqual({
        name: 'Premium',
        family: 'P',
        capacity: choice.extra?.capacity,
      });
      expect(r.outputs.managedEquivalent).toBe(choice.extra?.managedEquivalent);
    }
    if (r.target === 'azure-managed') {
      expect(one(r, 'azure-native:redisenterprise:RedisEnterprise').inputs.sku).toEqual({ name: choice.sku });
      expect(one(r, 'azure-native:redisenterprise:Database').inputs.clusteringPolicy).toBe(
        plan.topology.mode === 'cluster' ? 'OSSCluster' : 'EnterpriseCluster',
      );
    }
  }
});

test('Entra ID turns access keys off in production (unless waived) and gives the app identity data access', () => {
  const azure = runs.filter((r) => r.target !== 'gcp');
  const entra = azure.filter((r) => spec(r).targets.azure?.appPrincipalId);
  // Every production example but go-api (waived) names its app identity.
  expect(new Set(entra.map((r) => r.spec)).size).toBeGreaterThanOrEqual(5);
  for (const r of entra) {
    const principal = spec(r).targets.azure!.appPrincipalId!;
    expect(r.outputs.accessKey).toBeUndefined();
    // No key listing (the only calls left are provider metadata such as getClientConfig).
    expect(r.calls.filter((c) => /list(Redis|Database)Keys$/.test(c))).toHaveLength(0);
    expect(r.outputs.contract).toMatchObject({
      REDIS_PASSWORD_FROM: 'azure-entra:https://redis.azure.com/.default',
      REDIS_USERNAME: principal,
    });
    if (r.target === 'azure-premium') {
      const cache = one(r, 'azure-native:redis:Redis');
      expect(cache.inputs.disableAccessKeyAuthentication).toBe(true);
      expect((cache.inputs.redisConfiguration as Record<string, string>).aadEnabled).toBe('true');
      expect(one(r, 'azure-native:redis:AccessPolicyAssignment').inputs).toMatchObject({
        accessPolicyName: 'Data Contributor',
        objectId: principal,
        objectIdAlias: principal,
        cacheName: cache.inputs.name,
      });
    } else {
      expect(one(r, 'azure-native:redisenterprise:Database').inputs.accessKeysAuthentication).toBe(
        'Disabled',
      );
      expect(one(r, 'azure-native:redisenterprise:AccessPolicyAssignment').inputs).toMatchObject({
        accessPolicyName: 'default',
        databaseName: 'default',
        user: { objectId: principal },
      });
    }
  }
  const keys = azure.filter((r) => !spec(r).targets.azure?.appPrincipalId);
  for (const r of keys) {
    const p = policyOf(r);
    // Keys stay on only outside production or with the entra-id waiver, and the notes say which.
    expect(p.profile !== 'production' || p.waivers.some((w) => w.rule === 'entra-id')).toBe(true);
    expect((r.outputs.notes as string[]).join(' ')).toMatch(
      /Access keys stay on \((waived, rule entra-id|allowed by the)/,
    );
    expect(ofType(r, 'azure-native:redis:AccessPolicyAssignment')).toHaveLength(0);
  }
});

test('Premium zones never outnumber the nodes of a shard (Azure rejects that), and multi-AZ specs span two or more', () => {
  const premium = byTarget('azure-premium');
  for (const r of premium) {
    const cache = one(r, 'azure-native:redis:Redis');
    const zones = (cache.inputs.zones as string[] | undefined) ?? [];
    const nodes = 1 + Number(cache.inputs.replicasPerMaster);
    expect(zones.length).toBeLessThanOrEqual(nodes);
    if (policyOf(r).availability.multiAz) expect(zones.length).toBeGreaterThanOrEqual(2);
  }
  // At least one example has a single replica, the case that used to ask for three zones.
  expect(premium.some((r) => one(r, 'azure-native:redis:Redis').inputs.replicasPerMaster === 1)).toBe(true);
});

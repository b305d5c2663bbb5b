/**
 * synthKubernetes for the example specs: files written, every object valid (re-read from the
 * files as written), plan/policy figures carried into the objects, and no secret material anywhere.
 * The manifests' snapshots are test/synth/examples-*.test.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { deploymentFromYaml } from '../../lib/deployment';
import { SpecError } from '../../lib/errors';
import { buildFlavor, assertNoSecretMaterial, synthKubernetes } from '../../lib/k8s/synth';
import {
  isCoreObject,
  isCustomResource,
  validateBitnamiValues,
  validateObject,
  type ManifestObject,
} from '../../lib/k8s/validate';
import { loadPatched, PATCHED_BITNAMI, withKubernetesLines, withPatchedBitnami } from './patched-bitnami';
import { examplesWithTargets } from '../support/examples';

/* eslint-disable-next-line @typescript-eslint/no-explicit-any -- test fixtures walk untyped manifests */
type Loose = Record<string, any>;
type Obj = ManifestObject & { spec: Loose };

const EXAMPLES = examplesWithTargets('kubernetes');

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-synth-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function readObjects(file: string): ManifestObject[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as ManifestObject | null)
    .filter((o): o is ManifestObject => !!o);
}

function synth(example: string) {
  const d = loadPatched(path.join('examples', example));
  const out = path.join(tmp, d.id);
  const files = synthKubernetes(d, out);
  return { d, out, files };
}

/** default.yaml with lines under targets.kubernetes (an images block merged with the patched Bitnami fixture). */
function withLines(extra: string) {
  const raw = fs.readFileSync(path.join('examples', 'default.yaml'), 'utf8');
  return deploymentFromYaml(withKubernetesLines(raw, '    storageClass: gp3', extra), 'default.yaml');
}

function spec(example: string, edit: (text: string) => string) {
  return deploymentFromYaml(
    edit(withPatchedBitnami(fs.readFileSync(path.join('examples', example), 'utf8'))),
    example,
  );
}

describe.each(EXAMPLES)('%s', (example) => {
  it('writes both flavors; every object in the written files validates; no secret material', () => {
    const { files, out } = synth(example);
    expect(files.map((f) => path.basename(f)).sort()).toEqual([
      'bitnami.yaml',
      'opstree.yaml',
      'values-redis.yaml',
    ]);
    let core = 0;
    let custom = 0;
    for (const f of ['opstree.yaml', 'bitnami.yaml']) {
      const objects = readObjects(path.join(out, f));
      expect(objects.length).toBeGreaterThanOrEqual(2);
      for (const o of objects) {
        expect(() => validateObject(o)).not.toThrow();
        if (isCustomResource(o)) custom++;
        else if (isCoreObject(o)) core++;
        expect(o.kind).not.toBe('Secret');
      }
      assertNoSecretMaterial(objects);
    }
    expect(core).toBeGreaterThan(0);
    expect(custom).toBeGreaterThan(0);
    const values = parseAllDocuments(fs.readFileSync(path.join(out, 'values-redis.yaml'), 'utf8'))[0].toJS();
    expect(() => validateBitnamiValues(values)).not.toThrow();
    const text = files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    expect(text).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY/);
    expect(text).not.toMatch(/nopass/);
  });
});

describe('figures from the plan and the policy', () => {
  it('OpsTree: cluster layout, resources, maxMemoryPercentOfLimit, storage, TLS, ACL, exporter, PDBs, spread', () => {
    const d = loadPatched('examples/acs-100k.yaml');
    const rc = buildFlavor(d, 'opstree').objects.find((o) => o.kind === 'RedisCluster') as ManifestObject & {
      spec: Loose;
    };
    const k = d.plan.kubernetes;
    expect(rc.spec.clusterSize).toBe(d.plan.choices.kubernetes.shards);
    expect(rc.spec.redisFollower.replicas).toBe(
      d.plan.choices.kubernetes.shards * d.plan.topology.replicasPerShard,
    );
    expect(rc.spec.kubernetesConfig.resources.limits.memory).toBe(`${k.memoryLimitMi}Mi`);
    // Operator 0.26 reads it from the top-level redisConfig only (per-role values are ignored).
    expect(rc.spec.redisConfig.maxMemoryPercentOfLimit).toBe(k.maxMemoryPercentOfLimit);
    expect(rc.spec.storage.volumeClaimTemplate.spec.resources.requests.storage).toBe(`${k.storageGi}Gi`);
    expect(rc.spec.storage.volumeClaimTemplate.spec.storageClassName).toBe('fast-ssd');
    expect(rc.spec.TLS.secret.secretName).toBe('acs-redis-tls');
    expect(rc.spec.acl.secret.secretName).toBe('acs-redis-acl');
    expect(rc.spec.kubernetesConfig.redisSecret).toEqual({ name: 'acs-redis-auth', key: 'password' });
    expect(rc.spec.redisExporter.enabled).toBe(true);
    expect(rc.spec.redisLeader.pdb.enabled).toBe(true);
    expect(rc.spec.redisFollower.pdb.enabled).toBe(true);
    expect(rc.spec.podSecurityContext.runAsNonRoot).toBe(true);
    expect(rc.spec.redisLeader.topologySpreadConstraints[0]).toMatchObject({
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'DoNotSchedule',
    });
    // Pinned by tag and by the digest the images catalog records.
    expect(rc.spec.kubernetesConfig.image).toMatch(/:v\d+\.\d+\.\d+@sha256:[0-9a-f]{64}$/);
  });

  it('alert thresholds come from the policy and maxclients from the plan', () => {
    const d = loadPatched('examples/default.yaml');
    const rule = buildFlavor(d, 'opstree').objects.find(
      (o) => o.kind === 'PrometheusRule',
    ) as ManifestObject & {
      spec: { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> };
    };
    const rules = Object.fromEntries(rule.spec.groups[0].rules.map((r) => [r.alert, r.expr]));
    const a = d.policy.alerts;
    expect(rules.RedisMemoryHigh).toMatch(new RegExp(`> ${a.memoryPercent}$`));
    expect(rules.RedisConnectionsNearLimit).toMatch(
      new RegExp(`> ${Math.floor((d.plan.connections.maxclients * a.connectionsPercent) / 100)}$`),
    );
    expect(rules.RedisEvictions).toContain(`> ${a.evictionsPerHour}`);
    expect(rules.RedisHighLatency).toContain(`> ${a.latencyP95Ms}`);
    expect(Object.keys(rules)).toEqual(
      expect.arrayContaining([
        'RedisInstanceDown',
        'RedisReplicationBroken',
        'RedisHighLatency',
        'RedisEvictions',
      ]),
    );
  });

  it('Bitnami: replication + Sentinel in production, standalone for a single primary', () => {
    const prod = buildFlavor(loadPatched('examples/default.yaml'), 'bitnami').values as Loose;
    expect(prod.architecture).toBe('replication');
    expect(prod.sentinel.enabled).toBe(true);
    expect(prod.auth.existingSecret).toBe('app-cache-bitnami-auth');
    expect(prod.tls).toMatchObject({
      enabled: true,
      existingSecret: 'app-cache-bitnami-tls',
      certFilename: 'tls.crt',
    });
    expect(prod.networkPolicy.allowExternal).toBe(false);
    expect(prod.image).toMatchObject({
      registry: PATCHED_BITNAMI.bitnamiRegistry,
      repository: PATCHED_BITNAMI.bitnamiRepository,
    });
    const single = buildFlavor(loadPatched('examples/go-api.yaml'), 'bitnami').values as Loose;
    expect(single.architecture).toBe('standalone');
    expect(single.sentinel.enabled).toBe(false);
  });

  it('no backup job when the policy keeps no snapshots (development)', () => {
    const d = loadPatched('examples/hospitality-development.yaml');
    expect(d.policy.persistence.snapshotRetentionDays).toBe(0);
    expect(buildFlavor(d, 'opstree').objects.some((o) => o.kind === 'CronJob')).toBe(false);
  });

  it('backup CronJob: schedule from the snapshot window, retention from the policy', () => {
    const d = loadPatched('examples/hospitality-production.yaml');
    const cj = buildFlavor(d, 'opstree').objects.find((o) => o.kind === 'CronJob') as ManifestObject & {
      spec: Loose;
    };
    expect(cj.spec.schedule).toBe('0 3 * * *');
    const env = cj.spec.jobTemplate.spec.template.spec.containers[0].env as Array<{
      name: string;
      value?: string;
    }>;
    expect(env.find((e) => e.name === 'RETENTION_DAYS')?.value).toBe(
      String(d.policy.persistence.snapshotRetentionDays),
    );
  });
});

describe('spec variants', () => {
  it('externalSecretStore: ExternalSecrets (validated against their CRD) instead of kubectl commands', () => {
    const d = spec('default.yaml', (t) =>
      t.replace('    storageClass: gp3', '    storageClass: gp3\n    externalSecretStore: vault'),
    );
    for (const flavor of ['opstree', 'bitnami'] as const) {
      const out = buildFlavor(d, flavor);
      const es = out.objects.filter((o) => o.kind === 'ExternalSecret');
      const base = flavor === 'opstree' ? 'app-cache' : 'app-cache-bitnami';
      // One Secret per role that runs here: the exporter, the backup and TLS-reload jobs get their own.
      expect(es.map((o) => o.metadata?.name).sort()).toEqual(
        [
          'acl',
          'app-credentials',
          'auth',
          'backup-credentials',
          'metrics-credentials',
          'tls-reload-credentials',
        ]
          .map((s) => `${base}-${s}`)
          .sort(),
      );
      for (const o of es) expect(() => validateObject(o)).not.toThrow();
      expect(out.secretCommands).toEqual([]);
      const acl = es.find((o) => o.metadata?.name?.endsWith('-acl')) as Obj;
      for (const ref of ['admin', 'app', 'metrics', 'backup', 'tls_reload'])
        expect(acl.spec.target.template.data['user.acl']).toContain(`{{ .${ref} | sha256sum }}`);
      // Bitnami with Sentinel: the Sentinels' ACL is a second key of the same Secret (admin and app digests).
      const sentinelAcl = acl.spec.target.template.data['sentinel.acl'];
      if (flavor === 'opstree') expect(sentinelAcl).toBeUndefined();
      else {
        expect(sentinelAcl).toContain('user default on resetpass #{{ .admin | sha256sum }} ~* &* +@all');
        expect(sentinelAcl).toContain(
          'user app-app on resetpass #{{ .app | sha256sum }} resetkeys resetchannels &* -@all',
        );
      }
      expect(acl.spec.data.map((x: { secretKey: string }) => x.secretKey).sort()).toEqual([
        'admin',
        'app',
        'backup',
        'metrics',
        'tls_reload',
      ]);
      const reload = es.find((o) => o.metadata?.name === `${base}-tls-reload-credentials`) as Obj;
      expect(reload.spec.data).toEqual([
        { secretKey: 'tls_reload', remoteRef: { key: `app/app-cache/tls-reload-password` } },
      ]);
      expect(reload.spec.target.template.data).toEqual({
        username: 'app-tls-reload',
        password: '{{ .tls_reload }}',
      });
      expect(acl.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'vault' });
    }
  });

  it('clusterIssuer: the server Certificate uses it and no Issuer is created', () => {
    const d = spec('default.yaml', (t) =>
      t.replace('    storageClass: gp3', '    storageClass: gp3\n    clusterIssuer: corp-ca'),
    );
    const objects = buildFlavor(d, 'opstree').objects;
    expect(objects.some((o) => o.kind === 'Issuer')).toBe(false);
    const cert = objects.find((o) => o.kind === 'Certificate') as ManifestObject & {
      spec: { issuerRef: unknown };
    };
    expect(cert.spec.issuerRef).toEqual({ name: 'corp-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' });
  });

  it('backupTarget.s3Bucket: an upload container after the backup init container, no backup PVC', () => {
    const d = spec('default.yaml', (t) =>
      t.replace(
        '    storageClass: gp3',
        '    storageClass: gp3\n    backupTarget: { s3Bucket: corp-redis-backups }',
      ),
    );
    const objects = buildFlavor(d, 'bitnami').objects;
    const cj = objects.find((o) => o.kind === 'CronJob') as Obj;
    const pod = cj.spec.jobTemplate.spec.template.spec;
    expect(pod.initContainers[0].name).toBe('backup');
    expect(pod.containers[0].name).toBe('upload-s3');
    expect(pod.containers[0].env).toEqual(
      expect.arrayContaining([{ name: 'S3_BUCKET', value: 'corp-redis-backups' }]),
    );
    expect(objects.some((o) => o.kind === 'PersistentVolumeClaim')).toBe(false);
  });

  it('image overrides are used; an unpinned image is a SpecError naming the field', () => {
    const d = withLines(
      '    images: { redis: "quay.io/opstree/redis:v8.6.3", bitnamiTag: "8.4.3-debian-12-r0", bitnamiSentinelTag: "8.4.3-debian-12-r0" }',
    );
    const rc = buildFlavor(d, 'opstree').objects.find((o) => o.kind === 'RedisCluster') as Obj;
    expect(rc.spec.kubernetesConfig.image).toBe('quay.io/opstree/redis:v8.6.3');
    expect((buildFlavor(d, 'bitnami').values as Loose).image.tag).toBe('8.4.3-debian-12-r0');
    const bad = withLines('    images: { redis: "redis:latest" }');
    expect(() => buildFlavor(bad, 'opstree')).toThrow(SpecError);
    expect(() => buildFlavor(bad, 'opstree')).toThrow(
      /targets\.kubernetes\.images\.redis: got "redis:latest"/,
    );
  });

  it('a chartPath that is not a chart is a SpecError', () => {
    const d = spec('default.yaml', (t) =>
      t.replace('    storageClass: gp3', '    storageClass: gp3\n    chartPath: /nonexistent/redis'),
    );
    expect(() => buildFlavor(d, 'bitnami')).toThrow(
      /targets\.kubernetes\.chartPath: got "\/nonexistent\/redis"/,
    );
  });

  it('flavors: only the listed flavor is written', () => {
    const d = spec('default.yaml', (t) => t.replace('flavors: [opstree, bitnami]', 'flavors: [opstree]'));
    const files = synthKubernetes(d, path.join(tmp, 'only-opstree'));
    expect(files.map((f) => path.basename(f))).toEqual(['opstree.yaml']);
  });
});

describe('the secret-material check', () => {
  it('rejects a Secret object, a PEM private key and a literal password', () => {
    const meta = { name: 'x', namespace: 'n' };
    expect(() =>
      assertNoSecretMaterial([{ apiVersion: 'v1', kind: 'Secret', metadata: meta, stringData: { a: 'b' } }]),
    ).toThrow(/must not contain Secrets/);
    expect(() =>
      assertNoSecretMaterial([
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: meta,
          data: { k: '-----BEGIN EC PRIVATE KEY-----\nabc' },
        },
      ]),
    ).toThrow(/private key/);
    expect(() => assertNoSecretMaterial([], { auth: { password: 'hunter2hunter2' } })).toThrow(
      /literal value/,
    );
    expect(() => assertNoSecretMaterial([], { auth: { password: '' } })).not.toThrow();
  });
});

/**
 * Each validator accepts a good object and rejects broken ones: wrong type, missing required
 * field, unknown field (typo), bad enum. The good objects come from a real synth so the fixtures
 * cannot drift from what the charts emit.
 */
import { deploymentFromYaml } from '../../lib/deployment';
import { buildFlavor } from '../../lib/k8s/synth';
import {
  ManifestValidationError,
  unknownValueKeys,
  validateBitnamiValues,
  validateCoreObject,
  validateCustomResource,
  validateObject,
  type ManifestObject,
} from '../../lib/k8s/validate';
import * as fs from 'node:fs';
import { closeObjectSchemas, dropDescriptions } from '../../lib/k8s/compile-schemas';
import { withPatchedBitnami } from './patched-bitnami';

const spec = withPatchedBitnami(fs.readFileSync('examples/default.yaml', 'utf8'));
const d = deploymentFromYaml(spec, 'default.yaml');
const opstree = buildFlavor(d, 'opstree');
const bitnami = buildFlavor(d, 'bitnami');
// Neither flavor writes a Service any more (the operator and the chart make them), but a chart rendered
// in through chartPath does: a Service shaped like the chart's metrics Service stands in for it.
const chartService: ManifestObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'app-cache-bitnami-metrics', namespace: 'app' },
  spec: {
    type: 'ClusterIP',
    selector: { 'app.kubernetes.io/name': 'redis', 'app.kubernetes.io/instance': 'app-cache-bitnami' },
    ports: [{ name: 'http-metrics', port: 9121, targetPort: 'metrics', protocol: 'TCP' }],
  },
} as ManifestObject;
const all = [...opstree.objects, ...bitnami.objects, chartService];

const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o)) as T;
function find(kind: string, objects = all): ManifestObject {
  const o = objects.find((x) => x.kind === kind);
  if (!o) throw new Error(`no ${kind} in the synthesized output`);
  return clone(o);
}
function expectInvalid(fn: () => void, pattern: RegExp): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ManifestValidationError);
  expect((err as Error).message).toMatch(pattern);
}

describe('custom resources against their CRD openAPIV3Schema (unknown fields rejected)', () => {
  const kinds = ['RedisCluster', 'Certificate', 'Issuer', 'ServiceMonitor', 'PrometheusRule'];
  it.each(kinds)('%s from the chart is valid', (kind) => {
    expect(() => validateCustomResource(find(kind))).not.toThrow();
  });

  it('RedisCluster: a misspelt key (tls instead of TLS) is rejected', () => {
    const o = find('RedisCluster') as ManifestObject & { spec: Record<string, unknown> };
    o.spec.tls = o.spec.TLS;
    delete o.spec.TLS;
    expectInvalid(() => validateCustomResource(o), /unknown field "tls"/);
  });
  it('RedisCluster: missing clusterSize and a string where an integer belongs are rejected', () => {
    const o = find('RedisCluster') as ManifestObject & { spec: Record<string, unknown> };
    delete o.spec.clusterSize;
    expectInvalid(() => validateCustomResource(o), /clusterSize/);
    const p = find('RedisCluster') as ManifestObject & { spec: { port: unknown } };
    p.spec.port = '6379';
    expectInvalid(() => validateCustomResource(p), /\/spec\/port must be integer/);
  });
  it('RedisCluster: maxMemoryPercentOfLimit above 100 is rejected', () => {
    const o = find('RedisCluster') as ManifestObject & {
      spec: { redisLeader: { redisConfig: Record<string, unknown> } };
    };
    o.spec.redisLeader.redisConfig.maxMemoryPercentOfLimit = 150;
    expectInvalid(() => validateCustomResource(o), /maxMemoryPercentOfLimit/);
  });
  it('Certificate: without secretName, or with an unknown private key algorithm, is rejected', () => {
    const o = find('Certificate') as ManifestObject & { spec: Record<string, unknown> };
    delete o.spec.secretName;
    expectInvalid(() => validateCustomResource(o), /secretName/);
    const a = find('Certificate') as ManifestObject & { spec: { privateKey: { algorithm: string } } };
    a.spec.privateKey.algorithm = 'DSA';
    expectInvalid(() => validateCustomResource(a), /allowed: RSA, ECDSA, Ed25519/);
  });
  it('Issuer: an unknown issuer type is rejected', () => {
    const o = find('Issuer') as ManifestObject & { spec: Record<string, unknown> };
    o.spec.selfsigned = {};
    expectInvalid(() => validateCustomResource(o), /unknown field "selfsigned"/);
  });
  it('ServiceMonitor: endpoints must be a list', () => {
    const o = find('ServiceMonitor') as ManifestObject & { spec: Record<string, unknown> };
    o.spec.endpoints = { port: 'metrics' };
    expectInvalid(() => validateCustomResource(o), /endpoints must be array/);
  });
  it('PrometheusRule: a rule field typo is rejected', () => {
    const o = find('PrometheusRule') as ManifestObject & {
      spec: { groups: Array<{ rules: Array<Record<string, unknown>> }> };
    };
    o.spec.groups[0].rules[0].expression = o.spec.groups[0].rules[0].expr;
    expectInvalid(() => validateCustomResource(o), /unknown field "expression"/);
  });
  it('ExternalSecret: valid as emitted; an unknown store kind or a missing remote key is rejected', () => {
    const withStore = deploymentFromYaml(
      spec.replace('    storageClass: gp3', '    storageClass: gp3\n    externalSecretStore: vault'),
      'x',
    );
    const es = clone(
      buildFlavor(withStore, 'opstree').objects.find((o) => o.kind === 'ExternalSecret')!,
    ) as ManifestObject & {
      spec: { secretStoreRef: { kind: string }; data: Array<{ remoteRef: Record<string, unknown> }> };
    };
    expect(() => validateCustomResource(es)).not.toThrow();
    const badKind = clone(es);
    badKind.spec.secretStoreRef.kind = 'VaultStore';
    expectInvalid(() => validateCustomResource(badKind), /allowed: SecretStore, ClusterSecretStore/);
    const noKey = clone(es);
    delete noKey.spec.data[0].remoteRef.key;
    expectInvalid(() => validateCustomResource(noKey), /key/);
  });
  it('an object without metadata.name is rejected', () => {
    const o = find('Issuer');
    delete o.metadata!.name;
    expectInvalid(() => validateCustomResource(o), /metadata\/name/);
  });
  it('an unknown apiVersion/kind is rejected, not skipped', () => {
    expectInvalid(
      () => validateObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }),
      /no kubernetes-models class/,
    );
  });
  it('a core apiVersion with a kind it lacks, or a field type named as a kind, is rejected', () => {
    for (const kind of ['Widget', 'PodSpec', 'pod', '../apps/v1/Deployment']) {
      expectInvalid(
        () => validateObject({ apiVersion: 'v1', kind, metadata: { name: 'w' } }),
        /no kubernetes-models class/,
      );
    }
  });
  it('descriptions are dropped from generated validators, a property called description is kept', () => {
    expect(
      dropDescriptions({
        description: 'annotation',
        properties: { description: { type: 'string', description: 'the field' } },
        items: { description: 'x', type: 'integer' },
        default: { description: 'data' },
      }),
    ).toEqual({
      properties: { description: { type: 'string' } },
      items: { type: 'integer' },
      default: { description: 'data' },
    });
  });
  it('preserve-unknown-fields subtrees stay open, other object schemas are closed', () => {
    const closed = closeObjectSchemas({
      type: 'object',
      properties: {
        a: { type: 'object', properties: { x: { type: 'string' } } },
        b: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { y: {} } },
        c: { type: 'object', additionalProperties: { type: 'string' } },
      },
    }) as { additionalProperties: unknown; properties: Record<string, { additionalProperties?: unknown }> };
    expect(closed.additionalProperties).toBe(false);
    expect(closed.properties.a.additionalProperties).toBe(false);
    expect(closed.properties.b.additionalProperties).toBeUndefined();
    expect(closed.properties.c.additionalProperties).toEqual({ type: 'string' });
  });
});

describe('core objects with kubernetes-models', () => {
  const kinds = [
    'ConfigMap',
    'Service',
    'ServiceAccount',
    'PersistentVolumeClaim',
    'CronJob',
    'NetworkPolicy',
  ];
  it.each(kinds)('%s from the chart is valid', (kind) => {
    expect(() => validateCoreObject(find(kind))).not.toThrow();
  });
  it('a CronJob without a schedule is rejected', () => {
    const o = find('CronJob') as ManifestObject & { spec: Record<string, unknown> };
    delete o.spec.schedule;
    expectInvalid(() => validateCoreObject(o), /schedule/);
  });
  it('a Service port given as a string is rejected', () => {
    const o = find('Service') as ManifestObject & { spec: { ports: Array<Record<string, unknown>> } };
    o.spec.ports[0].port = 'metrics';
    expectInvalid(() => validateCoreObject(o), /port/);
  });
  it('a NetworkPolicy with a non-list ingress is rejected', () => {
    const o = find('NetworkPolicy') as ManifestObject & { spec: Record<string, unknown> };
    o.spec.ingress = { from: [] };
    expectInvalid(() => validateCoreObject(o), /ingress/);
  });
});

describe('Bitnami values against values.schema.json and the chart defaults', () => {
  it('the generated values are valid', () => {
    expect(() => validateBitnamiValues(bitnami.values)).not.toThrow();
  });
  it('a wrong type is rejected by the chart schema', () => {
    const v = clone(bitnami.values) as { replica: { replicaCount: unknown } };
    v.replica.replicaCount = 'three';
    expectInvalid(() => validateBitnamiValues(v), /replicaCount must be (integer|number)/);
  });
  it('a string where the schema wants a boolean is rejected', () => {
    const v = clone(bitnami.values) as { tls: { enabled: unknown } };
    v.tls.enabled = 'yes';
    expectInvalid(() => validateBitnamiValues(v), /\/tls\/enabled must be boolean/);
  });
  it('a misspelt key (tls.enable) is rejected even though Helm would ignore it', () => {
    const v = clone(bitnami.values) as { tls: Record<string, unknown> };
    v.tls.enable = true;
    expectInvalid(() => validateBitnamiValues(v), /\/tls\/enable is not a key/);
    expect(() => validateBitnamiValues(v, false)).not.toThrow();
  });
  it('free-form maps in the defaults accept any key', () => {
    expect(unknownValueKeys({ master: { podLabels: { team: 'x' } } }, { master: { podLabels: {} } })).toEqual(
      [],
    );
    expect(unknownValueKeys({ master: { podLabel: { team: 'x' } } }, { master: { podLabels: {} } })).toEqual([
      '/master/podLabel',
    ]);
  });
});

/**
 * NetworkPolicies of both flavors as synthesized: the exporter port only for the spec's Prometheus,
 * egress for the Redis and job pods, the opt-in default deny; read back by the conformance checkers.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { egressEvidence, exporterExposure } from '../../lib/conformance/kubernetes';
import { deploymentFromYaml } from '../../lib/deployment';
import { buildFlavor } from '../../lib/k8s/synth';
import { specError } from '../helpers';
import { withKubernetesLines } from './patched-bitnami';

/* eslint-disable-next-line @typescript-eslint/no-explicit-any -- test fixtures walk untyped manifests */
type Loose = Record<string, any>;

const DEFAULT_SPEC = fs.readFileSync(path.join('examples', 'default.yaml'), 'utf8');
const ANCHOR = '    storageClass: gp3';
const withKubernetes = (extra: string) =>
  deploymentFromYaml(withKubernetesLines(DEFAULT_SPEC, ANCHOR, extra), 'default.yaml');
const policies = (objects: Loose[]) => objects.filter((o) => o.kind === 'NetworkPolicy');
const byName = (objects: Loose[], suffix: string) =>
  policies(objects).find((p) => String(p.metadata.name).endsWith(suffix))!;

describe.each(['opstree', 'bitnami'] as const)('%s NetworkPolicies', (flavor) => {
  const out = buildFlavor(withKubernetes(''), flavor);
  const objects = out.objects as Loose[];
  const values = out.values as Loose | undefined;

  test('the exporter port is admitted only from the default Prometheus (monitoring, app.kubernetes.io/name=prometheus)', () => {
    const rule = (byName(objects, '-ingress').spec.ingress as Loose[]).find((r) =>
      (r.ports as Loose[]).some((p) => p.port === 9121),
    )!;
    expect(rule.from).toEqual([
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
      },
    ]);
    expect(exporterExposure(objects as never, values)).toMatchObject({ status: 'pass' });
  });

  test('Redis pods may reach only cluster DNS and their peers; job pods DNS and Redis', () => {
    const redis = byName(objects, '-egress');
    expect(redis.spec.policyTypes).toEqual(['Egress']);
    expect(redis.spec.egress[0].to[0].namespaceSelector.matchLabels).toEqual({
      'kubernetes.io/metadata.name': 'kube-system',
    });
    expect(redis.spec.egress[1].to).toEqual([{ podSelector: redis.spec.podSelector }]);
    expect(byName(objects, '-backup-egress').spec.egress).toHaveLength(2);
    expect(byName(objects, '-tls-reload-egress').spec.egress).toHaveLength(2);
    expect(egressEvidence(objects as never, values)).toMatchObject({ status: 'pass' });
    expect(policies(objects).some((p) => p.metadata.name.endsWith('default-deny'))).toBe(false);
  });
});

test('Bitnami values close the chart policy: external egress off, metrics only from Prometheus', () => {
  const values = buildFlavor(withKubernetes(''), 'bitnami').values as Loose;
  expect(values.networkPolicy).toEqual({
    enabled: true,
    allowExternal: false,
    allowExternalEgress: false,
    metrics: {
      allowExternal: false,
      ingressNSMatchLabels: { 'kubernetes.io/metadata.name': 'monitoring' },
      ingressNSPodMatchLabels: { 'app.kubernetes.io/name': 'prometheus' },
    },
  });
});

test('targets.kubernetes.prometheus, dns, defaultDeny and an S3 backup (digits in names)', () => {
  const d = withKubernetes(
    [
      '    prometheus: { namespace: obs-2, podSelector: { prometheus.example.com/instance: k8s-0 } }',
      '    dns: { namespace: dns-1, podSelector: { app: node-cache-2 } }',
      '    defaultDeny: true',
      '    backupTarget: { s3Bucket: backups-2 }',
    ].join('\n'),
  );
  for (const flavor of ['opstree', 'bitnami'] as const) {
    const out = buildFlavor(d, flavor);
    const objects = out.objects as Loose[];
    const ingress = byName(objects, '-ingress').spec.ingress as Loose[];
    expect(ingress.at(-1)!.from[0]).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'obs-2' } },
      podSelector: { matchLabels: { 'prometheus.example.com/instance': 'k8s-0' } },
    });
    expect(byName(objects, '-egress').spec.egress[0].to[0].podSelector.matchLabels).toEqual({
      app: 'node-cache-2',
    });
    const backup = byName(objects, '-backup-egress').spec.egress as Loose[];
    // Bitnami in production runs Sentinel: the backup job asks it for the primary.
    const redisPorts = flavor === 'opstree' ? [6379] : [6379, 26379];
    expect(backup.map((r) => r.ports.map((p: Loose) => p.port))).toEqual([[53, 53], redisPorts, [443], [80]]);
    expect(byName(objects, '-default-deny').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [],
      egress: [],
    });
    expect(egressEvidence(objects as never, out.values as Loose | undefined).status).toBe('pass');
  }
});

test('an empty Prometheus pod selector is refused with the field named', () => {
  const e = specError(() => withKubernetes('    prometheus: { namespace: monitoring, podSelector: {} }'));
  expect(e.message).toMatch(/targets\.kubernetes\.prometheus\.podSelector.*at least one label/);
});

test("allowInsecureImages only when an image is substituted: the chart's own bitnami/* names (with digests) leave it off", () => {
  const own = withKubernetes(
    [
      '    images:',
      '      bitnamiRegistry: docker.io',
      '      bitnamiRepository: bitnami/redis',
      '      bitnamiTag: 8.6.3-debian-12-r0',
      `      bitnamiDigest: "sha256:${'1'.repeat(64)}"`,
      '      bitnamiSentinelRepository: bitnami/redis-sentinel',
      '      bitnamiSentinelTag: 8.6.3-debian-12-r0',
      '      bitnamiExporterRepository: bitnami/redis-exporter',
      '      bitnamiExporterTag: 1.80.1-debian-12-r0',
    ].join('\n'),
  );
  const v = buildFlavor(own, 'bitnami').values as Loose;
  expect(v.global.security).toEqual({ allowInsecureImages: false });
  expect(v.image.digest).toBe(`sha256:${'1'.repeat(64)}`);
  // The fixture's mirror (and bitnamilegacy) are substitutions: the chart would refuse them without it.
  expect((buildFlavor(withKubernetes(''), 'bitnami').values as Loose).global.security).toEqual({
    allowInsecureImages: true,
  });
});

/**
 * Settings of spec.targets.kubernetes that a platform with its own conventions needs: where the
 * OpsTree operator runs (the NetworkPolicy must admit it from there) and every image the manifests
 * and the Bitnami values reference (mirrors, private registries, bitnamilegacy moves).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { imagesCatalog } from '../../lib/catalog';
import { deploymentFromYaml } from '../../lib/deployment';
import { buildFlavor, synthKubernetes } from '../../lib/k8s/synth';
import { validateBitnamiValues, validateObjects, type ManifestObject } from '../../lib/k8s/validate';
import { specError } from '../helpers';
import { withKubernetesLines } from './patched-bitnami';

/* eslint-disable-next-line @typescript-eslint/no-explicit-any -- test fixtures walk untyped manifests */
type Loose = Record<string, any>;

const DEFAULT_SPEC = fs.readFileSync(path.join('examples', 'default.yaml'), 'utf8');
const ANCHOR = '    storageClass: gp3';

/** default.yaml with extra lines under targets.kubernetes. */
function withKubernetes(extra: string) {
  return deploymentFromYaml(withKubernetesLines(DEFAULT_SPEC, ANCHOR, extra), 'default.yaml');
}

interface Peer {
  namespaceSelector?: { matchLabels?: Record<string, string> };
  podSelector?: { matchLabels?: Record<string, string> };
}

/** The peers admitted on the Redis port from another namespace (by name), with their pod labels. */
function crossNamespacePeersOn6379(objects: ManifestObject[]): Array<[string, Record<string, string>]> {
  const np = objects.find((o) => o.kind === 'NetworkPolicy') as Loose;
  const peers: Array<[string, Record<string, string>]> = [];
  for (const rule of np.spec.ingress as Loose[]) {
    if (!(rule.ports as Loose[]).some((p) => p.port === 6379)) continue;
    for (const peer of rule.from as Peer[]) {
      const ns = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
      if (ns) peers.push([ns, peer.podSelector?.matchLabels ?? {}]);
    }
  }
  return peers;
}

describe('targets.kubernetes.operatorNamespace / operatorPodSelector', () => {
  it('default: the NetworkPolicy admits name=redis-operator pods from ot-operators', () => {
    const d = withKubernetes('');
    expect(crossNamespacePeersOn6379(buildFlavor(d, 'opstree').objects)).toEqual([
      ['ot-operators', { name: 'redis-operator' }],
    ]);
  });

  it('another namespace and pod labels: the NetworkPolicy admits exactly those; the header installs there', () => {
    const d = withKubernetes(
      '    operatorNamespace: redis-system\n    operatorPodSelector: { app.kubernetes.io/name: ot-redis-operator }',
    );
    const { objects } = buildFlavor(d, 'opstree');
    expect(crossNamespacePeersOn6379(objects)).toEqual([
      ['redis-system', { 'app.kubernetes.io/name': 'ot-redis-operator' }],
    ]);
    validateObjects(objects);

    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-opns-'));
    try {
      const [file] = synthKubernetes(d, tmp).filter((f) => f.endsWith('opstree.yaml'));
      const head = fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('#'))
        .join('\n');
      expect(head).toContain('--namespace redis-system --create-namespace');
      expect(head).toContain('in namespace redis-system');
      expect(head).toContain('app.kubernetes.io/name=ot-redis-operator');
      expect(head).not.toContain('ot-operators');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('the Bitnami flavor has no operator rule whatever the namespace', () => {
    const d = withKubernetes('    operatorNamespace: redis-system');
    expect(crossNamespacePeersOn6379(buildFlavor(d, 'bitnami').objects)).toEqual([]);
  });

  it.each([
    ['Redis_Ops', 'operatorNamespace: Redis_Ops'],
    ['-ops', 'operatorNamespace: "-ops"'],
    ['a'.repeat(64), `operatorNamespace: ${'a'.repeat(64)}`],
  ])('a bad namespace (%s) is a one-line SpecError naming field, value and fix', (value, line) => {
    const e = specError(() => withKubernetes(`    ${line}`));
    expect(e.field).toBe('targets.kubernetes.operatorNamespace');
    expect(e.message).not.toContain('\n');
    expect(e.message).toContain(`got "${value}"`);
    expect(e.message).toContain('RFC 1123 label');
  });

  it('an empty or malformed operator pod selector is a SpecError naming the field', () => {
    const empty = specError(() => withKubernetes('    operatorPodSelector: {}'));
    expect(empty.field).toBe('targets.kubernetes.operatorPodSelector');
    expect(empty.message).toMatch(/empty selector admits every pod/);
    const badValue = specError(() => withKubernetes('    operatorPodSelector: { name: "redis operator" }'));
    expect(badValue.field).toBe('targets.kubernetes.operatorPodSelector.name');
    const badKey = specError(() => withKubernetes('    operatorPodSelector: { "bad key": x }'));
    expect(badKey.field).toBe('targets.kubernetes.operatorPodSelector.bad key');
    expect(badKey.message).toMatch(/label keys/);
  });
});

/** Every `image` string anywhere in the objects and the values (the values' image blocks joined). */
function imagesIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const v of value) imagesIn(v, out);
  } else if (value && typeof value === 'object') {
    const o = value as Loose;
    if (typeof o.image === 'string') out.push(o.image);
    else if (o.image && typeof o.image === 'object' && 'repository' in o.image) {
      out.push(`${o.image.registry}/${o.image.repository}:${o.image.tag}`);
    }
    for (const v of Object.values(o)) imagesIn(v, out);
  }
  return out;
}

const OVERRIDES = [
  '    backupTarget: { s3Bucket: corp-redis-backups }',
  '    images:',
  '      redis: "mirror.corp:5000/opstree/redis:v7.4.11"',
  '      exporter: "mirror.corp:5000/opstree/redis-exporter:v1.62.0"',
  '      bitnamiRegistry: "mirror.corp:5000/hub"',
  '      bitnamiRepository: "bitnami-mirror/redis"',
  '      bitnamiTag: "8.6.3-debian-12-r1"',
  '      bitnamiSentinelRepository: "bitnami-mirror/redis-sentinel"',
  '      bitnamiSentinelTag: "8.6.3-debian-12-r2"',
  '      bitnamiExporterRepository: "bitnami-mirror/redis-exporter"',
  '      bitnamiExporterTag: "1.77.0-debian-12-r0"',
  '      backupUploader: "mirror.corp:5000/amazon/aws-cli:2.27.0"',
].join('\n');

describe('targets.kubernetes.images', () => {
  let d: ReturnType<typeof withKubernetes>;
  beforeAll(() => {
    d = withKubernetes(OVERRIDES);
  });

  it('OpsTree: Redis, exporter, backup and TLS reload jobs and the S3 uploader use the overrides only', () => {
    const { objects } = buildFlavor(d, 'opstree');
    const rc = objects.find((o) => o.kind === 'RedisCluster') as Loose;
    expect(rc.spec.kubernetesConfig.image).toBe('mirror.corp:5000/opstree/redis:v7.4.11');
    expect(rc.spec.clusterVersion).toBe('v7');
    expect(rc.spec.redisExporter.image).toBe('mirror.corp:5000/opstree/redis-exporter:v1.62.0');
    const jobImages = objects
      .filter((o) => o.kind === 'CronJob')
      .flatMap((o) => imagesIn((o as Loose).spec.jobTemplate.spec.template.spec));
    expect(jobImages).toContain('mirror.corp:5000/opstree/redis:v7.4.11');
    expect(jobImages).toContain('mirror.corp:5000/amazon/aws-cli:2.27.0');
    expect(new Set(imagesIn(objects))).toEqual(
      new Set([
        'mirror.corp:5000/opstree/redis:v7.4.11',
        'mirror.corp:5000/opstree/redis-exporter:v1.62.0',
        'mirror.corp:5000/amazon/aws-cli:2.27.0',
      ]),
    );
  });

  it('Bitnami: Redis, Sentinel and exporter images in the values (chart schema valid); jobs use the Redis image', () => {
    const { objects, values } = buildFlavor(d, 'bitnami');
    const v = values as Loose;
    validateBitnamiValues(v);
    expect(v.image).toMatchObject({
      registry: 'mirror.corp:5000/hub',
      repository: 'bitnami-mirror/redis',
      tag: '8.6.3-debian-12-r1',
    });
    expect(v.sentinel.image).toMatchObject({
      registry: 'mirror.corp:5000/hub',
      repository: 'bitnami-mirror/redis-sentinel',
      tag: '8.6.3-debian-12-r2',
    });
    expect(v.metrics.image).toMatchObject({
      registry: 'mirror.corp:5000/hub',
      repository: 'bitnami-mirror/redis-exporter',
      tag: '1.77.0-debian-12-r0',
    });
    expect(new Set(imagesIn([objects, values]))).toEqual(
      new Set([
        'mirror.corp:5000/hub/bitnami-mirror/redis:8.6.3-debian-12-r1',
        'mirror.corp:5000/hub/bitnami-mirror/redis-sentinel:8.6.3-debian-12-r2',
        'mirror.corp:5000/hub/bitnami-mirror/redis-exporter:1.77.0-debian-12-r0',
        'mirror.corp:5000/amazon/aws-cli:2.27.0',
      ]),
    );
  });

  it('no catalog default image is left anywhere once every field is overridden', () => {
    const defaults = Object.values(imagesCatalog().images).map((i) => `${i.registry}/${i.repository}`);
    const all = [
      ...imagesIn(buildFlavor(d, 'opstree').objects),
      ...imagesIn([buildFlavor(d, 'bitnami').objects, buildFlavor(d, 'bitnami').values]),
    ];
    for (const image of all) for (const def of defaults) expect(image).not.toContain(def);
  });

  it('without overrides the catalog images are used (Redis by digest where the catalog records one)', () => {
    const plain = withKubernetes('');
    const cat = imagesCatalog().images;
    const v = buildFlavor(plain, 'bitnami').values as Loose;
    expect(v.metrics.image.repository).toBe(cat.bitnamiExporter.repository);
    expect(v.metrics.image.tag).toBe(cat.bitnamiExporter.tag);
    const rc = buildFlavor(plain, 'opstree').objects.find((o) => o.kind === 'RedisCluster') as Loose;
    expect(rc.spec.kubernetesConfig.image).toBe(
      `quay.io/opstree/redis:${cat.opstreeRedis.tag}@${cat.opstreeRedis.digest}`,
    );
  });

  it('an override naming exactly a catalog image gets its recorded digest', () => {
    const cat = imagesCatalog().images.opstreeRedis;
    const same = withKubernetes(`    images: { redis: "quay.io/opstree/redis:${cat.tag}" }`);
    const rc = buildFlavor(same, 'opstree').objects.find((o) => o.kind === 'RedisCluster') as Loose;
    expect(rc.spec.kubernetesConfig.image).toBe(`quay.io/opstree/redis:${cat.tag}@${cat.digest}`);
  });

  it.each([
    ['bitnamiSentinelTag', 'latest'],
    ['bitnamiExporterTag', 'latest'],
    ['bitnamiSentinelTag', '8.2 bad'],
    ['bitnamiSentinelRepository', 'docker.io/bitnamilegacy/redis-sentinel:8.2.1'],
    ['bitnamiExporterRepository', 'Bitnami/Redis-Exporter'],
    ['bitnamiRegistry', 'https://docker.io'],
    ['backupUploader', 'amazon/aws-cli'],
    ['backupUploader', 'amazon/aws-cli:latest'],
  ])('a bad images.%s (%s) is a one-line SpecError naming field and value', (field, value) => {
    const bad = withKubernetes(`    images: { ${field}: ${JSON.stringify(value)} }`);
    const e = specError(() => buildFlavor(bad, 'bitnami'));
    expect(e.field).toBe(`targets.kubernetes.images.${field}`);
    expect(e.message).toContain(`got ${JSON.stringify(value)}`);
    expect(e.message).not.toContain('\n');
  });
});

describe('images.redis sets the RedisCluster clusterVersion the operator understands', () => {
  // Staging: production would refuse the older images below the CVE floor first (tested below).
  const version = (image: string) => {
    const d = deploymentFromYaml(
      DEFAULT_SPEC.replace(/^profile: production$/m, 'profile: staging').replace(
        ANCHOR,
        `${ANCHOR}\n    images: { redis: ${JSON.stringify(image)} }`,
      ),
      'default.yaml',
    );
    return (buildFlavor(d, 'opstree').objects.find((o) => o.kind === 'RedisCluster') as Loose).spec
      .clusterVersion as string;
  };

  // Operator 0.26.0 takes its Redis 7 path (hostname announcement, ADDSLOTSRANGE) only for "v7".
  it.each([
    ['quay.io/opstree/redis:v7.0.15', 'v7'],
    ['quay.io/opstree/redis:v8.0.3', 'v7'],
    ['mirror.corp:5000/opstree/redis:v7.2.4@sha256:' + 'a'.repeat(64), 'v7'],
    ['quay.io/opstree/redis:v6.2.14', 'v6'],
  ])('%s -> %s', (image, expected) => {
    expect(version(image)).toBe(expected);
  });

  it.each([['quay.io/opstree/redis@sha256:' + 'b'.repeat(64)], ['quay.io/opstree/redis:v5.0.14']])(
    '%s is a SpecError naming images.redis',
    (image) => {
      const e = specError(() => version(image));
      expect(e.field).toBe('targets.kubernetes.images.redis');
      // SpecError shortens long values.
      expect(e.message).toContain(`got "${image.slice(0, 40)}`);
      expect(e.message).not.toContain('\n');
    },
  );
});

describe('production refuses Redis images below the CVE floor (lib/catalog/data/images.json)', () => {
  it.each([
    // 7.0 has no fix for CVE-2025-49844; the next fix (7.2.11) is on a line without one for CVE-2026-23479.
    [
      'redis',
      'quay.io/opstree/redis:v7.0.15',
      'opstree',
      /CVE-2025-49844 \(fixed in 7\.2\.11\).*Redis 7\.4\.9 or later/,
    ],
    [
      'redis',
      'quay.io/opstree/redis:v7.4.8',
      'opstree',
      /CVE-2026-23479 \(fixed in 7\.4\.9\).*Redis 7\.4\.9 or later/,
    ],
    [
      'redis',
      'mirror.corp:5000/opstree/redis:v8.2.5@sha256:' + 'c'.repeat(64),
      'opstree',
      /CVE-2026-23479.*8\.2\.6/,
    ],
    [
      'bitnamiTag',
      '8.2.1-debian-12-r0',
      'bitnami',
      /CVE-2026-23479 \(fixed in 8\.2\.6\), CVE-2025-49844 \(fixed in 8\.2\.2\).*bitnamilegacy/,
    ],
    ['bitnamiSentinelTag', '8.4.2-debian-12-r0', 'bitnami', /CVE-2026-23479 \(fixed in 8\.4\.3\)/],
  ] as const)('images.%s %s', (field, value, flavor, message) => {
    const d = withKubernetes(`    images: { ${field}: ${JSON.stringify(value)} }`);
    const e = specError(() => buildFlavor(d, flavor));
    expect(e.field).toBe(`targets.kubernetes.images.${field}`);
    expect(e.message).toMatch(message);
    expect(e.message).not.toContain('\n');
  });

  it('the default Bitnami images are refused: no patched bitnamilegacy image exists', () => {
    const d = deploymentFromYaml(
      DEFAULT_SPEC.replace(/^ {4}flavors: \[opstree\]$/m, '    flavors: [opstree, bitnami]'),
      'default.yaml',
    );
    const e = specError(() => buildFlavor(d, 'bitnami'));
    expect(e.field).toBe('targets.kubernetes.images.bitnamiTag');
    expect(e.message).toMatch(/got "8\.2\.1-debian-12-r0"; Redis 8\.2\.1 is below the CVE floor/);
  });

  it('a digest without a version tag cannot be checked and is refused in production', () => {
    const d = withKubernetes(`    images: { redis: "quay.io/opstree/redis@sha256:${'d'.repeat(64)}" }`);
    expect(specError(() => buildFlavor(d, 'opstree')).message).toMatch(/full Redis version/);
  });

  it.each([
    ['quay.io/opstree/redis:v7.4.9', 'opstree'],
    ['quay.io/opstree/redis:v8.8.0-alpine', 'opstree'],
    ['registry-2.example.com:5000/team-1/redis:v8.6.3@sha256:' + 'e'.repeat(64), 'opstree'],
  ])('%s at or above the floor passes, also newer lines than any fix listed', (image) => {
    const d = withKubernetes(`    images: { redis: ${JSON.stringify(image)} }`);
    expect(() => buildFlavor(d, 'opstree')).not.toThrow();
  });

  it('staging and development do not enforce the floor (the conformance cell is not required there)', () => {
    const staging = deploymentFromYaml(
      DEFAULT_SPEC.replace(/^profile: production$/m, 'profile: staging').replace(
        /^ {4}flavors: \[opstree\]$/m,
        '    flavors: [opstree, bitnami]',
      ),
      'default.yaml',
    );
    expect(() => buildFlavor(staging, 'bitnami')).not.toThrow();
  });
});

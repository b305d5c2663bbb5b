/** The images cell: pinned by digest and no Redis image below the CVE floor; bad fixtures fail, unusual valid ones pass. */
import { parse } from 'yaml';
import { imagesCatalog } from '../../lib/catalog';
import { imageRef } from '../../lib/catalog/images';
import {
  bitnamiImages,
  cveFloorEvidence,
  digestEvidence,
  imagesEvidence,
  kubernetesEvidence,
  opstreeImages,
  parseManifests,
  type ImageUse,
} from '../../lib/conformance/kubernetes';
import { cellsFor } from '../../lib/conformance/invariants';
import { loadDeployment } from '../../lib/deployment';
import { buildFlavor, toYaml } from '../../lib/k8s/synth';
import { opstreeYaml, production, REDIS_IMAGE, staging } from './fixtures';

const D = (c: string) => `sha256:${c.repeat(64)}`;
const use = (ref: string, redis = true): ImageUse => ({ where: 'test', ref, redis });

describe('pinned by digest', () => {
  test('the compliant fixture passes and names the digest-pinned count', () => {
    expect(digestEvidence(opstreeImages(parseManifests(opstreeYaml())))).toMatchObject({
      status: 'pass',
      detail: /2 of 2 image reference\(s\) pinned by digest/,
    });
  });
  test('flags a tag-only image the catalog does not know', () => {
    expect(digestEvidence([use(`mirror.corp:5000/opstree/redis:v7.4.11`)])).toMatchObject({
      status: 'fail',
      detail: /not pinned by digest: test: mirror\.corp:5000\/opstree\/redis:v7\.4\.11$/,
    });
  });
  test('flags the catalog image by tag when the catalog records its digest', () => {
    const cat = imagesCatalog().images.opstreeRedis;
    expect(digestEvidence([use(`quay.io/opstree/redis:${cat.tag}`)])).toMatchObject({
      status: 'fail',
      detail: new RegExp(`the images catalog records ${cat.digest}`),
    });
  });
  test('passes a catalog image with no published digest (listed), and digests on a registry with a port', () => {
    const exporter = imageRef(imagesCatalog().images.opstreeExporter);
    expect(
      digestEvidence([
        use(exporter, false),
        use(`registry-2.example.com:5000/team_1/redis:v8.6.3@${D('a')}`),
      ]),
    ).toMatchObject({
      status: 'pass',
      detail: /by tag, no digest published: quay\.io\/opstree\/redis-exporter:v1\.44\.0/,
    });
  });
});

describe('no image below the CVE floor', () => {
  test.each([
    ['quay.io/opstree/redis:v7.0.15', /CVE-2025-49844 \(fixed in 7\.2\.11\); needs 7\.4\.9 or later/],
    [
      `docker.io/bitnamilegacy/redis:8.2.1-debian-12-r0@${D('b')}`,
      /CVE-2026-23479 \(fixed in 8\.2\.6\), CVE-2025-49844/,
    ],
    [`quay.io/opstree/redis@${D('c')}`, /names no Redis version/],
  ])('flags %s', (ref, detail) => {
    expect(cveFloorEvidence([use(ref)])).toMatchObject({ status: 'fail', detail });
  });
  test('passes 7.4.9, a newer line than any fix, and ignores non-Redis images', () => {
    expect(
      cveFloorEvidence([
        use('quay.io/opstree/redis:v7.4.9'),
        use('registry.example.com/r/redis:8.8.0-debian-12-r3'),
        use('docker.io/amazon/aws-cli:2.15.0', false),
      ]),
    ).toMatchObject({ status: 'pass', detail: /Redis 7\.4\.9, 8\.8\.0 at or above every CVE floor/ });
  });
});

describe('the images cell in the matrix', () => {
  test('production fails an OpsTree artifact with an old image; staging shows not applicable', () => {
    const old = opstreeYaml().replaceAll(REDIS_IMAGE, 'quay.io/opstree/redis:v7.0.15');
    const e = kubernetesEvidence('opstree', { 'opstree.yaml': old }, production.policy);
    expect(e.images).toMatchObject({ status: 'fail' });
    expect(cellsFor(e, [], production.policy).images.status).toBe('fail');
    expect(cellsFor(e, [], staging.policy).images.status).toBe('na');
  });
  test('Bitnami values: registry override, Sentinel and exporter images, digests on each', () => {
    const values = parse(`
global: { imageRegistry: "" }
image: { registry: registry-1.example.com, repository: team/redis, tag: 8.6.3-debian-12-r1, digest: "${D('d')}" }
sentinel: { enabled: true, image: { registry: registry-1.example.com, repository: team/redis-sentinel, tag: 8.6.3-debian-12-r1, digest: "${D('e')}" } }
metrics: { enabled: true, image: { registry: registry-1.example.com, repository: team/redis-exporter, tag: 1.80.1, digest: "${D('f')}" } }
`);
    const uses = bitnamiImages([], values);
    expect(uses.map((u) => u.ref)).toEqual([
      `registry-1.example.com/team/redis:8.6.3-debian-12-r1@${D('d')}`,
      `registry-1.example.com/team/redis-sentinel:8.6.3-debian-12-r1@${D('e')}`,
      `registry-1.example.com/team/redis-exporter:1.80.1@${D('f')}`,
    ]);
    expect(imagesEvidence(uses).status).toBe('pass');
    values.sentinel.image.tag = '8.2.5-debian-12-r0';
    expect(imagesEvidence(bitnamiImages([], values))).toMatchObject({
      status: 'fail',
      detail: /values sentinel\.image: Redis 8\.2\.5/,
    });
  });
  test('targets without images get a not-applicable cell', () => {
    const e = kubernetesEvidence('opstree', { 'opstree.yaml': opstreeYaml() }, production.policy);
    const { images, ...rest } = e;
    expect(images?.status).toBe('pass');
    expect(cellsFor(rest, [], production.policy).images).toMatchObject({
      status: 'na',
      detail: /no container images/,
    });
  });
});

describe('synthesized manifests', () => {
  test('default.yaml (production, OpsTree): images and private networking pass from the artifact', () => {
    const d = loadDeployment('examples/default.yaml');
    const yaml = buildFlavor(d, 'opstree')
      .objects.map((o) => toYaml(o))
      .join('---\n');
    const e = kubernetesEvidence('opstree', { 'opstree.yaml': yaml }, d.policy);
    expect(e.images).toMatchObject({
      status: 'pass',
      detail: /pinned by digest.*at or above every CVE floor/,
    });
    expect(e['private-networking'].status).toBe('pass');
  });
});

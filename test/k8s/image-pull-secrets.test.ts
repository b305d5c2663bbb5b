/**
 * targets.kubernetes.imagePullSecrets and images.bitnamiDigest: private mirrors that need
 * credentials. Every pod the manifests create or cause (the OpsTree RedisCluster's StatefulSets via
 * kubernetesConfig, the backup and TLS-reload CronJobs, every pod of the Bitnami chart via
 * global.imagePullSecrets) gets the Secrets; without the field nothing changes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deploymentFromYaml } from '../../lib/deployment';
import { buildFlavor } from '../../lib/k8s/synth';
import { validateBitnamiValues, validateObjects } from '../../lib/k8s/validate';
import { specError } from '../helpers';
import { withKubernetesLines } from './patched-bitnami';
import { imagesCatalog } from '../../lib/catalog';

/* eslint-disable-next-line @typescript-eslint/no-explicit-any -- test fixtures walk untyped manifests */
type Loose = Record<string, any>;

const DEFAULT_SPEC = fs.readFileSync(path.join('examples', 'default.yaml'), 'utf8');
const ANCHOR = '    storageClass: gp3';

function withKubernetes(extra: string) {
  return deploymentFromYaml(withKubernetesLines(DEFAULT_SPEC, ANCHOR, extra), 'default.yaml');
}

/** Every object that holds a `containers` list: a pod spec, wherever it sits (CronJob templates, ...). */
function podSpecsIn(value: unknown, out: Loose[] = []): Loose[] {
  if (Array.isArray(value)) {
    for (const v of value) podSpecsIn(v, out);
  } else if (value && typeof value === 'object') {
    const o = value as Loose;
    if (Array.isArray(o.containers)) out.push(o);
    for (const v of Object.values(o)) podSpecsIn(v, out);
  }
  return out;
}

const NAMES = ['regcred', 'mirror.corp-pull'];
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const WITH = [
  '    imagePullSecrets: [regcred, mirror.corp-pull]',
  '    images:',
  `      bitnamiDigest: "${DIGEST}"`,
].join('\n');

describe('with imagePullSecrets and bitnamiDigest', () => {
  const d = withKubernetes(WITH);

  it('OpsTree: the RedisCluster (kubernetesConfig) and every CronJob pod carry the Secrets; objects validate', () => {
    const { objects } = buildFlavor(d, 'opstree');
    validateObjects(objects);
    const rc = objects.find((o) => o.kind === 'RedisCluster') as Loose;
    expect(rc.spec.kubernetesConfig.imagePullSecrets).toEqual(NAMES.map((name) => ({ name })));
    const cronJobs = objects.filter((o) => o.kind === 'CronJob');
    // default.yaml is a production spec: backups and TLS on, so both jobs exist.
    expect(cronJobs.map((o) => o.metadata?.name).sort()).toEqual(
      expect.arrayContaining([expect.stringMatching(/backup/), expect.stringMatching(/tls-reload/)]),
    );
    const pods = podSpecsIn(objects);
    expect(pods.length).toBe(cronJobs.length);
    for (const pod of pods) expect(pod.imagePullSecrets).toEqual(NAMES.map((name) => ({ name })));
  });

  it('Bitnami: global.imagePullSecrets in the values (chart schema valid), image.digest set; jobs carry the Secrets and the digest', () => {
    const { objects, values } = buildFlavor(d, 'bitnami');
    validateObjects(objects);
    const v = values as Loose;
    validateBitnamiValues(v);
    expect(v.global.imagePullSecrets).toEqual(NAMES);
    expect(v.global.security).toEqual({ allowInsecureImages: true });
    expect(v.image.digest).toBe(DIGEST);
    const pods = podSpecsIn(objects);
    expect(pods.length).toBeGreaterThanOrEqual(2);
    for (const pod of pods) {
      expect(pod.imagePullSecrets).toEqual(NAMES.map((name) => ({ name })));
      const redisImages = (pod.containers as Loose[])
        .concat((pod.initContainers as Loose[] | undefined) ?? [])
        .map((c) => c.image as string)
        .filter((i) => i.includes('/redis'));
      expect(redisImages.length).toBeGreaterThan(0);
      for (const i of redisImages) expect(i).toBe(`registry.example.com/redis-iac-test/redis@${DIGEST}`);
    }
  });

  it('a name given twice is emitted once', () => {
    const twice = withKubernetes('    imagePullSecrets: [regcred, regcred]');
    const rc = buildFlavor(twice, 'opstree').objects.find((o) => o.kind === 'RedisCluster') as Loose;
    expect(rc.spec.kubernetesConfig.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    expect((buildFlavor(twice, 'bitnami').values as Loose).global.imagePullSecrets).toEqual(['regcred']);
  });
});

describe('without the fields', () => {
  it('no imagePullSecrets anywhere; the only digest is the one the images catalog records (OpsTree Redis)', () => {
    const d = withKubernetes('');
    const known = imagesCatalog().images.opstreeRedis.digest!;
    for (const flavor of ['opstree', 'bitnami'] as const) {
      const { objects, values } = buildFlavor(d, flavor);
      const text = JSON.stringify([objects, values ?? {}]);
      expect(text).not.toContain('imagePullSecrets');
      expect(text).not.toContain('"digest"');
      expect(text.replaceAll(`@${known}`, '')).not.toContain('@sha256');
    }
  });
});

describe('bad input is a one-line SpecError naming field, value and fix', () => {
  it.each([
    ['RegCred', 'imagePullSecrets: [RegCred]', 'targets.kubernetes.imagePullSecrets.0'],
    ['reg_cred', 'imagePullSecrets: [ok, reg_cred]', 'targets.kubernetes.imagePullSecrets.1'],
    ['-regcred', 'imagePullSecrets: ["-regcred"]', 'targets.kubernetes.imagePullSecrets.0'],
    ['regcred.', 'imagePullSecrets: ["regcred."]', 'targets.kubernetes.imagePullSecrets.0'],
    ['a'.repeat(254), `imagePullSecrets: [${'a'.repeat(254)}]`, 'targets.kubernetes.imagePullSecrets.0'],
  ])('pull secret %s', (value, line, field) => {
    const e = specError(() => withKubernetes(`    ${line}`));
    expect(e.field).toBe(field);
    expect(e.message).not.toContain('\n');
    // Long values are shortened in the message; the start names the value.
    expect(e.message).toContain(`got "${value.slice(0, 40)}`);
    expect(e.message).toContain('DNS-1123 subdomain');
  });

  it('an empty list says so', () => {
    const e = specError(() => withKubernetes('    imagePullSecrets: []'));
    expect(e.field).toBe('targets.kubernetes.imagePullSecrets');
    expect(e.message).not.toContain('\n');
  });

  it.each([
    'sha256:abc',
    `sha512:${'a'.repeat(64)}`,
    `sha256:${'A'.repeat(64)}`,
    `${'a'.repeat(64)}`,
    `sha256:${'a'.repeat(65)}`,
  ])('digest %s', (value) => {
    const e = specError(() => withKubernetes(`    images:\n      bitnamiDigest: "${value}"`));
    expect(e.field).toBe('targets.kubernetes.images.bitnamiDigest');
    expect(e.message).not.toContain('\n');
    expect(e.message).toContain(`got "${value}"`);
    expect(e.message).toContain('64 lower-case hex digits');
  });
});

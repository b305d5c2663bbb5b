/**
 * The Bitnami chart's Sentinels with the ACL our values give them, on real redis-server 7 in
 * Sentinel mode. Nothing here is re-typed from lib/k8s: the sentinel.conf is assembled from the
 * synthesized values-redis.yaml the way chart 23.1.1 assembles it (its configmap.yaml sentinel.conf:
 * monitor and timings from `sentinel.*`, then `sentinel.configuration`; its start-sentinel.sh then
 * appends `sentinel auth-pass` and, with auth.sentinel, `requirepass` with the admin password), and
 * the files `sentinel.extraVolumeMounts` names are the ACL Secret's keys, filled from the
 * `<name>-acl-template` ConfigMap of the synthesized bitnami.yaml as the header commands fill them.
 * TLS is left out (the default example has it): it changes how clients connect, not who may log in.
 *
 * Shown: the application user (REDIS_SENTINEL_USERNAME / REDIS_SENTINEL_PASSWORD_FROM of the
 * contract) resolves the primary with ioredis and redis-py 4.3.4 `Sentinel` (/usr/bin/python3) and
 * is refused SENTINEL SET/REMOVE/FAILOVER/RESET/MONITOR, CONFIG and ACL; the admin password on
 * `default` still does what the chart's scripts and probes do, and peer Sentinels (which send the
 * chart's requirepass) still log in (a peer sending another password, as control, does not);
 * unauthenticated clients get NOAUTH.
 * Bad fixtures: the values before this ACL (no `sentinel.configuration`) refuse the application
 * user, and a Sentinel ACL file without its `default` line would leave the Sentinel open.
 * Skipped only with REDIS_TESTS=skip.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import { parse, parseAllDocuments } from 'yaml';
import { deploymentFromYaml } from '../../lib/deployment';
import {
  bitnamiSentinelAcl,
  bitnamiSentinelAclValues,
  sentinelAclFile,
  type BitnamiRedisValues,
} from '../../lib/k8s/bitnami';
import { kubernetesContract } from '../../lib/k8s/contract';
import { makeContext } from '../../lib/k8s/context';
import { ACL_FILE_KEY, aclTemplateKey, placeholder, type PasswordRef } from '../../lib/k8s/secrets';
import { synthKubernetes } from '../../lib/k8s/synth';
import {
  fillAclTemplate,
  rcli,
  startServer,
  stopServer,
  testPassword,
  type Server,
} from '../support/acl-redis';
import { alive, reservePorts, sleep } from '../support/local';
import { describeWith, redisServer } from '../support/tools';
import { loadPatched, withPatchedBitnami } from './patched-bitnami';

const suite = describeWith(redisServer());
const PYTHON = '/usr/bin/python3';
const REFS: PasswordRef[] = ['admin', 'app', 'metrics', 'backup', 'tlsReload'];

type Values = BitnamiRedisValues;
interface Manifest {
  kind?: string;
  metadata?: { name?: string };
  data?: Record<string, string>;
}

const d = loadPatched('examples/default.yaml');
const ctx = makeContext(d, 'bitnami');
const passwords = Object.fromEntries(REFS.map((r) => [r, testPassword()])) as Record<PasswordRef, string>;

describe('Bitnami Sentinel ACL values', () => {
  it('only with Sentinel and ACLs: no configuration, volume or mount otherwise', () => {
    const go = makeContext(loadPatched('examples/go-api.yaml'), 'bitnami');
    expect(go.plan.kubernetesLayouts.bitnami.sentinel).toBe(false);
    expect(bitnamiSentinelAclValues(go)).toEqual({});

    const v = bitnamiSentinelAclValues(ctx);
    expect(v.configuration).toMatch(/^aclfile \/\S+\/sentinel\.acl$/);
    // Only the Sentinel file of the ACL Secret is projected into the Sentinel container.
    expect(v.extraVolumes).toEqual([
      expect.objectContaining({
        secret: expect.objectContaining({
          secretName: ctx.secrets.acl,
          items: [{ key: 'sentinel.acl', path: 'sentinel.acl' }],
        }),
      }),
    ]);
    expect(v.extraVolumeMounts).toEqual([expect.objectContaining({ readOnly: true })]);
  });
});

describe('Bitnami Sentinel ACL: unusual but valid specs', () => {
  const variant = (edit: (y: string) => string) =>
    makeContext(
      deploymentFromYaml(
        edit(withPatchedBitnami(fs.readFileSync('examples/default.yaml', 'utf8'))),
        'x.yaml',
      ),
      'bitnami',
    );

  it('ACLs off: no Sentinel ACL (the Sentinels then know only the shared admin password)', () => {
    const off = variant((y) => y.replace('keyspace:', 'security: { acl: false }\nkeyspace:'));
    expect(off.plan.kubernetesLayouts.bitnami.sentinel).toBe(true);
    expect(bitnamiSentinelAclValues(off)).toEqual({});
    expect(bitnamiSentinelAcl(off)).toEqual([]);
  });

  it('digits in the deployment name and key prefix: the app user of that prefix, the ACL Secret of that name', () => {
    const v2 = variant((y) =>
      y.replace(/^name: app-cache$/m, 'name: cache-v2').replace(/^ {2}prefix: app$/m, '  prefix: tenant2'),
    );
    expect(v2.appUser).toBe('tenant2-app');
    const file = sentinelAclFile(v2, (r) => `<${r}>`);
    expect(file.split('\n')[0]).toBe('user default on resetpass #<admin> ~* &* +@all');
    expect(file).toMatch(/^user tenant2-app on resetpass #<app> resetkeys resetchannels &\* -@all \+auth /m);
    expect(bitnamiSentinelAclValues(v2).extraVolumes?.[0].secret.secretName).toBe('cache-v2-bitnami-acl');
  });
});

/** The synthesized artifacts of the default example (with the Bitnami flavor back). */
function synthesized(root: string): { values: Values; manifests: Manifest[] } {
  const out = path.join(root, 'dist');
  synthKubernetes(d, out);
  const values = parse(fs.readFileSync(path.join(out, 'values-redis.yaml'), 'utf8')) as Values;
  const manifests = parseAllDocuments(fs.readFileSync(path.join(out, 'bitnami.yaml'), 'utf8'))
    .map((x) => x.toJS() as Manifest | null)
    .filter((o): o is Manifest => !!o);
  return { values, manifests };
}

/** One key of the ACL Secret as the header commands render it from the template ConfigMap. */
function aclSecretKey(manifests: Manifest[], key: string): string {
  const cm = manifests.find((o) => o.kind === 'ConfigMap' && o.metadata?.name === `${ctx.name}-acl-template`);
  const template = cm?.data?.[aclTemplateKey(key)];
  if (template === undefined) throw new Error(`no key ${aclTemplateKey(key)} in ${ctx.name}-acl-template`);
  return fillAclTemplate(
    template,
    Object.fromEntries(REFS.map((r) => [placeholder(r, 'sha256'), passwords[r]])),
  );
}

/**
 * Materializes the Sentinel container's extra mounts in `dir` (each Secret item under its mount
 * path) and returns `configuration` with the mount paths replaced by the local folders.
 */
function mountSentinelVolumes(
  values: Values,
  manifests: Manifest[],
  dir: string,
  edit = (s: string) => s,
): string {
  let configuration = values.sentinel.configuration ?? '';
  for (const m of values.sentinel.extraVolumeMounts ?? []) {
    const vol = (values.sentinel.extraVolumes ?? []).find((v) => v.name === m.name);
    if (!vol) throw new Error(`sentinel.extraVolumeMounts ${m.name} has no sentinel.extraVolumes entry`);
    if (vol.secret.secretName !== ctx.secrets.acl)
      throw new Error(`unexpected Secret ${vol.secret.secretName}`);
    const local = path.join(dir, m.name);
    fs.mkdirSync(local, { recursive: true });
    for (const item of vol.secret.items ?? [])
      fs.writeFileSync(path.join(local, item.path), edit(aclSecretKey(manifests, item.key)), { mode: 0o440 });
    configuration = configuration.split(m.mountPath).join(local);
  }
  return configuration;
}

/** sentinel.conf as chart 23.1.1 writes it (configmap.yaml, then start-sentinel.sh's appends). */
function chartSentinelConf(
  values: Values,
  dir: string,
  port: number,
  redisPort: number,
  configuration: string,
) {
  const s = values.sentinel;
  const lines = [
    `dir "${dir}"`,
    `port ${port}`,
    'bind 127.0.0.1',
    `sentinel monitor ${s.masterSet} 127.0.0.1 ${redisPort} ${s.quorum}`,
    `sentinel down-after-milliseconds ${s.masterSet} ${s.downAfterMilliseconds}`,
    `sentinel failover-timeout ${s.masterSet} ${s.failoverTimeout}`,
    `sentinel parallel-syncs ${s.masterSet} 1`,
    '# User-supplied sentinel configuration:',
    ...(configuration ? configuration.split('\n') : []),
    '# End of sentinel configuration',
  ];
  if (values.auth.enabled && !configuration.includes('sentinel auth-pass'))
    lines.push(`sentinel auth-pass ${s.masterSet} ${passwords.admin}`);
  if (values.auth.enabled && values.auth.sentinel) lines.push(`requirepass ${passwords.admin}`);
  return lines.join('\n') + '\n';
}

async function startSentinel(dir: string, port: number, conf: string): Promise<Server> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'sentinel.conf');
  fs.writeFileSync(file, conf, { mode: 0o600 });
  const pidfile = path.join(dir, 'sentinel.pid');
  const log = path.join(dir, 'sentinel.log');
  const r = spawnSync(
    'redis-server',
    [file, '--sentinel', '--daemonize', 'yes', '--pidfile', pidfile, '--logfile', log],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`redis-server --sentinel failed: ${r.stdout}${r.stderr}`);
  for (let i = 0; i < 100; i++) {
    if (fs.existsSync(pidfile) && /PONG|NOAUTH/.test(rcli(port, ['PING']))) {
      const pid = Number(fs.readFileSync(pidfile, 'utf8').trim());
      if (alive(pid)) return { port, pid, dir };
    }
    await sleep(50);
  }
  throw new Error(
    `Sentinel on ${port} did not come up:\n${fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : ''}`,
  );
}

const PY_SENTINEL = `
import os
from redis.sentinel import Sentinel
e = os.environ
s = Sentinel([("127.0.0.1", int(e["SPORT"]))], socket_timeout=5,
             sentinel_kwargs={"username": e["SUSER"], "password": e["SPASS"]},
             username=e["RUSER"], password=e["RPASS"])
print("master %s:%s" % s.discover_master(e["MASTER"]))
m = s.master_for(e["MASTER"], socket_timeout=5)
m.set("app:py-sentinel", "1")
print("get %s" % m.get("app:py-sentinel").decode())
`;

suite('Bitnami Sentinels with the ACL of values-redis.yaml (real redis-server --sentinel)', () => {
  let root: string;
  let values: Values;
  let manifests: Manifest[];
  let redis: Server | undefined;
  const sentinels: Server[] = [];
  let sport: number;
  let oldPort: number;
  let noDefaultPort: number;
  let wrongPort: number;
  const wrongPassword = testPassword();
  const contract = kubernetesContract(d, 'bitnami');
  const app = { user: contract.REDIS_SENTINEL_USERNAME, pass: passwords.app };
  /** ioredis through the Sentinel on `port`, logged in to Sentinel and Redis as the application user. */
  const appSentinelClient = (port: number) =>
    new Redis({
      sentinels: [{ host: '127.0.0.1', port }],
      name: values.sentinel.masterSet,
      sentinelUsername: app.user,
      sentinelPassword: app.pass,
      username: ctx.appUser,
      password: passwords.app,
      lazyConnect: true,
      sentinelRetryStrategy: () => null,
      maxRetriesPerRequest: 1,
    });
  const admin = { pass: passwords.admin };

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'bitnami-sentinel-acl-'));
    ({ values, manifests } = synthesized(root));
    const [redisPort, s1, s2, s3, s4] = await reservePorts(5);
    [sport, oldPort, noDefaultPort, wrongPort] = [s1, s2, s3, s4];
    const aclFile = path.join(root, 'user.acl');
    fs.writeFileSync(aclFile, aclSecretKey(manifests, ACL_FILE_KEY));
    // The Redis side as the chart starts it: the ACL file plus the admin password on `default`.
    redis = await startServer(path.join(root, 'redis'), redisPort, [
      '--aclfile',
      aclFile,
      '--requirepass',
      passwords.admin,
      '--masterauth',
      passwords.admin,
    ]);
    const ours = mountSentinelVolumes(values, manifests, path.join(root, 'mounts'));
    sentinels.push(
      await startSentinel(
        path.join(root, 's'),
        sport,
        chartSentinelConf(values, path.join(root, 's'), sport, redisPort, ours),
      ),
    );
    // Bad fixture: the values before the Sentinel ACL (sentinel.configuration and mounts empty).
    const oldDir = path.join(root, 'old');
    sentinels.push(
      await startSentinel(oldDir, oldPort, chartSentinelConf(values, oldDir, oldPort, redisPort, '')),
    );
    // Bad fixture: the same ACL file without its `default` line.
    const noDefault = mountSentinelVolumes(values, manifests, path.join(root, 'mounts-no-default'), (f) =>
      f.replace(/^user default .*\n/m, ''),
    );
    const ndDir = path.join(root, 'no-default');
    sentinels.push(
      await startSentinel(
        ndDir,
        noDefaultPort,
        chartSentinelConf(values, ndDir, noDefaultPort, redisPort, noDefault),
      ),
    );
    // Control for the peer check: a Sentinel whose requirepass (what it sends to peers) is not the admin password.
    const wrongDir = path.join(root, 'wrong-peer');
    const wrong = chartSentinelConf(values, wrongDir, wrongPort, redisPort, '').replace(
      `requirepass ${passwords.admin}`,
      `requirepass ${wrongPassword}`,
    );
    sentinels.push(await startSentinel(wrongDir, wrongPort, wrong));
  }, 60_000);

  afterAll(async () => {
    for (const s of sentinels) await stopServer(s);
    await stopServer(redis);
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('the contract names the application user and its Secret for the Sentinels, not the admin Secret', () => {
    expect(contract.REDIS_SENTINEL_USERNAME).toBe(ctx.appUser);
    expect(contract.REDIS_SENTINEL_PASSWORD_FROM).toBe(contract.REDIS_PASSWORD_FROM);
    expect(contract.REDIS_SENTINEL_PASSWORD_FROM).not.toContain(ctx.secrets.auth);
    expect(values.sentinel.configuration).toMatch(/aclfile/);
  });

  it('ioredis Sentinel as the application user resolves the primary and writes through it', async () => {
    const r = appSentinelClient(sport);
    try {
      await r.connect();
      expect(await r.set('app:ioredis-sentinel', 'v')).toBe('OK');
      expect(await r.get('app:ioredis-sentinel')).toBe('v');
      // The server it reached is the one Sentinel monitors (the app user may run INFO).
      expect(await r.info('server')).toContain(`tcp_port:${redis!.port}`);
    } finally {
      r.disconnect();
    }
  });

  it('redis-py 4.3.4 Sentinel (discover_master reads SENTINEL MASTERS) as the application user', () => {
    const r = spawnSync(PYTHON, ['-c', PY_SENTINEL], {
      env: {
        PATH: process.env.PATH!,
        SPORT: String(sport),
        SUSER: app.user,
        SPASS: app.pass,
        RUSER: ctx.appUser,
        RPASS: passwords.app,
        MASTER: values.sentinel.masterSet,
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (r.error)
      throw new Error(`${PYTHON} (Debian python3-redis) is required for this test: ${r.error.message}`);
    expect(`${r.stdout}${r.stderr}`.trim()).toBe(`master 127.0.0.1:${redis!.port}\nget 1`);
  });

  it.each(
    [
      ['SENTINEL', 'SET', 'mymaster', 'quorum', '1'],
      ['SENTINEL', 'REMOVE', 'mymaster'],
      ['SENTINEL', 'FAILOVER', 'mymaster'],
      ['SENTINEL', 'RESET', '*'],
      ['SENTINEL', 'MONITOR', 'other', '127.0.0.1', '1', '1'],
      ['SENTINEL', 'CONFIG', 'GET', '*'],
      ['CONFIG', 'GET', '*'],
      ['ACL', 'LIST'],
      ['SHUTDOWN'],
    ].map((c) => [c.join(' '), c]),
  )('the application user is refused %s', (_name, cmd) => {
    // Sentinel 7.0 has no CONFIG command (SENTINEL CONFIG only; CONFIG came to Sentinel later): where
    // even the admin gets "unknown command", the application cannot run it either.
    const exists = rcli(sport, ['COMMAND', 'INFO', cmd[0]], admin) !== '';
    expect(rcli(sport, cmd, app)).toMatch(exists ? /NOPERM/ : /NOPERM|unknown command/);
  });

  it('the application user may ask for the primary, replicas, Sentinels and subscribe', async () => {
    const m = values.sentinel.masterSet;
    expect(rcli(sport, ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', m], app)).toBe(`127.0.0.1\n${redis!.port}`);
    for (const cmd of [
      ['SENTINEL', 'REPLICAS', m],
      ['SENTINEL', 'SENTINELS', m],
      ['SENTINEL', 'MASTER', m],
      ['ROLE'],
    ])
      expect(rcli(sport, cmd, app)).not.toMatch(/NOPERM|ERR/);
    // Failover events, as Sentinel-aware clients subscribe to them.
    const sub = new Redis({
      host: '127.0.0.1',
      port: sport,
      username: app.user,
      password: app.pass,
      lazyConnect: true,
    });
    try {
      await sub.connect();
      expect(await sub.subscribe('+switch-master')).toBe(1);
    } finally {
      sub.disconnect();
    }
  });

  it('the admin password on default keeps every command (the chart scripts and probes)', () => {
    const m = values.sentinel.masterSet;
    // start-sentinel.sh / start-node.sh: REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli ... sentinel get-master-addr-by-name
    expect(rcli(sport, ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', m], admin)).toBe(`127.0.0.1\n${redis!.port}`);
    // ping_sentinel.sh
    expect(rcli(sport, ['PING'], admin)).toBe('PONG');
    expect(rcli(sport, ['ACL', 'WHOAMI'], admin)).toBe('default');
    expect(
      rcli(
        sport,
        ['SENTINEL', 'SET', m, 'down-after-milliseconds', String(values.sentinel.downAfterMilliseconds)],
        admin,
      ),
    ).toBe('OK');
    expect(rcli(sport, ['ACL', 'USERS'], admin).split('\n').sort()).toEqual([ctx.appUser, 'default'].sort());
  });

  it("peer Sentinels still log in to it (as default with the admin password, the chart's requirepass)", async () => {
    // The other Sentinels of this file monitor the same primary, so they find this one through its
    // hello messages and PING it every second: a failed AUTH would leave last-ok-ping-reply growing.
    const m = values.sentinel.masterSet;
    const peerOf = (port: number) => {
      const auth = { pass: port === wrongPort ? wrongPassword : passwords.admin };
      const lines = rcli(port, ['SENTINEL', 'SENTINELS', m], auth).split('\n');
      const records: Array<Record<string, string>> = [];
      for (let i = 0; i + 1 < lines.length; i += 2) {
        if (lines[i] === 'name') records.push({});
        if (records.length) records[records.length - 1][lines[i]] = lines[i + 1];
      }
      return records.find((r) => r.port === String(sport));
    };
    // Once a peer's link is up it is PINGed every second: the last good reply stays under a second
    // or two when its AUTH worked, and only grows when the peer refused it.
    const linked = async (port: number) => {
      for (let i = 0; i < 100 && peerOf(port)?.flags !== 'sentinel'; i++) await sleep(100);
      await sleep(2500);
      return peerOf(port);
    };
    const [fromOld, fromWrong] = await Promise.all([linked(oldPort), linked(wrongPort)]);
    expect(fromOld?.flags).toBe('sentinel');
    expect(Number(fromOld!['last-ok-ping-reply'])).toBeLessThan(1500);
    // Control: the peer that sends another password gets no good reply from this Sentinel.
    expect(Number(fromWrong!['last-ok-ping-reply'])).toBeGreaterThan(2000);
  }, 20_000);

  it('without a password the Sentinel answers NOAUTH', () => {
    expect(rcli(sport, ['PING'])).toMatch(/NOAUTH/);
  });

  it('bad fixture: the values without the Sentinel ACL refuse the application user (only the admin password works)', async () => {
    expect(rcli(oldPort, ['PING'], app)).toMatch(/WRONGPASS/);
    expect(rcli(oldPort, ['PING'], admin)).toBe('PONG');
    const r = appSentinelClient(oldPort);
    r.on('error', () => undefined);
    try {
      await expect(r.connect()).rejects.toThrow(/sentinel|WRONGPASS/i);
    } finally {
      r.disconnect();
    }
  });

  it('bad fixture: an ACL file without its default line leaves the Sentinel open', () => {
    expect(rcli(noDefaultPort, ['PING'])).toBe('PONG');
  });
});

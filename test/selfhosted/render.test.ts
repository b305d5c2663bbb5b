/** Renderer unit tests (no Redis needed): layout, validation errors, secrets, every example end to end. */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Deployment, loadDeployment } from '../../lib/deployment';
import { SpecError } from '../../lib/errors';
import { resolvePolicy } from '../../lib/policy/resolve';
import { buildSelfHosted, renderSelfHosted } from '../../lib/selfhosted/render';
import { parseSpec } from '../../lib/spec/load';
import type { Plan } from '../../lib/planner/types';
import { fakePlan } from '../redisconf/fixtures';
import { appGroupId, redisAccount } from './harness';
import { ROOT, SYSTEMD_ANALYZE, testWith } from '../support/tools';

const EXAMPLES = path.join(__dirname, '../../examples');

function deployment(yaml: string, topology: Partial<Plan['topology']> = {}, maxclients?: number): Deployment {
  const spec = parseSpec(yaml, 'test.yaml');
  const policy = resolvePolicy(spec, 'test.yaml');
  return { spec, policy, plan: fakePlan(topology, maxclients), id: spec.name, source: 'test.yaml' };
}

const PROD = fs.readFileSync(path.join(EXAMPLES, 'default.yaml'), 'utf8');
const file = (d: Deployment, name: string) =>
  buildSelfHosted(d).files.find((f) => f.name === name)?.content ?? '';

describe('layout', () => {
  test('standalone: one node on basePort 6380 from the spec', () => {
    const { layout } = buildSelfHosted(deployment(PROD));
    expect(layout.nodes.map((n) => n.port)).toEqual([6380]);
    expect(layout.sentinels).toEqual([]);
  });

  test('replication with failover: primary + replicas + 3 Sentinels, quorum 2', () => {
    const { layout, files } = buildSelfHosted(deployment(PROD, { mode: 'replication', replicasPerShard: 2 }));
    expect(layout.nodes.map((n) => [n.port, n.role, n.replicaOf])).toEqual([
      [6380, 'primary', undefined],
      [6381, 'replica', 6380],
      [6382, 'replica', 6380],
    ]);
    expect(layout.sentinels.map((s) => s.port)).toEqual([26379, 26380, 26381]);
    expect(files.find((f) => f.name === 'sentinel-26379.conf.template')!.content).toMatch(
      /^sentinel monitor app-cache 127\.0\.0\.1 6380 2$/m,
    );
    expect(files.find((f) => f.name === 'redis-6382.conf')!.content).toMatch(
      /^replicaof 127\.0\.0\.1 6380$/m,
    );
  });

  test('cluster 3+3 defaults to 7000-7005 without a basePort in the spec', () => {
    const yaml = PROD.replace(/ {2}selfHosted:\n {4}basePort: 6380\n/, '');
    const { layout, files } = buildSelfHosted(
      deployment(yaml, { mode: 'cluster', shards: 3, replicasPerShard: 1 }),
    );
    expect(layout.nodes.map((n) => n.port)).toEqual([7000, 7001, 7002, 7003, 7004, 7005]);
    const conf = files.find((f) => f.name === 'redis-7003.conf')!.content;
    expect(conf).toMatch(/^cluster-enabled yes$/m);
    expect(conf).toMatch(/^tls-cluster yes$/m);
    expect(conf).toMatch(/^cluster-node-timeout 5000$/m);
    // redis-cli --cluster create picks a replica's primary: the header does not claim a shard for it.
    expect(conf.split('\n')[0]).toMatch(/\(cluster replica; create-cluster.sh picks its primary\)\.$/);
    expect(files.find((f) => f.name === 'redis-7000.conf')!.content.split('\n')[0]).toMatch(
      /\(cluster shard 0, primary\)\.$/,
    );
    expect(files.map((f) => f.name)).toContain('create-cluster.sh');
  });
});

describe('connection contract', () => {
  test('Sentinel layout publishes the Sentinels, the master name and the app user; never a password', () => {
    const env = file(deployment(PROD, { mode: 'replication', replicasPerShard: 1 }), 'contract.env');
    expect(env).toMatch(/^REDIS_SENTINELS=127\.0\.0\.1:26379,127\.0\.0\.1:26380,127\.0\.0\.1:26381$/m);
    expect(env).toMatch(/^REDIS_SENTINEL_SERVICE=app-cache$/m);
    expect(env).toMatch(/^REDIS_USERNAME=app-app$/m);
    // The copies install.sh makes for the applications' group, not the operator's secrets dir.
    expect(env).toMatch(/^REDIS_PASSWORD_FROM=file:\/etc\/redis-iac\/app-cache\/client\/app.password$/m);
    expect(env).toMatch(/^REDIS_TLS_CA_FROM=file:\/etc\/redis-iac\/app-cache\/client\/ca.crt$/m);
    expect(env).toMatch(/^REDIS_SENTINEL_USERNAME=app-app$/m);
    expect(env).toMatch(/^REDIS_SENTINEL_TLS=true$/m);
    expect(env).toMatch(/^REDIS_FAILOVER_TIMEOUT_MS=12000$/m);
    expect(env).toMatch(/^REDIS_TLS_ENABLED=true$/m);
  });
  test('cluster layout lists every node', () => {
    const env = file(deployment(PROD, { mode: 'cluster', shards: 3, replicasPerShard: 1 }), 'contract.env');
    expect(env).toMatch(/^REDIS_CLUSTER_NODES=(127\.0\.0\.1:\d+,){5}127\.0\.0\.1:\d+$/m);
  });
});

describe('validation errors name the field, the value and the fix', () => {
  const expectSpecError = (fn: () => unknown, field: RegExp) => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(SpecError);
      expect((e as SpecError).field).toMatch(field);
      expect((e as SpecError).message).toMatch(/got .*; /);
      return;
    }
    throw new Error('expected a SpecError');
  };

  test('cluster bus port beyond 65535', () =>
    expectSpecError(
      () =>
        buildSelfHosted(deployment(PROD, { mode: 'cluster', shards: 3, replicasPerShard: 1 }), {
          basePort: 55534,
        }),
      /basePort/,
    ));
  test('relative data dir', () =>
    expectSpecError(() => buildSelfHosted(deployment(PROD), { dataDir: 'data' }), /dataDir/));
  test('tls dir with a space', () =>
    expectSpecError(() => buildSelfHosted(deployment(PROD), { tlsDir: '/etc/my tls' }), /tlsDir/));
  test('bad host', () => expectSpecError(() => buildSelfHosted(deployment(PROD), { host: 'a b' }), /host/));
  test('cluster with 2 shards', () =>
    expectSpecError(
      () => buildSelfHosted(deployment(PROD, { mode: 'cluster', shards: 2, replicasPerShard: 1 })),
      /shards/,
    ));
  test('wrong number of explicit ports', () =>
    expectSpecError(
      () =>
        buildSelfHosted(deployment(PROD, { mode: 'replication', replicasPerShard: 1 }), { ports: [7000] }),
      /ports/,
    ));
  test('Sentinel port equal to a node port', () =>
    expectSpecError(
      () =>
        buildSelfHosted(deployment(PROD, { mode: 'replication', replicasPerShard: 1 }), {
          sentinelPorts: [6380, 26380, 26381],
        }),
      /sentinelPorts/,
    ));
});

describe('layout from targets.selfHosted: two deployments can share a host', () => {
  const withTarget = (target: string, topology: Partial<Plan['topology']> = {}) =>
    deployment(PROD.replace(/^ {2}selfHosted:\n( {4}.*\n)*/m, `  selfHosted:\n${target}`), topology);
  const repl = { mode: 'replication' as const, replicasPerShard: 1 };

  test('every directory, port list, user and app group comes from the spec (unusual but valid values)', () => {
    const d = withTarget(
      [
        '    confDir: /srv/redis-iac-2/conf',
        '    dataDir: /data/redis-iac-2',
        '    tlsDir: /srv/redis-iac-2/pki',
        '    secretsDir: /root/redis-iac-2-secrets',
        '    ports: [16001, 16003]',
        '    sentinelBasePort: 36379',
        '    user: redis2',
        '    appGroup: 4242',
        '',
      ].join('\n'),
      repl,
    );
    const { layout, files } = buildSelfHosted(d);
    expect(layout).toMatchObject({
      confDir: '/srv/redis-iac-2/conf',
      nodeConfDir: '/srv/redis-iac-2/conf/nodes',
      clientDir: '/srv/redis-iac-2/conf/client',
      dataDir: '/data/redis-iac-2',
      tlsDir: '/srv/redis-iac-2/pki',
      secretsDir: '/root/redis-iac-2-secrets',
      user: 'redis2',
      appGroup: '4242',
    });
    expect(layout.nodes.map((n) => n.port)).toEqual([16001, 16003]);
    expect(layout.sentinels.map((x) => x.port)).toEqual([36379, 36380, 36381]);
    const install = files.find((f) => f.name === 'install.sh')!.content;
    expect(install).toMatch(/^R_CONF_DIR='\/srv\/redis-iac-2\/conf'$/m);
    expect(install).toMatch(/^SPEC_USER='redis2'$/m);
    expect(install).toMatch(/^SPEC_APP_GROUP='4242'$/m);
    expect(files.find((f) => f.name === 'sentinel-36379.conf.template')!.content).toContain(
      'dir /data/redis-iac-2/sentinel-36379',
    );
    // The defaults of two deployments never meet: ids in every directory.
    const a = buildSelfHosted(deployment(PROD, repl)).layout;
    expect([a.confDir, a.dataDir, a.secretsDir]).toEqual([
      '/etc/redis-iac/app-cache',
      '/var/lib/redis-iac/app-cache',
      '/etc/redis-iac/app-cache/secrets',
    ]);
  });

  const expectField = (fn: () => unknown, field: RegExp, msg: RegExp) => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(SpecError);
      expect([(e as SpecError).field, (e as SpecError).message]).toEqual([
        expect.stringMatching(field),
        expect.stringMatching(msg),
      ]);
      return;
    }
    throw new Error('expected a SpecError');
  };
  const cluster = { mode: 'cluster' as const, shards: 3, replicasPerShard: 1 };
  test.each([
    ['a repeated node port', '    ports: [7000, 7000]\n', repl, /ports$/, /port 7000 is given twice/],
    [
      'a cluster bus port that is another node',
      '    ports: [7000, 7001, 7002, 17000, 7004, 7005]\n',
      cluster,
      /ports$/,
      /bus port 17000 of node 7000 is also the node port 17000/,
    ],
    [
      'a Sentinel port inside the node ports',
      '    basePort: 26378\n',
      repl,
      /sentinelBasePort$/,
      /Sentinel port 26379 is also the node port 26379/,
    ],
    [
      'an explicit Sentinel port twice',
      '    sentinelPorts: [26379, 26379, 26380]\n',
      repl,
      /sentinelPorts$/,
      /is also the Sentinel port 26379/,
    ],
    [
      'dataDir /var',
      '    dataDir: /var\n',
      repl,
      /dataDir$/,
      /dedicated to this deployment .* shared one such as \/var/,
    ],
    ['dataDir /var/lib/', '    dataDir: /var/lib/\n', repl, /dataDir$/, /shared one such as \/var\/lib/],
    ['confDir /etc', '    confDir: /etc\n', repl, /confDir$/, /shared one such as \/etc/],
    ['tlsDir /etc/ssl', '    tlsDir: /etc/ssl\n', repl, /tlsDir$/, /shared/],
    ['dataDir a home', '    dataDir: /home/alice\n', repl, /dataDir$/, /dedicated/],
    ['dataDir /', '    dataDir: /\n', repl, /dataDir$/, /dedicated/],
    ['dataDir with ..', '    dataDir: /srv/../var\n', repl, /dataDir$/, /"\.\."/],
    [
      'dataDir inside confDir',
      '    confDir: /srv/x\n    dataDir: /srv/x/data\n',
      repl,
      /dataDir$/,
      /must not contain each other/,
    ],
    [
      'secretsDir inside dataDir',
      '    dataDir: /srv/d\n    secretsDir: /srv/d/secrets\n',
      repl,
      /secretsDir$/,
      /outside the folders the Redis account writes/,
    ],
    ['user root', '    user: root\n', repl, /user$/, /other than root/],
  ])('refuses %s, naming the field', (_what, target, topology, field, msg) =>
    expectField(() => buildSelfHosted(withTarget(target, topology)), field, msg),
  );
});

describe('security of the rendered files', () => {
  test('TLS only, ACL file, disabled commands, CONFIG renamed only through the secret include', () => {
    const d = deployment(PROD);
    const conf = file(d, 'redis-6380.conf');
    expect(conf).toMatch(/^port 0$/m);
    expect(conf).toMatch(/^tls-port 6380$/m);
    expect(conf).toMatch(/^tls-protocols "TLSv1.2 TLSv1.3"$/m);
    expect(conf).toMatch(/^aclfile \/etc\/redis-iac\/app-cache\/users.acl$/m);
    for (const c of ['FLUSHALL', 'FLUSHDB', 'DEBUG', 'KEYS'])
      expect(conf).toContain(`rename-command ${c} ""`);
    expect(conf).not.toMatch(/rename-command CONFIG/);
    expect(file(d, 'secrets.conf.template')).toMatch(/^rename-command CONFIG \{\{CONFIG_COMMAND\}\}$/m);
  });

  test('users.acl template carries hash placeholders only', () => {
    const acl = file(deployment(PROD), 'users.acl.template');
    expect(acl).toMatch(/^user default off /m);
    expect(acl).toMatch(/^user app-app on resetpass \{\{HASH:app\}\} resetkeys ~app:\* /m);
    expect(acl).not.toMatch(/ >|PASSWORD/);
  });

  test('ACL off: requirepass and masterauth from the secret include', () => {
    const d = deployment(
      PROD.replace('profile: production', 'profile: staging').replace(
        'keyspace:',
        'security: { acl: false }\nkeyspace:',
      ),
    );
    expect(d.policy.security.acl).toBe(false);
    const secrets = file(d, 'secrets.conf.template');
    expect(secrets).toMatch(/^requirepass \{\{PASSWORD:default\}\}$/m);
    expect(file(d, 'redis-6380.conf')).not.toMatch(/aclfile/);
    expect(buildSelfHosted(d).files.map((f) => f.name)).not.toContain('users.acl.template');
  });

  test('TLS off (development waiver-free): plaintext port, no tls-* lines', () => {
    const d = deployment(
      PROD.replace('profile: production', 'profile: development').replace(
        'keyspace:',
        'security: { tls: false }\nkeyspace:',
      ),
    );
    const conf = file(d, 'redis-6380.conf');
    expect(conf).toMatch(/^port 6380$/m);
    expect(conf).not.toMatch(/^tls-/m);
  });
});

describe('host names and engine versions', () => {
  const repl = { mode: 'replication' as const, replicasPerShard: 1 };
  const cluster = { mode: 'cluster' as const, shards: 3, replicasPerShard: 1 };

  test('a host name: Sentinel resolves and announces names (it refuses to start otherwise)', () => {
    const d = deployment(PROD, repl);
    const sentinel = (host: string) =>
      buildSelfHosted(d, { host }).files.find((f) => f.name === 'sentinel-26379.conf.template')!.content;
    const named = sentinel('redis-1.internal');
    expect(named).toMatch(/^sentinel resolve-hostnames yes$/m);
    expect(named).toMatch(/^sentinel announce-hostnames yes$/m);
    // Before the monitor line: Sentinel resolves the address while it reads that line.
    expect(named.indexOf('resolve-hostnames')).toBeLessThan(named.indexOf('sentinel monitor'));
    expect(sentinel('10.0.1.5')).not.toMatch(/hostnames/);
  });

  test('a host name: cluster nodes announce it as a host name, not as cluster-announce-ip', () => {
    const yaml = PROD.replace(/ {2}selfHosted:\n {4}basePort: 6380\n/, '');
    const conf = (host: string) =>
      buildSelfHosted(deployment(yaml, cluster), { host }).files.find((f) => f.name === 'redis-7000.conf')!
        .content;
    const named = conf('redis-1.internal');
    expect(named).toMatch(/^cluster-announce-hostname redis-1.internal$/m);
    expect(named).toMatch(/^cluster-preferred-endpoint-type hostname$/m);
    expect(named).not.toMatch(/cluster-announce-ip/);
    expect(conf('10.0.1.5')).toMatch(/^cluster-announce-ip 10.0.1.5$/m);
  });

  test("the app user's Sentinel ACL lets redis-py find the primary (SENTINEL MASTERS)", () => {
    const t = file(deployment(PROD, repl), 'sentinel-26379.conf.template');
    expect(t).toMatch(/^user app-app on .* \+sentinel\|masters( |$)/m);
  });

  test('Redis 6.2: no 7.0-only directive (appenddirname); Redis 6.0 is refused with the fix', () => {
    const v62 = deployment(PROD.replace('engineVersion: "7.1"', 'engineVersion: "6.2"'));
    expect(v62.policy.engineVersion).toBe('6.2');
    expect(file(v62, 'redis-6380.conf')).not.toMatch(/appenddirname/);
    expect(file(deployment(PROD), 'redis-6380.conf')).toMatch(/^appenddirname appendonlydir$/m);
    // The policy refuses 6.0 for every target that does not offer it, self-hosted among them ...
    expect(() => deployment(PROD.replace('engineVersion: "7.1"', 'engineVersion: "6.0"'))).toThrow(
      /engineVersion: got "6.0"; redis 6.0 is not offered by self-hosted.*self-hosted accepts redis 6\.2 to/,
    );
    // ... and the renderer keeps its own guard for a policy built some other way.
    const v60 = { ...v62, policy: { ...v62.policy, engineVersion: '6.0' } };
    expect(() => buildSelfHosted(v60)).toThrow(
      /engineVersion: got "6.0"; self-hosted configs need Redis 6.2 or later/,
    );
  });
});

describe('backup.sh, restore.sh and stop.sh', () => {
  test('backup and restore scripts follow the policy: rendered with a retention, absent without one', () => {
    const d = deployment(PROD, { mode: 'replication', replicasPerShard: 1 });
    const names = buildSelfHosted(d).files.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['backup.sh', 'restore.sh']));
    const backup = file(d, 'backup.sh');
    expect(backup).toMatch(new RegExp(`^RETENTION_DAYS=${d.policy.persistence.snapshotRetentionDays}$`, 'm'));
    // The admin password reaches redis-cli through that call's own environment: never its command
    // line, never an exported variable that every child (and daemon) would inherit.
    expect(backup).toMatch(/^ {4}REDISCLI_AUTH="\$pw" "\$\{a\[@\]\}" "\$@"$/m);
    for (const name of ['backup.sh', 'restore.sh', 'create-cluster.sh', 'start.sh', 'install.sh']) {
      const text =
        file(deployment(PROD, { mode: 'cluster', shards: 3, replicasPerShard: 1 }), name) || file(d, name);
      expect([name, text]).toEqual([name, expect.not.stringMatching(/export |-a |--pass|declare -x/)]);
    }
    // Daemons start with a clean environment.
    expect(file(d, 'start.sh')).toMatch(
      /env -i PATH=\S+ LANG=C.UTF-8 "\$\{as\[@\]\}" "\$REDIS_SERVER" "\$@"/,
    );
    expect(file(d, 'restore.sh')).toMatch(
      /^ {2}daemon "\$NODE_CONF_DIR\/redis-\$p.conf" --daemonize yes --appendonly no$/m,
    );
    // The secret CONFIG name reaches redis-cli on stdin, never as an argument (ps shows arguments).
    const restore = file(d, 'restore.sh');
    expect(restore).toMatch(/printf "%s SET appendonly yes\\n" "\$CONFIG_COMMAND" \| cli "\$p"/);
    expect(restore).not.toMatch(/cli "\$p" "\$CONFIG_COMMAND"/);
    const readme = file(d, 'README.md');
    const [h, m] = d.policy.persistence.snapshotWindow.split('-')[0].split(':').map(Number);
    expect(readme).toMatch(new RegExp(`^${m} ${h} \\* \\* \\* root .*/backup.sh `, 'm'));

    const dev = deployment(PROD.replace('profile: production', 'profile: development'));
    expect(dev.policy.persistence.snapshotRetentionDays).toBe(0);
    expect(buildSelfHosted(dev).files.map((f) => f.name)).not.toContain('backup.sh');
  });

  test('backup.sh stops at a missing admin password instead of reporting no primary', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-iac-backup-'));
    try {
      renderSelfHosted(deployment(PROD), `${tmp}/dist`);
      const r = spawnSync('bash', [`${tmp}/dist/backup.sh`, `${tmp}/no-secrets`, `${tmp}/bk`], {
        encoding: 'utf8',
      });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/no-secrets\/admin.password: No such file/);
      expect(r.stderr).not.toMatch(/answering primary/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('every rendered script is valid bash', () => {
    const d = deployment(PROD, { mode: 'cluster', shards: 3, replicasPerShard: 1 });
    for (const f of buildSelfHosted(d, { basePort: 7000 }).files.filter((x) => x.executable)) {
      const r = spawnSync('bash', ['-n'], { input: f.content, encoding: 'utf8' });
      expect([f.name, r.status, r.stderr]).toEqual([f.name, 0, '']);
    }
  });

  test('start.sh warns when the open-file limit is below maxclients + 32 (Redis would lower maxclients)', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-iac-start-'));
    try {
      const d = deployment(PROD);
      renderSelfHosted(d, tmp, { confDir: `${tmp}/conf`, dataDir: `${tmp}/data` });
      fs.mkdirSync(`${tmp}/conf`);
      const low = d.plan.connections.maxclients; // below maxclients + 32
      // Not installed: the script stops right after its checks.
      const r = spawnSync('bash', ['-c', `ulimit -n ${low}; exec /bin/bash ${tmp}/start.sh`], {
        encoding: 'utf8',
      });
      expect(r.stderr).toContain(`warning: open-file limit ${low} < maxclients ${low} + 32`);
      expect([r.status, r.stderr]).toEqual([
        2,
        expect.stringMatching(/not installed \(no install.env\): run install.sh first\n$/),
      ]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  testWith(ROOT)(
    'stop.sh fails loudly when it may not signal the Redis process (run as another account)',
    () => {
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-iac-stop-'));
      fs.chmodSync(tmp, 0o755);
      // A root-owned process whose name looks like Redis' (stop.sh only signals redis-*/valkey-*).
      fs.copyFileSync('/bin/sleep', `${tmp}/redis-fake`);
      fs.chmodSync(`${tmp}/redis-fake`, 0o755);
      const proc = spawn(`${tmp}/redis-fake`, ['30'], { stdio: 'ignore' });
      try {
        renderSelfHosted(deployment(PROD), `${tmp}/dist`, {
          confDir: `${tmp}/conf`,
          dataDir: `${tmp}/data`,
          ports: [6391],
        });
        fs.mkdirSync(`${tmp}/data/6391`, { recursive: true, mode: 0o755 });
        fs.mkdirSync(`${tmp}/conf`, { mode: 0o755 });
        fs.chmodSync(`${tmp}/data`, 0o755);
        fs.chmodSync(`${tmp}/data/6391`, 0o755);
        fs.writeFileSync(`${tmp}/data/6391/redis.pid`, `${proc.pid}\n`, { mode: 0o644 });
        const stop = () =>
          spawnSync('runuser', ['-u', 'nobody', '--', 'bash', `${tmp}/dist/stop.sh`], {
            encoding: 'utf8',
            timeout: 20_000,
          });
        // Installed for nobody: a root process named like Redis is not this deployment's.
        const other = stop();
        expect([other.status, other.stderr]).toEqual([
          0,
          expect.stringMatching(/does not belong to nobody: left alone/),
        ]);
        // Installed for root (as install.env, root-owned, says): nobody may not signal it.
        fs.writeFileSync(`${tmp}/conf/install.env`, 'RUN_USER=root\nALLOW_ROOT=1\n', { mode: 0o644 });
        const r = stop();
        expect([r.status, r.stderr]).toEqual([1, expect.stringMatching(/cannot signal pid \d+/)]);
        expect(proc.exitCode).toBeNull();
      } finally {
        proc.kill('SIGKILL');
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    },
  );

  test('stop.sh leaves alone a process that took over the PID of a stale pidfile', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-iac-stop-'));
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      renderSelfHosted(deployment(PROD), `${tmp}/dist`, {
        confDir: `${tmp}/conf`,
        dataDir: `${tmp}/data`,
        ports: [6390],
      });
      fs.mkdirSync(`${tmp}/data/6390`, { recursive: true });
      fs.writeFileSync(`${tmp}/data/6390/redis.pid`, `${other.pid}\n`);
      const r = spawnSync('bash', [`${tmp}/dist/stop.sh`], { encoding: 'utf8', timeout: 20_000 });
      expect(r.status).toBe(0);
      expect(other.exitCode).toBeNull();
      expect(() => process.kill(other.pid!, 0)).not.toThrow();
    } finally {
      other.kill('SIGKILL');
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('systemd units', () => {
  const verify = testWith(SYSTEMD_ANALYZE);

  /** `systemd-analyze security --offline=true` exposure score of a unit file (0 best, 10 worst). */
  const exposure = (dir: string, name: string, content: string): number => {
    fs.writeFileSync(path.join(dir, name), content);
    const r = spawnSync('systemd-analyze', ['security', '--offline=true', '--no-pager', name], {
      cwd: dir,
      encoding: 'utf8',
    });
    const m = /Overall exposure level for \S+: ([\d.]+)/.exec(r.stdout);
    if (!m) throw new Error(`no exposure level from systemd-analyze security: ${r.stdout}${r.stderr}`);
    return Number(m[1]);
  };

  verify(
    'systemd-analyze security scores every unit 4.0 or better ("OK"); an unhardened unit scores worse',
    () => {
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-iac-security-'));
      try {
        // Every unit kind, and an unusual but valid layout (user name with digits, relocated dirs).
        const units = [
          ...buildSelfHosted(deployment(PROD, { mode: 'replication', replicasPerShard: 1 })).files,
          ...buildSelfHosted(deployment(PROD, { mode: 'cluster', shards: 3, replicasPerShard: 1 }), {
            user: 'redis7',
            confDir: '/srv/redis-iac-7/conf',
            dataDir: '/data/redis-iac-7',
          }).files.map((f) => ({ ...f, name: f.name.replace('@', '-7@') })),
        ].filter((f) => f.name.endsWith('.service'));
        expect(units.length).toBe(3);
        for (const u of units) {
          const score = exposure(tmp, u.name, u.content);
          console.log(`[systemd] ${u.name}: exposure ${score}`);
          expect([u.name, score <= 4.0]).toEqual([u.name, true]);
        }
        // Control: without the sandbox lines the same unit is exposed (the check can fail).
        const plain = units[0].content
          .split('\n')
          .filter(
            (l) =>
              !/^(Protect|Private|Restrict|SystemCall|Capability|NoNew|Lock|Memory|Remove|Keyring|Device|ProcSubset|Ambient|UMask)/.test(
                l,
              ),
          )
          .join('\n');
        expect(exposure(tmp, 'plain@.service', plain)).toBeGreaterThan(4.0);
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    },
  );

  test('one template per process kind; ExecStart, LimitNOFILE and writable paths follow the layout', () => {
    const d = deployment(PROD, { mode: 'replication', replicasPerShard: 1 }, 70_000);
    const node = file(d, 'redis-iac-app-cache@.service');
    expect(node).toMatch(
      /^ExecStart=\/usr\/bin\/redis-server \/etc\/redis-iac\/app-cache\/nodes\/redis-%i.conf --daemonize no$/m,
    );
    // maxclients 70000 needs 70032 descriptors; the floor is 65536.
    expect(node).toMatch(/^LimitNOFILE=70032$/m);
    // Only what Redis writes: the configs it rewrites and its data; the rest of the file system is read-only.
    expect(node).toMatch(
      /^ReadWritePaths=\/etc\/redis-iac\/app-cache\/nodes \/var\/lib\/redis-iac\/app-cache$/m,
    );
    expect(node).toMatch(/^ProtectSystem=strict$/m);
    expect(node).toMatch(/^User=redis$/m);
    const sentinel = file(d, 'redis-iac-app-cache-sentinel@.service');
    expect(sentinel).toMatch(/sentinel-%i.conf --sentinel --daemonize no$/m);
    expect(file(deployment(PROD), 'redis-iac-app-cache-sentinel@.service')).toBe('');
  });

  verify('systemd-analyze verify accepts the units', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-iac-units-'));
    try {
      const d = deployment(PROD, { mode: 'replication', replicasPerShard: 1 });
      for (const f of buildSelfHosted(d).files.filter((x) => x.name.endsWith('.service'))) {
        fs.writeFileSync(path.join(tmp, f.name), f.content);
        const instance = f.name.replace('@.service', '@6380.service');
        const r = spawnSync('systemd-analyze', ['verify', '--man=no', `./${instance}`], {
          cwd: tmp,
          encoding: 'utf8',
        });
        expect([f.name, r.status, r.stderr]).toEqual([f.name, 0, '']);
      }
      // Control: the same check reports a broken unit.
      const bad = buildSelfHosted(d).files.find((x) => x.name === 'redis-iac-app-cache@.service')!;
      fs.writeFileSync(path.join(tmp, 'broken@.service'), bad.content.replace('Type=simple', 'Type=bogus'));
      const r = spawnSync('systemd-analyze', ['verify', '--man=no', './broken@6380.service'], {
        cwd: tmp,
        encoding: 'utf8',
      });
      expect(r.stderr).toMatch(/Failed to parse service type/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('install.sh', () => {
  let tmp = '';
  const root = process.getuid?.() === 0;
  const asRoot = testWith(ROOT);
  /** As root, Redis runs as the harness' account (Debian's redis) and apps get another group. */
  const who = () => (root ? ['--user', redisAccount().user, '--app-group', String(appGroupId())] : []);
  const install = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync('bash', [`${tmp}/dist/install.sh`, ...who(), ...args], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
  // In hooks, not the describe body: a filtered run (-t) skips afterAll of an all-skipped block.
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-iac-install-'));
    fs.chmodSync(tmp, 0o755); // stands for /, which every account may traverse (mkdtemp makes 700)
    const d = deployment(PROD, { mode: 'replication', replicasPerShard: 1 });
    renderSelfHosted(d, `${tmp}/dist`, {
      confDir: `${tmp}/conf`,
      dataDir: `${tmp}/data`,
      tlsDir: `${tmp}/tls`,
    });
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('generates missing secrets, writes hashes to users.acl, fills every placeholder; modes per reader', () => {
    const r = install([`${tmp}/secrets`]);
    expect([r.status, r.stderr]).toEqual([0, expect.any(String)]);
    const app = fs.readFileSync(`${tmp}/secrets/app.password`, 'utf8').trim();
    expect(app).toMatch(/^[A-Za-z0-9]{64}$/);
    const acl = fs.readFileSync(`${tmp}/conf/users.acl`, 'utf8');
    expect(acl).not.toContain(app);
    expect(acl).not.toContain('{{');
    const sentinel = fs.readFileSync(`${tmp}/conf/nodes/sentinel-26379.conf`, 'utf8');
    expect(sentinel).toContain(fs.readFileSync(`${tmp}/secrets/sentinel.password`, 'utf8').trim());
    const mode = (f: string) => [f, fs.statSync(`${tmp}/${f}`).mode & 0o777];
    for (const [f, m] of [
      ['conf', 0o751],
      ['conf/secrets.conf', 0o640],
      ['conf/users.acl', 0o640],
      ['conf/nodes', 0o700],
      ['conf/nodes/redis-6380.conf', 0o600],
      ['conf/nodes/sentinel-26379.conf', 0o600],
      ['conf/client', 0o750],
      ['conf/client/app.password', 0o640],
      ['secrets', 0o700],
      ['data', 0o750],
      ['data/6380', 0o700],
    ] as const)
      expect(mode(f)).toEqual([f, m]);
    // The application's copy of its password, and only its own.
    expect(fs.readFileSync(`${tmp}/conf/client/app.password`, 'utf8').trim()).toBe(app);
    expect(fs.readdirSync(`${tmp}/conf/client`).sort()).toEqual(['app.password', 'contract.env']);
    expect(fs.readFileSync(`${tmp}/conf/secrets.conf`, 'utf8')).toMatch(
      /^rename-command CONFIG CONFIG-[A-Za-z0-9]{24}$/m,
    );
    // The installed configs point at the installed paths.
    expect(fs.readFileSync(`${tmp}/conf/nodes/redis-6380.conf`, 'utf8')).toContain(
      `include ${tmp}/conf/secrets.conf`,
    );
    expect(fs.readFileSync(`${tmp}/conf/install.env`, 'utf8')).toContain(`DATA_DIR=${tmp}/data\n`);
  });

  test('flags relocate every directory; the confs and client/contract.env name the new paths', () => {
    const alt = `${tmp}/alt`;
    fs.mkdirSync(alt, { mode: 0o755 });
    const r = install([
      `--conf-dir=${alt}/c`,
      '--data-dir',
      `${alt}/d`,
      '--tls-dir',
      `${alt}/t`,
      '--secrets-dir',
      `${alt}/s`,
    ]);
    expect([r.status, r.stderr]).toEqual([0, expect.any(String)]);
    const conf = fs.readFileSync(`${alt}/c/nodes/redis-6381.conf`, 'utf8');
    for (const line of [
      `include ${alt}/c/secrets.conf`,
      `aclfile ${alt}/c/users.acl`,
      `tls-key-file ${alt}/t/redis.key`,
      `dir ${alt}/d/6381`,
      `pidfile ${alt}/d/6381/redis.pid`,
    ])
      expect(conf).toContain(`\n${line}\n`);
    expect(conf).not.toContain(`${tmp}/conf`);
    expect(fs.readFileSync(`${alt}/c/nodes/sentinel-26380.conf`, 'utf8')).toContain(
      `dir ${alt}/d/sentinel-26380\n`,
    );
    const contract = fs.readFileSync(`${alt}/c/client/contract.env`, 'utf8');
    expect(contract).toMatch(new RegExp(`^REDIS_PASSWORD_FROM=file:${alt}/c/client/app.password$`, 'm'));
    expect(fs.existsSync(`${alt}/s/admin.password`)).toBe(true);
  });

  test.each([
    ['--data-dir', '/var', /--data-dir \/var: a directory dedicated to this deployment is needed/],
    ['--data-dir', '/', /--data-dir \/: a directory dedicated/],
    ['--conf-dir', '/etc', /--conf-dir \/etc: a directory dedicated/],
    ['--tls-dir', '/etc/ssl/', /--tls-dir \/etc\/ssl: a directory dedicated/],
    ['--data-dir', '/home/alice', /--data-dir \/home\/alice: a home directory is shared/],
    ['--data-dir', 'relative/x', /--data-dir relative\/x: expected an absolute path/],
    ['--secrets-dir', '/x/../etc', /no spaces, quotes, .*\. or \.\. allowed/],
    ['--conf-dir', '/srv/a|b', /--conf-dir \/srv\/a\|b: no spaces, quotes, \*, \[, \], \^, \|, &/],
    ['--bogus', 'x', /--bogus: unknown flag \(usage: install.sh /],
  ])('refuses %s %s with exit 2 and one line', (flag, value, msg) => {
    const r = install([flag, value, `${tmp}/secrets`]);
    expect([r.status, r.stderr]).toEqual([2, expect.stringMatching(msg)]);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('refuses a data dir inside the conf dir and secrets inside a folder Redis writes', () => {
    const nested = install(['--data-dir', `${tmp}/conf/data`, `${tmp}/secrets`]);
    expect([nested.status, nested.stderr]).toEqual([2, expect.stringMatching(/must not contain each other/)]);
    const secrets = install([`${tmp}/data/6380/secrets`]);
    expect([secrets.status, secrets.stderr]).toEqual([
      2,
      expect.stringMatching(
        /<secrets-dir> .*data\/6380\/secrets: must be outside the folders the Redis account writes/,
      ),
    ]);
  });

  test('refuses a password shorter than security.authTokenLength', () => {
    fs.mkdirSync(`${tmp}/short`, { recursive: true });
    fs.writeFileSync(`${tmp}/short/app.password`, 'tooshort\n');
    const r = install([`${tmp}/short`]);
    expect([r.status, r.stderr]).toEqual([
      2,
      expect.stringMatching(/app.password: shorter than 64 characters/),
    ]);
  });

  test('refuses a password with a space', () => {
    fs.mkdirSync(`${tmp}/space`, { recursive: true });
    fs.writeFileSync(`${tmp}/space/app.password`, `${'a'.repeat(40)} ${'b'.repeat(40)}`);
    const r = install([`${tmp}/space`]);
    expect([r.status, r.stderr]).toEqual([2, expect.stringMatching(/no spaces/)]);
  });

  test('re-install keeps the replication role a Sentinel failover wrote; --force resets it', () => {
    expect(install([`${tmp}/secrets`]).status).toBe(0);
    const at = (p: number) => `${tmp}/conf/nodes/redis-${p}.conf`;
    const conf = (p: number) => fs.readFileSync(at(p), 'utf8');
    // What Sentinel's CONFIG REWRITE leaves after promoting 6381.
    fs.writeFileSync(at(6380), conf(6380) + 'replicaof 127.0.0.1 6381\n');
    fs.writeFileSync(at(6381), conf(6381).replace(/^replicaof .*\n/m, ''));
    expect(install([`${tmp}/secrets`]).status).toBe(0);
    expect(conf(6380).match(/^replicaof .*$/gm)).toEqual(['replicaof 127.0.0.1 6381']);
    expect(conf(6381)).not.toMatch(/^replicaof /m);
    expect(conf(6381)).toMatch(/^maxclients /m);
    expect(fs.statSync(at(6380)).mode & 0o777).toBe(0o600);
    expect(install([`${tmp}/secrets`], { REDIS_IAC_FORCE: '1' }).status).toBe(0);
    expect(conf(6380)).not.toMatch(/^replicaof /m);
    expect(conf(6381).match(/^replicaof .*$/gm)).toEqual(['replicaof 127.0.0.1 6380']);
    fs.writeFileSync(at(6380), conf(6380) + 'replicaof 127.0.0.1 6381\n');
    expect(install(['--force', `${tmp}/secrets`]).status).toBe(0);
    expect(conf(6380)).not.toMatch(/^replicaof /m);
  });

  test('an install of the earlier layout (configs in the conf dir itself) is carried into nodes/ once', () => {
    const c = `${tmp}/conf`;
    expect(install([`${tmp}/secrets`]).status).toBe(0);
    // The earlier layout: Sentinel had promoted 6381 and rewritten both configs in the conf dir.
    fs.writeFileSync(`${c}/redis-6380.conf`, 'port 0\nreplicaof 127.0.0.1 6381\n');
    fs.writeFileSync(
      `${c}/sentinel-26379.conf`,
      'sentinel monitor app-cache 127.0.0.1 6381 2\n# learned state\n',
    );
    fs.rmSync(`${c}/nodes/redis-6380.conf`);
    fs.rmSync(`${c}/nodes/sentinel-26379.conf`);
    const r = install([`${tmp}/secrets`]);
    expect([r.status, r.stderr]).toEqual([
      0,
      expect.stringMatching(/moved .*conf\/redis-6380.conf to .*nodes/),
    ]);
    expect(fs.readFileSync(`${c}/nodes/redis-6380.conf`, 'utf8')).toMatch(/^replicaof 127.0.0.1 6381$/m);
    expect(fs.readFileSync(`${c}/nodes/sentinel-26379.conf`, 'utf8')).toContain('# learned state');
    expect(fs.existsSync(`${c}/redis-6380.conf`)).toBe(false);
    expect(fs.existsSync(`${c}/sentinel-26379.conf.migrated`)).toBe(true);
    expect(install([`${tmp}/secrets`], { REDIS_IAC_FORCE: '1' }).status).toBe(0);
  });

  asRoot(
    'as root: root owns the conf dir and what Redis only reads; Redis owns nodes/ and its data dirs',
    () => {
      const nobody = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim());
      const own = `${tmp}/own`;
      renderSelfHosted(deployment(PROD, { mode: 'replication', replicasPerShard: 1 }), `${own}/dist`, {
        confDir: `${own}/conf`,
        dataDir: `${own}/data`,
        tlsDir: `${own}/tls`,
      });
      fs.chmodSync(own, 0o755);
      // nobody's own group is nogroup (the harness' app group): here the apps get the redis group.
      const args = ['--user', 'nobody', '--app-group', String(redisAccount().gid)];
      // The secrets dir inside the config dir, as docs/self-hosted.md suggests: root's, unreachable for Redis.
      const r = spawnSync('bash', [`${own}/dist/install.sh`, ...args, `${own}/conf/secrets`], {
        encoding: 'utf8',
      });
      expect([r.status, r.stderr]).toEqual([0, expect.not.stringMatching(/no such user|as root/)]);
      const uid = (p: string) => [p, fs.statSync(`${own}/${p}`).uid];
      for (const p of [
        'conf',
        'conf/secrets.conf',
        'conf/users.acl',
        'conf/install.env',
        'conf/client',
        'data',
        'conf/secrets',
        'conf/secrets/app.password',
      ])
        expect(uid(p)).toEqual([p, 0]);
      for (const p of [
        'conf/nodes',
        'conf/nodes/redis-6380.conf',
        'conf/nodes/sentinel-26379.conf',
        'data/6380',
        'data/6381',
        'data/sentinel-26379',
      ])
        expect(uid(p)).toEqual([p, nobody]);
      expect(fs.statSync(`${own}/conf/client`).gid).toBe(redisAccount().gid);
      // Another account over an existing install needs --force (its files would stay the old account's).
      const other = spawnSync(
        'bash',
        [`${own}/dist/install.sh`, '--user', redisAccount().user, `${own}/conf/secrets`],
        { encoding: 'utf8' },
      );
      expect([other.status, other.stderr]).toEqual([
        2,
        expect.stringMatching(/is installed for nobody; .* install.sh --force/),
      ]);
    },
  );

  asRoot('as root: Redis as root is refused unless --allow-root; an unknown user is refused', () => {
    const r = spawnSync('bash', [`${tmp}/dist/install.sh`, '--user', 'root', `${tmp}/secrets`], {
      encoding: 'utf8',
    });
    expect([r.status, r.stderr]).toEqual([
      2,
      expect.stringMatching(/--user root: Redis would run as root; .*--allow-root/),
    ]);
    const u = install(['--user', 'no-such-user-x', `${tmp}/secrets`]);
    expect([u.status, u.stderr]).toEqual([2, expect.stringMatching(/--user no-such-user-x: no such user/)]);
  });

  asRoot(
    'as root, missing parent directories are created traversable, so the Redis account reaches its files',
    () => {
      const nested = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-iac-parents-'));
      fs.chmodSync(nested, 0o755); // stands for /, which every account may traverse (mkdtemp makes 700)
      try {
        const d = deployment(PROD, { mode: 'replication', replicasPerShard: 1 });
        renderSelfHosted(d, `${nested}/dist`, {
          confDir: `${nested}/etc/redis-iac/app`,
          dataDir: `${nested}/var/lib/redis-iac/app`,
          tlsDir: `${nested}/tls`,
        });
        const run = () =>
          spawnSync('bash', [`${nested}/dist/install.sh`, '--user', 'nobody', `${nested}/secrets`], {
            encoding: 'utf8',
          });
        const r = run();
        expect([r.status, r.stderr]).toEqual([0, expect.not.stringMatching(/cannot reach/)]);
        for (const p of ['etc/redis-iac', 'var/lib/redis-iac'])
          expect([p, fs.statSync(`${nested}/${p}`).mode & 0o777]).toEqual([p, 0o755]);
        const asNobody = (...args: string[]) => spawnSync('runuser', ['-u', 'nobody', '--', ...args]).status;
        expect(asNobody('test', '-r', `${nested}/etc/redis-iac/app/nodes/redis-6380.conf`)).toBe(0);
        expect(asNobody('test', '-r', `${nested}/etc/redis-iac/app/secrets.conf`)).toBe(0);
        expect(asNobody('test', '-w', `${nested}/var/lib/redis-iac/app/6380`)).toBe(0);
        // An existing parent that shuts the account out is reported, not silently accepted.
        fs.chmodSync(`${nested}/var/lib/redis-iac`, 0o700);
        expect(run().stderr).toMatch(/nobody cannot reach .*var\/lib\/redis-iac\/app/);
      } finally {
        fs.rmSync(nested, { recursive: true, force: true });
      }
    },
  );

  test('warns about missing certificates; refuses a key every account can read', () => {
    fs.mkdirSync(`${tmp}/tls`, { recursive: true });
    const ok = install([`${tmp}/secrets`]);
    expect([ok.status, ok.stderr]).toEqual([0, expect.stringMatching(/tls\/ca.crt is missing/)]);
    fs.writeFileSync(`${tmp}/tls/redis.key`, 'not a key', { mode: 0o644 });
    fs.chmodSync(`${tmp}/tls/redis.key`, 0o644);
    const r = install([`${tmp}/secrets`]);
    expect([r.status, r.stderr]).toEqual([
      2,
      expect.stringMatching(/redis.key is readable by every account: chmod 600/),
    ]);
    fs.rmSync(`${tmp}/tls/redis.key`);
  });

  test('checks redis-server --version against what the configs need (7.0 here; 6.2 configs for engineVersion 6.2)', () => {
    const bin = `${tmp}/fakebin`;
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(
      `${bin}/redis-server`,
      '#!/bin/sh\necho "Redis server v=6.0.16 sha=00000000:0 malloc=jemalloc-5.2.1 bits=64 build=1"\n',
      {
        mode: 0o755,
      },
    );
    const r = install([`${tmp}/secrets`], { PATH: `${bin}:${process.env.PATH}` });
    expect([r.status, r.stderr]).toEqual([
      2,
      expect.stringMatching(
        /redis-server 6.0 is older than 7.0, which these configs need \(engineVersion 7\.\d\)/,
      ),
    ]);
    // A spec for Redis 6.2 renders configs a 6.2 server reads (no appenddirname), and 6.2 is enough for them.
    fs.writeFileSync(`${bin}/redis-server`, '#!/bin/sh\necho "Redis server v=6.2.14 sha=00000000:0"\n', {
      mode: 0o755,
    });
    const six = deployment(PROD.replace(/engineVersion: .*/, 'engineVersion: "6.2"'), {
      mode: 'replication',
      replicasPerShard: 1,
    });
    renderSelfHosted(six, `${tmp}/dist6`, {
      confDir: `${tmp}/conf6`,
      dataDir: `${tmp}/data6`,
      tlsDir: `${tmp}/tls`,
    });
    const r6 = spawnSync('bash', [`${tmp}/dist6/install.sh`, ...who(), `${tmp}/secrets6`], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    });
    expect([r6.status, r6.stderr]).toEqual([0, expect.any(String)]);
    expect(fs.readFileSync(`${tmp}/conf6/nodes/redis-6380.conf`, 'utf8')).not.toMatch(/appenddirname/);
  });

  test('refuses to install a template with an unknown placeholder', () => {
    const template = fs.readFileSync(`${tmp}/dist/secrets.conf.template`, 'utf8');
    fs.appendFileSync(`${tmp}/dist/secrets.conf.template`, 'masterauth {{PASSWORD:nobody}}\n');
    const before = fs.readFileSync(`${tmp}/conf/secrets.conf`, 'utf8');
    const r = install([`${tmp}/secrets`]);
    expect([r.status, r.stderr]).toEqual([3, expect.stringMatching(/unfilled placeholder/)]);
    expect(fs.readFileSync(`${tmp}/conf/secrets.conf`, 'utf8')).toBe(before);
    fs.writeFileSync(`${tmp}/dist/secrets.conf.template`, template);
  });
});

describe('every example spec renders through the planner', () => {
  const specs = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'));
  test.each(specs)('%s', (name) => {
    const d = loadDeployment(path.join(EXAMPLES, name));
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-iac-render-'));
    try {
      const files = renderSelfHosted(d, tmp);
      // One redis.conf per data node in every mode: shards x (primary + replicas); Sentinels have their own templates.
      const count = d.plan.topology.shards * (1 + d.plan.topology.replicasPerShard);
      const confs = files.filter((f) => /redis-\d+\.conf$/.test(f));
      expect(count).toBeGreaterThanOrEqual(1);
      expect(confs).toHaveLength(count);
      for (const c of confs) {
        const text = fs.readFileSync(c, 'utf8');
        expect(text).toContain(`maxmemory ${d.plan.memory.maxmemoryBytesPerShard}`);
        expect(text).toContain(`maxclients ${d.plan.connections.maxclients}`);
      }
      // Placeholders only; no generated-looking secret (a long random token) anywhere.
      for (const f of files) expect(fs.readFileSync(f, 'utf8')).not.toMatch(/[A-Za-z0-9+/]{40,}/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('snapshot of the default production node config (fixed plan)', () => {
  test('redis-6380.conf', () => {
    expect(file(deployment(PROD), 'redis-6380.conf')).toMatchSnapshot();
  });
});

describe('README host sizing', () => {
  test("per node: the plan's memory need per shard and its disk rule; in all: times the nodes on the host", () => {
    const d = loadDeployment(path.join(EXAMPLES, 'default.yaml'));
    const readme = file(d, 'README.md');
    const perNode = d.plan.memory.neededBytes / d.plan.topology.shards / 1e9;
    const nodes = buildSelfHosted(d).layout.nodes.length;
    expect(perNode * 1e9).toBeGreaterThan(d.plan.memory.maxmemoryBytesPerShard);
    expect(readme).toContain(`each node needs ${perNode.toFixed(2)} GB of RAM`);
    expect(readme).toContain(`${d.plan.kubernetes.storageGi} GiB of disk`);
    expect(readme).toContain(
      `need ${(perNode * nodes).toFixed(2)} GB and ${d.plan.kubernetes.storageGi * nodes} GiB there`,
    );
  });
});

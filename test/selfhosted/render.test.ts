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
    expect(env).toMatch(/^REDIS_PASSWORD_FROM=file:\/etc\/redis-iac\/app-cache\/secrets\/app.password$/m);
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
    const v60 = deployment(PROD.replace('engineVersion: "7.1"', 'engineVersion: "6.0"'));
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
    // The admin password reaches redis-cli through the environment, never its command line.
    expect(backup).toMatch(/^export REDISCLI_AUTH="\$\(tr -d .* < "\$SECRETS_DIR\/admin.password"\)"$/m);
    expect(backup).not.toMatch(/-a |--pass/);
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
      // PATH without redis-server: the script stops right after its checks.
      const r = spawnSync(
        'bash',
        ['-c', `ulimit -n ${low}; PATH=/nonexistent; exec /bin/bash ${tmp}/start.sh`],
        {
          encoding: 'utf8',
        },
      );
      expect(r.stderr).toContain(`warning: open-file limit ${low} < maxclients ${low} + 32`);
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
        renderSelfHosted(deployment(PROD), `${tmp}/dist`, { dataDir: `${tmp}/data`, ports: [6391] });
        fs.mkdirSync(`${tmp}/data/6391`, { recursive: true, mode: 0o755 });
        fs.chmodSync(`${tmp}/data`, 0o755);
        fs.chmodSync(`${tmp}/data/6391`, 0o755);
        fs.writeFileSync(`${tmp}/data/6391/redis.pid`, `${proc.pid}\n`, { mode: 0o644 });
        const r = spawnSync('runuser', ['-u', 'nobody', '--', 'bash', `${tmp}/dist/stop.sh`], {
          encoding: 'utf8',
          timeout: 20_000,
        });
        expect([r.status, r.stderr]).toEqual([1, expect.stringMatching(/cannot signal pid \d+/)]);
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
      renderSelfHosted(deployment(PROD), `${tmp}/dist`, { dataDir: `${tmp}/data`, ports: [6390] });
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

  test('one template per process kind; ExecStart, LimitNOFILE and writable paths follow the layout', () => {
    const d = deployment(PROD, { mode: 'replication', replicasPerShard: 1 }, 70_000);
    const node = file(d, 'redis-iac-app-cache@.service');
    expect(node).toMatch(
      /^ExecStart=\/usr\/bin\/redis-server \/etc\/redis-iac\/app-cache\/redis-%i.conf --daemonize no$/m,
    );
    // maxclients 70000 needs 70032 descriptors; the floor is 65536.
    expect(node).toMatch(/^LimitNOFILE=70032$/m);
    expect(node).toMatch(/^ReadWritePaths=\/etc\/redis-iac\/app-cache \/var\/lib\/redis-iac\/app-cache$/m);
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
  // In hooks, not the describe body: a filtered run (-t) skips afterAll of an all-skipped block.
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-iac-install-'));
    const d = deployment(PROD, { mode: 'replication', replicasPerShard: 1 });
    renderSelfHosted(d, `${tmp}/dist`, {
      confDir: `${tmp}/conf`,
      dataDir: `${tmp}/data`,
      tlsDir: `${tmp}/tls`,
    });
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('generates missing secrets, writes hashes to users.acl, fills every placeholder, mode 600', () => {
    execFileSync('bash', [`${tmp}/dist/install.sh`, `${tmp}/secrets`], { stdio: 'pipe' });
    const app = fs.readFileSync(`${tmp}/secrets/app.password`, 'utf8').trim();
    expect(app).toMatch(/^[A-Za-z0-9]{64}$/);
    const acl = fs.readFileSync(`${tmp}/conf/users.acl`, 'utf8');
    expect(acl).not.toContain(app);
    expect(acl).not.toContain('{{');
    const sentinel = fs.readFileSync(`${tmp}/conf/sentinel-26379.conf`, 'utf8');
    expect(sentinel).toContain(fs.readFileSync(`${tmp}/secrets/sentinel.password`, 'utf8').trim());
    expect(fs.statSync(`${tmp}/conf/secrets.conf`).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(`${tmp}/conf/secrets.conf`, 'utf8')).toMatch(
      /^rename-command CONFIG CONFIG-[A-Za-z0-9]{24}$/m,
    );
  });

  test('refuses a password shorter than security.authTokenLength', () => {
    fs.mkdirSync(`${tmp}/short`, { recursive: true });
    fs.writeFileSync(`${tmp}/short/app.password`, 'tooshort\n');
    const r = spawnSync('bash', [`${tmp}/dist/install.sh`, `${tmp}/short`], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/app.password: shorter than 64 characters/);
  });

  test('refuses a password with a space', () => {
    fs.mkdirSync(`${tmp}/space`, { recursive: true });
    fs.writeFileSync(`${tmp}/space/app.password`, `${'a'.repeat(40)} ${'b'.repeat(40)}`);
    const r = spawnSync('bash', [`${tmp}/dist/install.sh`, `${tmp}/space`], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/no spaces/);
  });

  test('re-install keeps the replication role a Sentinel failover wrote; REDIS_IAC_FORCE=1 resets it', () => {
    execFileSync('bash', [`${tmp}/dist/install.sh`, `${tmp}/secrets`], { stdio: 'pipe' });
    const conf = (p: number) => fs.readFileSync(`${tmp}/conf/redis-${p}.conf`, 'utf8');
    // What Sentinel's CONFIG REWRITE leaves after promoting 6381.
    fs.writeFileSync(`${tmp}/conf/redis-6380.conf`, conf(6380) + 'replicaof 127.0.0.1 6381\n');
    fs.writeFileSync(`${tmp}/conf/redis-6381.conf`, conf(6381).replace(/^replicaof .*\n/m, ''));
    execFileSync('bash', [`${tmp}/dist/install.sh`, `${tmp}/secrets`], { stdio: 'pipe' });
    expect(conf(6380).match(/^replicaof .*$/gm)).toEqual(['replicaof 127.0.0.1 6381']);
    expect(conf(6381)).not.toMatch(/^replicaof /m);
    expect(conf(6381)).toMatch(/^maxclients /m);
    expect(fs.statSync(`${tmp}/conf/redis-6380.conf`).mode & 0o777).toBe(0o600);
    execFileSync('bash', [`${tmp}/dist/install.sh`, `${tmp}/secrets`], {
      stdio: 'pipe',
      env: { ...process.env, REDIS_IAC_FORCE: '1' },
    });
    expect(conf(6380)).not.toMatch(/^replicaof /m);
    expect(conf(6381).match(/^replicaof .*$/gm)).toEqual(['replicaof 127.0.0.1 6380']);
  });

  const asRoot = testWith(ROOT);
  asRoot('as root, gives the config dir, the configs and the data dirs to REDIS_IAC_USER', () => {
    const nobody = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim());
    // The secrets dir inside the config dir, as docs/self-hosted.md suggests.
    const r = spawnSync('bash', [`${tmp}/dist/install.sh`, `${tmp}/conf/secrets`], {
      encoding: 'utf8',
      env: { ...process.env, REDIS_IAC_USER: 'nobody' },
    });
    expect([r.status, r.stderr]).toEqual([0, expect.not.stringMatching(/no such user|as root/)]);
    for (const p of [
      'conf',
      'conf/redis-6380.conf',
      'conf/secrets.conf',
      'conf/users.acl',
      'data/6380',
      'data/6381',
    ])
      expect([p, fs.statSync(`${tmp}/${p}`).uid]).toEqual([p, nobody]);
    // Sentinel rewrites its config in place: its file and directory must belong to the same account.
    expect(fs.statSync(`${tmp}/conf/sentinel-26379.conf`).uid).toBe(nobody);
    expect(fs.statSync(`${tmp}/data/sentinel-26379`).uid).toBe(nobody);
    expect(fs.statSync(`${tmp}/conf`).mode & 0o777).toBe(0o700);
    // The operator's secret files stay with the operator.
    expect(fs.statSync(`${tmp}/conf/secrets`).uid).toBe(0);
    expect(fs.statSync(`${tmp}/conf/secrets/app.password`).uid).toBe(0);
  });

  asRoot(
    'as root, missing parent directories are created traversable, so REDIS_IAC_USER reaches its files',
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
        const r = spawnSync('bash', [`${nested}/dist/install.sh`, `${nested}/secrets`], {
          encoding: 'utf8',
          env: { ...process.env, REDIS_IAC_USER: 'nobody' },
        });
        expect([r.status, r.stderr]).toEqual([0, expect.not.stringMatching(/cannot reach/)]);
        for (const p of ['etc/redis-iac', 'var/lib/redis-iac'])
          expect([p, fs.statSync(`${nested}/${p}`).mode & 0o777]).toEqual([p, 0o755]);
        const asNobody = (...args: string[]) => spawnSync('runuser', ['-u', 'nobody', '--', ...args]).status;
        expect(asNobody('test', '-r', `${nested}/etc/redis-iac/app/redis-6380.conf`)).toBe(0);
        expect(asNobody('test', '-w', `${nested}/var/lib/redis-iac/app/6380`)).toBe(0);
        // An existing parent that shuts the account out is reported, not silently accepted.
        fs.chmodSync(`${nested}/var/lib/redis-iac`, 0o700);
        const again = spawnSync('bash', [`${nested}/dist/install.sh`, `${nested}/secrets`], {
          encoding: 'utf8',
          env: { ...process.env, REDIS_IAC_USER: 'nobody' },
        });
        expect(again.stderr).toMatch(/nobody cannot reach .*var\/lib\/redis-iac\/app/);
      } finally {
        fs.rmSync(nested, { recursive: true, force: true });
      }
    },
  );

  test('refuses an unknown REDIS_IAC_USER', () => {
    const r = spawnSync('bash', [`${tmp}/dist/install.sh`, `${tmp}/secrets`], {
      encoding: 'utf8',
      env: { ...process.env, REDIS_IAC_USER: 'no-such-user-x' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/REDIS_IAC_USER=no-such-user-x: no such user/);
  });

  test('warns about missing certificates and a key other users can read', () => {
    fs.mkdirSync(`${tmp}/tls`, { recursive: true });
    fs.writeFileSync(`${tmp}/tls/redis.key`, 'not a key', { mode: 0o644 });
    fs.chmodSync(`${tmp}/tls/redis.key`, 0o644);
    const r = spawnSync('bash', [`${tmp}/dist/install.sh`, `${tmp}/secrets`], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/tls\/ca.crt is missing/);
    expect(r.stderr).toMatch(/redis.key is readable by other users/);
  });

  test('refuses to install a template with an unknown placeholder', () => {
    fs.appendFileSync(`${tmp}/dist/secrets.conf.template`, 'masterauth {{PASSWORD:nobody}}\n');
    const r = spawnSync('bash', [`${tmp}/dist/install.sh`, `${tmp}/secrets`], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/unfilled placeholder/);
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

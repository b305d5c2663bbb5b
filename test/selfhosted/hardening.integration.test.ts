/**
 * Issues #12 and #18 on real redis-servers, in temp trees:
 *
 * - an unprivileged install (an ordinary account installing into its own dirs, Redis running as it)
 *   and a root install of another deployment share the host, each answering only its own passwords;
 * - the applications' group reads exactly the two files the contract names (CA, app password);
 * - start.sh returns only with every replica linked and synced, and fails with one line when a
 *   replica cannot sync;
 * - the attacks of the review, made as the Redis account (setpriv) on a root install, then
 *   install.sh / restore.sh / stop.sh re-run as root: no root-owned file outside the deployment
 *   changes owner, mode or content, and no secret reaches a daemon's environment.
 *
 * Needs root (it acts as several accounts); run as another user the suite is skipped with a warning.
 */
import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { renderSelfHosted } from '../../lib/selfhosted/render';
import {
  appGroupId,
  asRedisAccount,
  deploymentWith,
  Env,
  freePorts,
  makeTls,
  redisAccount,
  standaloneDeployment,
} from './harness';
import { alive } from '../support/local';
import { describeWith, redisServer, ROOT } from '../support/tools';

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;
// It acts as several accounts: root first (ROOT_TESTS=skip skips it, warned), then redis-server.
const suite = describeWith(isRoot ? redisServer() : ROOT);

const NOBODY = { uid: 65534, gid: 65534 };
/** setpriv as nobody:nogroup, the applications' account in these tests. */
const asNobody = [`--reuid=${NOBODY.uid}`, `--regid=${NOBODY.gid}`, '--clear-groups', '--'];
const canRead = (file: string, who: string[]) =>
  spawnSync('setpriv', [...who, 'cat', '--', file], { encoding: 'utf8' });

suite('unprivileged install next to a root install; the applications group; readiness', () => {
  const top = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-iac-hardening-'));
  const userDir = path.join(top, 'nobody'); // the unprivileged installer's own dir
  const dist = path.join(top, 'dist-user');
  const rootEnv = new Env(standaloneDeployment(), 'hardening-root');
  let userPorts: number[] = [];
  const userPids: number[] = [];
  const asUser = (script: string, ...args: string[]) =>
    run('setpriv', [...asNobody, 'bash', path.join(dist, script), '--conf-dir', `${userDir}/conf`, ...args], {
      timeout: 60_000,
    });

  beforeAll(async () => {
    fs.chmodSync(top, 0o755);
    fs.mkdirSync(userDir, { mode: 0o700 });
    makeTls(path.join(userDir, 'tls'));
    execFileSync('chown', ['-R', `${NOBODY.uid}:${NOBODY.gid}`, userDir]);
    userPorts = await freePorts(5);
    renderSelfHosted(
      deploymentWith({ mode: 'replication', shards: 1, replicasPerShard: 1, reason: 'test' }),
      dist,
      { ports: userPorts.slice(0, 2), sentinelPorts: userPorts.slice(2), sentinelDownAfterMs: 1500 },
    );
    // The spec's dirs are /etc/redis-iac/app-cache and /var/lib/...: the flags move everything.
    await asUser(
      'install.sh',
      '--data-dir',
      `${userDir}/data`,
      '--tls-dir',
      `${userDir}/tls`,
      '--secrets-dir',
      `${userDir}/secrets`,
    );
    const [rootPort] = await freePorts(1);
    await rootEnv.install({ ports: [rootPort] });
    await rootEnv.start();
  });
  afterAll(async () => {
    await asUser('stop.sh').catch(() => undefined);
    for (const pid of userPids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await rootEnv.stop();
    fs.rmSync(top, { recursive: true, force: true });
  });

  const userPassword = (role: string) =>
    fs.readFileSync(`${userDir}/secrets/${role}.password`, 'utf8').trim();
  const info = async (port: number, section: string) => {
    const c = new Redis({
      host: '127.0.0.1',
      port,
      tls: { ca: fs.readFileSync(`${userDir}/tls/ca.crt`) },
      username: 'app-metrics',
      password: userPassword('metrics'),
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableReadyCheck: false,
    });
    await c.connect();
    try {
      return Object.fromEntries(
        (await c.info(section))
          .split('\r\n')
          .filter((l) => l.includes(':'))
          .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]),
      );
    } finally {
      c.disconnect();
    }
  };

  test('an unprivileged account installs into its own dirs; start.sh returns with the replica in sync', async () => {
    const out = await asUser('start.sh');
    expect(out.stdout).toMatch(/replicas in sync/);
    for (const f of fs.readdirSync(`${userDir}/data`)) {
      const pidFile = path.join(userDir, 'data', f, f.startsWith('sentinel') ? 'sentinel.pid' : 'redis.pid');
      userPids.push(Number(fs.readFileSync(pidFile, 'utf8')));
    }
    // Every process runs as the installing account, never as root.
    for (const pid of userPids) expect([pid, fs.statSync(`/proc/${pid}`).uid]).toEqual([pid, NOBODY.uid]);
    // No waiting here: start.sh already waited for the replica and the Sentinels.
    const [primary, replica] = userPorts;
    const r = await info(replica, 'replication');
    expect([r.master_link_status, r.master_sync_in_progress]).toEqual(['up', '0']);
    const p = await info(primary, 'replication');
    expect(p.connected_slaves).toBe('1');
    expect(p.slave0).toMatch(/state=online/);
    console.log(
      `[layout] unprivileged (uid ${NOBODY.uid}) replica ${replica} in sync when start.sh returned`,
    );
  });

  test('two deployments share the host: each answers its own passwords only', async () => {
    const rootPort = rootEnv.layout.nodes[0].port;
    const own = await rootEnv.connected(rootPort, 'app');
    expect(await own.ping()).toBe('PONG');
    // The other deployment's app password (same user name: same spec) is refused here.
    const anon = await rootEnv.connected(rootPort);
    await expect(anon.call('AUTH', 'app-app', userPassword('app'))).rejects.toThrow(/WRONGPASS/);
    // Distinct trees: nothing of one lies in the other's.
    expect(rootEnv.layout.confDir.startsWith(userDir)).toBe(false);
  });

  test('the applications group reads the CA and the app password, and no other secret', () => {
    const { confDir, clientDir, nodeConfDir, secretsDir, dataDir } = rootEnv.layout;
    expect(fs.statSync(clientDir).gid).toBe(appGroupId());
    const contract = fs.readFileSync(path.join(clientDir, 'contract.env'), 'utf8');
    const from = (k: string) => new RegExp(`^${k}=file:(.*)$`, 'm').exec(contract)![1];
    const password = canRead(from('REDIS_PASSWORD_FROM'), asNobody);
    expect([password.status, password.stdout.trim()]).toEqual([0, rootEnv.passwords.app]);
    const ca = canRead(from('REDIS_TLS_CA_FROM'), asNobody);
    expect([ca.status, ca.stdout]).toEqual([0, rootEnv.tls.ca.toString()]);
    for (const f of [
      path.join(confDir, 'secrets.conf'),
      path.join(confDir, 'users.acl'),
      path.join(nodeConfDir, `redis-${rootEnv.layout.nodes[0].port}.conf`),
      path.join(secretsDir, 'admin.password'),
      path.join(secretsDir, 'app.password'),
      path.join(dataDir, String(rootEnv.layout.nodes[0].port), 'redis.log'),
      path.join(rootEnv.tls.dir, 'redis.key'),
    ])
      expect([f, canRead(f, asNobody).status]).toEqual([f, 1]);
    // The Redis account reads its configs but not the applications' files or the operator's secrets.
    const asRedis = [...asRedisAccount(), '--'];
    expect(canRead(path.join(confDir, 'secrets.conf'), asRedis).status).toBe(0);
    for (const f of [path.join(clientDir, 'app.password'), path.join(secretsDir, 'admin.password')])
      expect([f, canRead(f, asRedis).status]).toEqual([f, 1]);
  });

  test('a replica that cannot sync: start.sh fails with one line after --ready-timeout', async () => {
    await asUser('stop.sh');
    const [, replica] = userPorts;
    const [dead] = await freePorts(1);
    const conf = `${userDir}/conf/nodes/redis-${replica}.conf`;
    const good = fs.readFileSync(conf, 'utf8');
    fs.writeFileSync(conf, good.replace(/^replicaof .*$/m, `replicaof 127.0.0.1 ${dead}`));
    const r = await asUser('start.sh', '--ready-timeout', '3').then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect([r.code, r.stderr]).toEqual([
      1,
      expect.stringMatching(
        /start.sh: not ready to fail over after 3 s: (replica \d+: master_link_status is not up|primary \d+ has 0 of 1 replica\(s\)) \(logs: .*\n$/,
      ),
    ]);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('start.sh:'))).toHaveLength(1);
    await asUser('stop.sh');
    fs.writeFileSync(conf, good);
  });
});

/** sha256, owner, group and mode of every file under dir (the files an attack must not touch). */
function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const p = path.join(dir, f);
    const st = fs.lstatSync(p);
    const sum = st.isFile() ? crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex') : 'dir';
    out[f] = `${st.uid}:${st.gid}:${(st.mode & 0o7777).toString(8)}:${sum}`;
  }
  return out;
}

suite('attacks by the Redis account on a root install fail (review findings, #18)', () => {
  const env = new Env(standaloneDeployment(), 'attacks');
  const redis = redisAccount();
  let outside = '';
  let before: Record<string, string> = {};
  let port = 0;
  /** As the Redis account (what a compromised redis-server could do). */
  const asRedis = (...cmd: string[]) => execFileSync('setpriv', [...asRedisAccount(), '--', ...cmd]);
  const root = (script: string, ...args: string[]) =>
    spawnSync('bash', [path.join(env.distDir, script), ...args], { encoding: 'utf8', timeout: 60_000 });

  beforeAll(async () => {
    [port] = await freePorts(1);
    await env.install({ ports: [port] });
    await env.start();
    // Root-owned files outside the deployment: what the attacks aim at.
    outside = path.join(env.root, 'outside');
    fs.mkdirSync(path.join(outside, 'rootonly'), { recursive: true, mode: 0o700 });
    fs.chmodSync(outside, 0o755);
    fs.writeFileSync(path.join(outside, 'shadow'), 'root:$6$secret-hash:19000:0:99999:7:::\n', {
      mode: 0o600,
    });
    fs.writeFileSync(path.join(outside, 'public.conf'), 'replicaof 10.9.9.9 1\nbind 0.0.0.0\n', {
      mode: 0o644,
    });
    // A root-only "secrets dir" the Redis account would like install.sh to read instead of the real one.
    for (const role of ['app', 'metrics', 'admin', 'replication', 'sentinel', 'default'])
      fs.writeFileSync(
        path.join(outside, 'rootonly', `${role}.password`),
        `ROOTONLY${role}`.padEnd(64, 'X'),
        {
          mode: 0o600,
        },
      );
    fs.writeFileSync(path.join(outside, 'rootonly', 'config-command'), 'ROOTONLYCONFIG', { mode: 0o600 });
    before = fingerprint(outside);
  });
  afterAll(() => env.stop());

  const unchanged = () => expect(fingerprint(outside)).toEqual(before);

  test('the Redis account cannot write the conf dir, the secrets, or the root-owned configs', () => {
    const { confDir, secretsDir } = env.layout;
    for (const target of [
      path.join(confDir, 'planted'),
      path.join(confDir, 'secrets.conf'),
      path.join(confDir, 'users.acl'),
      path.join(confDir, 'install.env'),
      path.join(secretsDir, 'x'),
      path.join(env.layout.dataDir, 'planted'),
    ])
      expect(() => asRedis('sh', '-c', `: > "$1"`, 'sh', target)).toThrow();
    expect(() => asRedis('mv', path.join(confDir, 'nodes'), path.join(confDir, 'nodes.old'))).toThrow();
  });

  test('symlinks planted in every folder the Redis account owns: re-running install.sh as root follows none', () => {
    const { nodeConfDir, dataDir } = env.layout;
    const shadow = path.join(outside, 'shadow');
    const pub = path.join(outside, 'public.conf');
    // nodes/: its own config (chown/read target), temp names, and a Sentinel-style config name.
    const conf = path.join(nodeConfDir, `redis-${port}.conf`);
    asRedis('mv', conf, `${conf}.orig`);
    asRedis('ln', '-s', shadow, conf);
    for (const name of ['users.acl.tmp', `redis-${port}.conf.tmp`, 'secrets.conf.tmp', 'sentinel-26379.conf'])
      asRedis('ln', '-sf', pub, path.join(nodeConfDir, name));
    // The node's data dir: every file name root might touch.
    for (const name of ['dump.rdb.restore', 'appendonlydir.tmp', 'redis.pid.tmp', 'nodes.conf'])
      asRedis('ln', '-sf', shadow, path.join(dataDir, String(port), name));
    const r = root('install.sh', env.secretsDir);
    expect([r.status, r.stderr]).toEqual([0, expect.any(String)]);
    unchanged();
    // The planted link was replaced by a regular file (a rename), not written through.
    expect(fs.lstatSync(conf).isSymbolicLink()).toBe(false);
    expect(fs.readFileSync(conf, 'utf8')).toMatch(/^tls-port /m);
    expect(fs.statSync(conf).uid).toBe(redis.uid);
  });

  test('an old install that gave the conf dir to Redis: its planted links and swapped secrets dir are refused', () => {
    const { confDir } = env.layout;
    // What the previous version left: the conf dir owned by the Redis account, with the secrets dir
    // inside it (as the docs suggested). The account swaps the secrets dir for a link to root-only files
    // and plants links at every name root writes there.
    const secretsInConf = path.join(confDir, 'secrets');
    fs.cpSync(env.secretsDir, secretsInConf, { recursive: true });
    execFileSync('chown', ['-h', `${redis.uid}:${redis.gid}`, confDir]);
    asRedis('mv', secretsInConf, path.join(confDir, 'secrets.real'));
    asRedis('ln', '-s', path.join(outside, 'rootonly'), secretsInConf);
    for (const name of ['secrets.conf', 'users.acl', 'install.env', 'users.acl.tmp', 'secrets.conf.tmp']) {
      asRedis('rm', '-f', path.join(confDir, name));
      asRedis('ln', '-s', path.join(outside, 'shadow'), path.join(confDir, name));
    }
    // (install.env is one of the planted links: the app group is passed again.)
    const group = ['--app-group', String(appGroupId())];
    const r = root('install.sh', ...group, '--secrets-dir', secretsInConf);
    expect([r.status, r.stderr]).toEqual([
      2,
      expect.stringMatching(/--secrets-dir: .*secrets is a symlink or not a directory\n$/),
    ]);
    unchanged();
    // install.sh took the conf dir back before refusing: the account can no longer plant anything.
    expect(fs.statSync(confDir).uid).toBe(0);
    expect(() => asRedis('ln', '-s', '/', path.join(confDir, 'again'))).toThrow();
    // Its links are gone; a normal re-install works and reads no root-only file.
    fs.rmSync(secretsInConf);
    const ok = root('install.sh', ...group, env.secretsDir);
    expect([ok.status, ok.stderr]).toEqual([0, expect.any(String)]);
    expect(fs.readFileSync(path.join(confDir, 'secrets.conf'), 'utf8')).not.toMatch(/ROOTONLY/);
    expect(fs.lstatSync(path.join(confDir, 'users.acl')).isSymbolicLink()).toBe(false);
    unchanged();
  });

  test('stop.sh as root leaves alone a root process whose pid the Redis account wrote into its pidfile', async () => {
    const fake = path.join(env.root, 'redis-fake');
    fs.copyFileSync('/bin/sleep', fake);
    fs.chmodSync(fake, 0o755);
    const proc = spawn(fake, ['30'], { stdio: 'ignore' });
    const pidFile = path.join(env.layout.dataDir, String(port), 'redis.pid');
    const real = fs.readFileSync(pidFile, 'utf8');
    try {
      asRedis('sh', '-c', `echo ${proc.pid} > "$1"`, 'sh', pidFile);
      const r = root('stop.sh');
      expect(r.stderr).toMatch(new RegExp(`pid ${proc.pid} .* does not belong to ${redis.user}: left alone`));
      expect(alive(proc.pid!)).toBe(true);
    } finally {
      proc.kill('SIGKILL');
      asRedis('sh', '-c', `printf %s "$2" > "$1"`, 'sh', pidFile, real);
    }
  });

  test('backup, then restore.sh as root: links in the data dir followed nowhere; daemons get no secret in their environment', async () => {
    const backups = path.join(env.root, 'backups');
    const out = root('backup.sh', env.secretsDir, backups);
    expect([out.status, out.stderr]).toEqual([0, expect.any(String)]);
    const stamp = /backup of 1 primary\(ies\) in (\S+)/.exec(out.stdout)![1];
    // The account plants links where restore.sh moves and writes files.
    const node = path.join(env.layout.dataDir, String(port));
    asRedis('ln', '-sfn', outside, path.join(node, 'appendonlydir.link'));
    asRedis('ln', '-sf', path.join(outside, 'shadow'), path.join(node, 'dump.rdb.restore'));
    // A wrapper first in PATH records the environment each redis-server gets.
    const bin = path.join(env.root, 'wrap');
    const envLog = path.join(env.root, 'daemon-env');
    fs.mkdirSync(bin, { mode: 0o755 });
    fs.writeFileSync(envLog, '', { mode: 0o666 });
    fs.chmodSync(envLog, 0o666);
    fs.writeFileSync(
      path.join(bin, 'redis-server'),
      // (install.sh's `redis-server --version` check is not a daemon.)
      `#!/bin/sh\n[ "$1" = --version ] || { echo ---; env; } >> ${envLog}\nexec /usr/bin/redis-server "$@"\n`,
      { mode: 0o755 },
    );
    const r = spawnSync('bash', [path.join(env.distDir, 'restore.sh'), env.secretsDir, stamp], {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, REDISCLI_AUTH: 'inherited-from-the-caller' },
    });
    env.recordPids();
    expect([r.status, r.stderr]).toEqual([0, expect.any(String)]);
    unchanged();
    const seen = fs.readFileSync(envLog, 'utf8');
    expect(seen).toMatch(/---/);
    for (const secret of [...Object.values(env.passwords), 'inherited-from-the-caller'])
      expect(seen).not.toContain(secret);
    expect(seen).not.toMatch(/REDISCLI_AUTH/);
    // A clean environment: PATH and LANG (plus what sh adds itself).
    const names = new Set(
      seen
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => l.split('=')[0]),
    );
    expect([...names].sort()).toEqual(expect.arrayContaining(['LANG', 'PATH']));
    for (const n of names) expect(['LANG', 'PATH', 'PWD', 'SHLVL', '_', 'OLDPWD']).toContain(n);
    const app = await env.connected(port, 'app');
    expect(await app.ping()).toBe('PONG');
  });
});

/**
 * The role model on real redis-server 7: every role's ACL user, rendered by lib/redisconf from
 * lib/policy/roles.ts, can do its job and cannot do what its role forbids. The real job scripts
 * run as their own users (the Kubernetes backup.sh and TLS-reload script), replication runs as the
 * replication user, and the ACL line is the one the renderers write.
 *
 * Permission checks run the command itself where that is harmless; SHUTDOWN, MONITOR and
 * SYNC/PSYNC of the roles allowed to stream are asked with `ACL DRYRUN` (Redis' own check, without
 * running them). Skipped only with REDIS_TESTS=skip; a missing redis-server fails the suite.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BACKUP_SCRIPT } from '../../lib/k8s/backup';
import { TLS_RELOAD_SCRIPT } from '../../lib/k8s/tls';
import { ROLE_NAMES, roleModel, type RoleName } from '../../lib/policy/roles';
import { aclFileLine, aclUserOf, DEFAULT_USER_OFF } from '../../lib/redisconf';
import { freePorts, makeTls, redisAvailable, type Tls } from '../selfhosted/harness';
import { examplePolicy } from '../redisconf/fixtures';
import {
  type Auth,
  rcli,
  type Server,
  sha256,
  startServer,
  stopServer,
  testPassword,
} from '../support/acl-redis';
import { sleep } from '../support/local';

const available = redisAvailable();
if (!available) console.warn('\n*** SKIPPED (REDIS_TESTS=skip): role model tests on real redis-server.\n');
const suite = available ? describe : describe.skip;

const NOPERM = /NOPERM/;

suite('each role of the role model on real redis-server', () => {
  const policy = examplePolicy('default');
  const roles = roleModel(policy, { engine: 'redis', version: '7.0.15' });
  const pw = Object.fromEntries(ROLE_NAMES.map((r) => [r, testPassword()])) as Record<RoleName, string>;
  const as = (r: RoleName, tlsCa?: string): Auth => ({ user: roles[r].user, pass: pw[r], tlsCa });
  let root: string;
  let aclFile: string;
  let tls: Tls;
  const servers: Server[] = [];
  let primary: Server;
  let replica: Server;
  let tlsNode: Server;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'roles-'));
    aclFile = path.join(root, 'users.acl');
    // The ACL file as the renderers write it: default off, one line per role, passwords as SHA-256.
    fs.writeFileSync(
      aclFile,
      [
        aclFileLine(DEFAULT_USER_OFF),
        ...ROLE_NAMES.map((r) => aclFileLine(aclUserOf(roles[r]), `#${sha256(pw[r])}`)),
      ].join('\n') + '\n',
    );
    tls = makeTls(path.join(root, 'tls'));
    const [p1, p2, p3] = await freePorts(3);
    const common = ['--aclfile', aclFile, '--repl-diskless-sync-delay', '0'];
    primary = await startServer(path.join(root, 'primary'), p1, [...common, '--enable-debug-command', 'yes']);
    servers.push(primary);
    replica = await startServer(path.join(root, 'replica'), p2, [
      ...common,
      '--replicaof',
      '127.0.0.1',
      String(p1),
      '--masteruser',
      roles.replication.user,
      '--masterauth',
      pw.replication,
    ]);
    servers.push(replica);
    tlsNode = await startServer(
      path.join(root, 'tls-node'),
      p3,
      [
        '--aclfile',
        aclFile,
        '--tls-cert-file',
        path.join(tls.dir, 'redis.crt'),
        '--tls-key-file',
        path.join(tls.dir, 'redis.key'),
        '--tls-ca-cert-file',
        path.join(tls.dir, 'ca.crt'),
        '--tls-auth-clients',
        'optional',
      ],
      path.join(tls.dir, 'ca.crt'),
    );
    servers.push(tlsNode);
    expect(rcli(primary.port, ['SET', 'app:seed', 'v'], as('app'))).toBe('OK');
    for (let i = 0; i < 100; i++) {
      if (rcli(replica.port, ['INFO', 'replication'], as('admin')).includes('master_link_status:up')) break;
      await sleep(100);
    }
  });
  afterAll(async () => {
    for (const s of servers) await stopServer(s);
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  const dryrun = (r: RoleName, ...cmd: string[]) =>
    rcli(primary.port, ['ACL', 'DRYRUN', roles[r].user, ...cmd], as('admin'));

  test('the default user is off: a client must name its user', () => {
    expect(rcli(primary.port, ['PING'])).toMatch(/NOAUTH/);
    expect(rcli(primary.port, ['PING'], { pass: pw.admin })).toMatch(/WRONGPASS|invalid/i);
  });

  test('app: data, pub/sub, transactions and scripts under its prefix; INFO and ROLE; NOPERM outside', () => {
    const app = as('app');
    expect(rcli(primary.port, ['SET', 'app:k', '1'], app)).toBe('OK');
    expect(rcli(primary.port, ['GET', 'app:k'], app)).toBe('1');
    expect(rcli(primary.port, ['SET', 'other:k', '1'], app)).toMatch(NOPERM);
    expect(rcli(primary.port, ['GET', 'app-other:k'], app)).toMatch(NOPERM);
    expect(rcli(primary.port, ['PUBLISH', 'app:events', 'x'], app)).toMatch(/^\d+$/);
    expect(rcli(primary.port, ['PUBLISH', 'other:events', 'x'], app)).toMatch(NOPERM);
    expect(rcli(primary.port, ['EVAL', "return redis.call('INCR', KEYS[1])", '1', 'app:n'], app)).toBe('1');
    expect(rcli(primary.port, ['EVAL', "return redis.call('INCR', KEYS[1])", '1', 'other:n'], app)).toMatch(
      NOPERM,
    );
    expect(rcli(primary.port, ['INFO', 'server'], app)).toContain('redis_version:');
    expect(rcli(primary.port, ['ROLE'], app)).toMatch(/^master/);
    expect(rcli(primary.port, ['CLIENT', 'SETNAME', 'svc'], app)).toBe('OK');
    expect(rcli(primary.port, ['SELECT', '0'], app)).toBe('OK');
    expect(rcli(primary.port, ['COMMAND', 'COUNT'], app)).toMatch(/^\d+$/);
  });

  test('app cannot run CONFIG, ACL, MODULE, DEBUG, SHUTDOWN, REPLICAOF/SLAVEOF, FLUSHALL, KEYS, MIGRATE, MONITOR, SYNC', () => {
    const app = as('app');
    for (const cmd of [
      ['CONFIG', 'GET', 'maxmemory'],
      ['CONFIG', 'SET', 'maxmemory', '1'],
      ['ACL', 'LIST'],
      ['ACL', 'SETUSER', 'x', 'on'],
      ['MODULE', 'LIST'],
      ['DEBUG', 'SLEEP', '0'],
      ['REPLICAOF', '127.0.0.1', '1'],
      ['SLAVEOF', 'NO', 'ONE'],
      ['FLUSHALL'],
      ['FLUSHDB'],
      ['KEYS', 'app:*'],
      ['MIGRATE', '127.0.0.1', '1', 'app:k', '0', '1000'],
    ])
      expect([cmd.join(' '), rcli(primary.port, cmd, app)]).toEqual([
        cmd.join(' '),
        expect.stringMatching(NOPERM),
      ]);
    for (const cmd of [['SHUTDOWN'], ['MONITOR'], ['SYNC'], ['PSYNC', '?', '-1']])
      expect(dryrun('app', ...cmd)).toMatch(/no permissions/);
    // The server is enabled for DEBUG: the ACL, not the server setting, refuses it.
    expect(rcli(primary.port, ['DEBUG', 'SLEEP', '0'], as('admin'))).toBe('OK');
  });

  test('metrics: INFO, LATENCY, SLOWLOG LEN, CLIENT SETNAME; never a config value, a key or the replication stream', () => {
    const m = as('metrics');
    expect(rcli(replica.port, ['INFO', 'all'], m)).toContain('master_link_status:up');
    expect(rcli(primary.port, ['LATENCY', 'LATEST'], m)).not.toMatch(/ERR|NOPERM/);
    expect(rcli(primary.port, ['LATENCY', 'HISTOGRAM', 'get'], m)).not.toMatch(/ERR|NOPERM/);
    expect(rcli(primary.port, ['SLOWLOG', 'LEN'], m)).toMatch(/^\d+$/);
    expect(rcli(primary.port, ['CLIENT', 'SETNAME', 'redis_exporter'], m)).toBe('OK');
    // The replica holds the replication password in masterauth: admin reads it, metrics may not.
    expect(rcli(replica.port, ['CONFIG', 'GET', 'masterauth'], as('admin'))).toContain(pw.replication);
    expect(rcli(replica.port, ['CONFIG', 'GET', 'masterauth'], m)).toMatch(NOPERM);
    expect(rcli(primary.port, ['CONFIG', 'GET', '*'], m)).toMatch(NOPERM);
    expect(rcli(primary.port, ['SLOWLOG', 'GET', '1'], m)).toMatch(NOPERM);
    expect(rcli(primary.port, ['GET', 'app:seed'], m)).toMatch(NOPERM);
    expect(rcli(primary.port, ['SCAN', '0'], m)).toMatch(NOPERM);
    expect(rcli(primary.port, ['PSYNC', '?', '-1'], m, 5000)).toMatch(NOPERM);
    expect(rcli(primary.port, ['SYNC'], m, 5000)).toMatch(NOPERM);
    const rdb = path.join(root, 'metrics.rdb');
    expect(rcli(primary.port, ['--rdb', rdb], m, 5000)).toMatch(/NOPERM|failed|error/i);
    expect(fs.existsSync(rdb) && fs.statSync(rdb).size > 0).toBe(false);
  });

  test('backup: the Kubernetes backup.sh runs as the backup user, finds the primary by ROLE and snapshots it', () => {
    const dir = path.join(root, 'backups');
    const r = spawnSync('sh', ['-c', BACKUP_SCRIPT], {
      env: {
        PATH: process.env.PATH!,
        REDIS_PRIMARY_AMONG: `127.0.0.1:${replica.port} 127.0.0.1:${primary.port}`,
        REDIS_USER: roles.backup.user,
        REDISCLI_AUTH: pw.backup,
        BACKUP_DIR: dir,
        DEPLOYMENT: 'roles',
        RETENTION_DAYS: '1',
        BGSAVE_TIMEOUT: '30',
      },
      encoding: 'utf8',
    });
    expect([r.status, r.stderr]).toEqual([0, expect.stringContaining('1 snapshot(s)')]);
    expect(fs.readdirSync(path.join(dir, 'roles'))).toEqual([`127-${primary.port}`]);
    expect(r.stderr).not.toContain(pw.backup);
  });

  test('backup cannot write, read or delete a key, nor change the configuration', () => {
    const b = as('backup');
    for (const cmd of [
      ['SET', 'app:k', 'x'],
      ['GET', 'app:seed'],
      ['DEL', 'app:seed'],
      ['FLUSHALL'],
      ['CONFIG', 'SET', 'save', ''],
      ['CONFIG', 'GET', 'masterauth'],
    ])
      expect([cmd.join(' '), rcli(primary.port, cmd, b)]).toEqual([
        cmd.join(' '),
        expect.stringMatching(NOPERM),
      ]);
    expect(dryrun('backup', 'PSYNC', '?', '-1')).toMatch(/no permissions/);
    expect(rcli(primary.port, ['LASTSAVE'], b)).toMatch(/^\d+$/);
  });

  test('tlsReload: the TLS-reload script reloads the certificate as its user; the app user cannot', () => {
    const ca = path.join(tls.dir, 'ca.crt');
    const run = (user: string, pass: string) =>
      spawnSync('sh', ['-c', TLS_RELOAD_SCRIPT], {
        env: {
          PATH: process.env.PATH!,
          REDIS_TARGETS: `127.0.0.1:${tlsNode.port}`,
          TLS_CA: ca,
          CERT_FILE: path.join(tls.dir, 'redis.crt'),
          KEY_FILE: path.join(tls.dir, 'redis.key'),
          CA_FILE: ca,
          REDIS_USER: user,
          REDISCLI_AUTH: pass,
        },
        encoding: 'utf8',
      });
    const ok = run(roles.tlsReload.user, pw.tlsReload);
    expect([ok.status, ok.stdout.trim()]).toEqual([
      0,
      `tls-reload: 127.0.0.1:${tlsNode.port} reloaded its certificate files`,
    ]);
    const denied = run(roles.app.user, pw.app);
    expect(denied.status).toBe(1);
    expect(denied.stderr).toMatch(NOPERM);
    const t = as('tlsReload', ca);
    expect(rcli(tlsNode.port, ['CONFIG', 'GET', 'tls-key-file'], t)).toMatch(NOPERM);
    expect(rcli(tlsNode.port, ['GET', 'app:seed'], t)).toMatch(NOPERM);
    expect(rcli(tlsNode.port, ['INFO'], t)).toMatch(NOPERM);
  });

  test('replication: the replica syncs as the replication user, which can do nothing else', () => {
    expect(rcli(replica.port, ['GET', 'app:seed'], as('app'))).toBe('v');
    const r = as('replication');
    expect(rcli(primary.port, ['GET', 'app:seed'], r)).toMatch(NOPERM);
    expect(rcli(primary.port, ['CONFIG', 'GET', 'maxmemory'], r)).toMatch(NOPERM);
    expect(rcli(primary.port, ['INFO'], r)).toMatch(NOPERM);
  });

  test('sentinel and admin: Sentinel gets its commands and no key; admin gets everything', () => {
    expect(rcli(primary.port, ['INFO', 'replication'], as('sentinel'))).toContain('role:master');
    expect(rcli(primary.port, ['GET', 'app:seed'], as('sentinel'))).toMatch(NOPERM);
    expect(rcli(primary.port, ['CONFIG', 'GET', 'maxmemory'], as('sentinel'))).toMatch(NOPERM);
    expect(rcli(primary.port, ['GET', 'app:seed'], as('admin'))).toBe('v');
  });

  test('why version-specific subcommands are gated: Redis 7.0 refuses a rule naming one it does not know', () => {
    expect(rcli(primary.port, ['ACL', 'SETUSER', 'probe', '+client|setinfo'], as('admin'))).toMatch(
      /Unknown command/,
    );
    const redis6 = roleModel(policy, { engine: 'redis', version: '6.2' });
    expect(aclUserOf(redis6.metrics).rules).not.toContain('+latency|histogram');
  });
});

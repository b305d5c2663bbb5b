/**
 * The parts of the Kubernetes charts that run outside Kubernetes, proven on a real redis-server 7:
 * - the backup script the CronJob runs (BGSAVE, snapshot copy, checksum, retention), and the
 *   restore procedure of docs/kubernetes.md (RDB into an empty data dir, AOF rebuilt after load);
 * - the documented `kubectl create secret` procedure for the ACL file: the file it produces loads
 *   next to `requirepass` (as both flavors start Redis) and confines the application user.
 * Skipped, with a message, when redis-server is not installed.
 */
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BACKUP_SCRIPT } from '../../lib/k8s/backup';
import { makeContext, type Flavor } from '../../lib/k8s/context';
import { buildFlavor } from '../../lib/k8s/synth';
import { ACL_TEMPLATE_KEY, jobRoles, type JobRole } from '../../lib/k8s/secrets';
import { cli, type LocalRedis, startRedis, stopRedis } from './redis-local';
import { describeWith, redisServer } from '../support/tools';
import { loadPatched } from './patched-bitnami';

const suite = describeWith(redisServer());

let root: string;
const servers: LocalRedis[] = [];
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-live-'));
});
afterAll(async () => {
  for (const s of servers) await stopRedis(s);
  fs.rmSync(root, { recursive: true, force: true });
});
async function start(name: string, args: string[]): Promise<LocalRedis> {
  const r = await startRedis(path.join(root, name), args);
  servers.push(r);
  return r;
}

const PASSWORD = 'test-only-admin-password-0123456789';
const KEYS = 500;

function runBackup(env: Record<string, string>) {
  const script = path.join(root, 'backup.sh');
  fs.writeFileSync(script, BACKUP_SCRIPT);
  return spawnSync('sh', [script], {
    env: { PATH: process.env.PATH!, BGSAVE_TIMEOUT: '30', ...env },
    encoding: 'utf8',
  });
}

suite('backup script (the CronJob) and restore procedure', () => {
  let src: LocalRedis;
  const backupDir = () => path.join(root, 'backups');

  beforeAll(async () => {
    // Production-like source: password, AOF everysec, save rules.
    src = await start('source', [
      '--requirepass',
      PASSWORD,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      // Only speeds the test up: redis-cli --rdb waits for this delay before the transfer starts.
      '--repl-diskless-sync-delay',
      '0',
    ]);
    const cmds = Array.from({ length: KEYS }, (_, i) => `SET app:k${i} v${i}`).join('\n');
    const r = spawnSync('redis-cli', ['-p', String(src.port), '--no-auth-warning', '-a', PASSWORD], {
      input: cmds,
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(cli(src.port, ['DBSIZE'], { pass: PASSWORD })).toBe(String(KEYS));
  });

  it('writes a verified snapshot and prunes only backups older than the retention', () => {
    const nodeDir = path.join(backupDir(), 'app-cache', `127-${src.port}`);
    fs.mkdirSync(nodeDir, { recursive: true });
    const old = path.join(nodeDir, 'dump-20000101T000000Z.rdb');
    const recent = path.join(nodeDir, 'dump-20000102T000000Z.rdb');
    fs.writeFileSync(old, 'old');
    fs.writeFileSync(recent, 'recent');
    const day = 86400;
    const now = Date.now() / 1000;
    fs.utimesSync(old, now - 20 * day, now - 20 * day);
    fs.utimesSync(recent, now - 2 * day, now - 2 * day);

    const r = runBackup({
      REDIS_TARGETS: `127.0.0.1:${src.port}`,
      REDISCLI_AUTH: PASSWORD,
      BACKUP_DIR: backupDir(),
      DEPLOYMENT: 'app-cache',
      RETENTION_DAYS: '15',
    });
    console.log(r.stderr.trim());
    expect(r.status).toBe(0);
    const files = fs.readdirSync(nodeDir).sort();
    expect(files).not.toContain(path.basename(old));
    expect(files).toContain(path.basename(recent));
    const made = files.filter((f) => /^dump-\d{8}T\d{6}Z\.rdb$/.test(f) && f !== path.basename(recent));
    expect(made).toHaveLength(1);
    const check = spawnSync('sha256sum', ['-c', `${made[0]}.sha256`], { cwd: nodeDir, encoding: 'utf8' });
    expect(check.stdout).toContain(': OK');
    expect(r.stderr).not.toContain(PASSWORD);
  });

  it('a save already running (save rules, a sync, another backup) is waited for, then its own BGSAVE is taken', () => {
    // rdb-key-save-delay (µs per key) makes the node's own BGSAVE take ~2.5 s; BGSAVE SCHEDULE then
    // answers "Background save already in progress" (a CI run failed the backup on exactly that).
    const pass = { pass: PASSWORD };
    const saves = () => Number(/rdb_saves:(\d+)/.exec(cli(src.port, ['INFO', 'persistence'], pass))![1]);
    const before = saves();
    cli(src.port, ['CONFIG', 'SET', 'rdb-key-save-delay', '5000'], pass);
    try {
      // A save the node started on its own may still be running: let it end (bounded), then start
      // the slow one, so the backup surely meets a save in progress.
      const until = Date.now() + 20_000;
      let reply = cli(src.port, ['BGSAVE'], pass);
      while (reply !== 'Background saving started' && Date.now() < until) {
        spawnSync('sleep', ['0.2']);
        reply = cli(src.port, ['BGSAVE'], pass);
      }
      expect(reply).toBe('Background saving started');
      const dir = path.join(root, 'backups-busy');
      const r = runBackup({
        REDIS_TARGETS: `127.0.0.1:${src.port}`,
        REDISCLI_AUTH: PASSWORD,
        BACKUP_DIR: dir,
        DEPLOYMENT: 'app-cache',
        RETENTION_DAYS: '15',
      });
      expect([r.status, r.stderr]).toEqual([0, expect.stringMatching(/BGSAVE ok after \d+s/)]);
      // The running save and the backup's own one both completed.
      expect(saves()).toBeGreaterThanOrEqual(before + 2);
      fs.rmSync(dir, { recursive: true, force: true });
    } finally {
      cli(src.port, ['CONFIG', 'SET', 'rdb-key-save-delay', '0'], pass);
    }
  });

  let restoreSnapshot: string | undefined;
  /**
   * A snapshot the backup script took of the source, made once by whichever restore test runs first
   * (in its own folder), so each restore test also runs alone (`-t`) and in any order.
   */
  const backupForRestore = (): string => {
    if (restoreSnapshot) return restoreSnapshot;
    const dir = path.join(root, 'restore-backups');
    const r = runBackup({
      REDIS_TARGETS: `127.0.0.1:${src.port}`,
      REDISCLI_AUTH: PASSWORD,
      BACKUP_DIR: dir,
      DEPLOYMENT: 'app-cache',
      RETENTION_DAYS: '15',
    });
    if (r.status !== 0) throw new Error(`the backup for the restore tests failed: ${r.stderr.trim()}`);
    const nodeDir = path.join(dir, 'app-cache', `127-${src.port}`);
    const snaps = fs.readdirSync(nodeDir).filter((f) => /^dump-\d{8}T\d{6}Z\.rdb$/.test(f));
    expect(snaps).toHaveLength(1);
    restoreSnapshot = path.join(nodeDir, snaps[0]);
    return restoreSnapshot;
  };
  /** Copy the backup's snapshot of the source node into `<root>/<name>/dump.rdb`. */
  const seedWithLatestSnapshot = (name: string): void => {
    const dataDir = path.join(root, name);
    fs.mkdirSync(dataDir, { recursive: true });
    fs.copyFileSync(backupForRestore(), path.join(dataDir, 'dump.rdb'));
  };
  /** Start a node on the data dir `<root>/<name>` (dump.rdb), with AOF on or off. */
  const startFromDump = (name: string, appendonly: 'yes' | 'no'): Promise<LocalRedis> =>
    start(name, ['--requirepass', PASSWORD, '--appendonly', appendonly, '--dbfilename', 'dump.rdb']);

  it('restore: the snapshot loads into an empty node; AOF is rebuilt from memory before it is turned back on', async () => {
    // Step 1 of docs/kubernetes.md "Restore": empty data dir, snapshot as dump.rdb, AOF off.
    seedWithLatestSnapshot('restored');
    const restored = await startFromDump('restored', 'no');
    expect(cli(restored.port, ['DBSIZE'], { pass: PASSWORD })).toBe(String(KEYS));
    expect(cli(restored.port, ['GET', 'app:k123'], { pass: PASSWORD })).toBe('v123');
    // Step 2: turn AOF on at runtime (Redis writes the AOF from memory), then restart with AOF on.
    expect(cli(restored.port, ['CONFIG', 'SET', 'appendonly', 'yes'], { pass: PASSWORD })).toBe('OK');
    for (let i = 0; i < 100; i++) {
      const info = cli(restored.port, ['INFO', 'persistence'], { pass: PASSWORD });
      if (
        /aof_rewrite_in_progress:0/.test(info) &&
        /aof_rewrite_scheduled:0/.test(info) &&
        /aof_enabled:1/.test(info)
      )
        break;
      await new Promise((res) => setTimeout(res, 100));
    }
    await stopRedis(restored);
    const again = await startFromDump('restored', 'yes');
    expect(cli(again.port, ['DBSIZE'], { pass: PASSWORD })).toBe(String(KEYS));
    console.log(`restore: ${KEYS} keys written, ${KEYS} keys back after restore and AOF restart, 0 lost`);
  });

  it('why the restore turns AOF off first: with AOF on and no AOF files, Redis 7 ignores dump.rdb', async () => {
    seedWithLatestSnapshot('trap');
    const trap = await startFromDump('trap', 'yes');
    expect(cli(trap.port, ['DBSIZE'], { pass: PASSWORD })).toBe('0');
    await stopRedis(trap);
  });

  it('fails (non-zero, no snapshot) on a wrong password and on an unreachable node', () => {
    const dir = path.join(root, 'failing');
    const bad = runBackup({
      REDIS_TARGETS: `127.0.0.1:${src.port}`,
      REDISCLI_AUTH: 'wrong',
      BACKUP_DIR: dir,
      DEPLOYMENT: 'x',
      RETENTION_DAYS: '1',
    });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/ERROR/);
    const down = runBackup({
      REDIS_TARGETS: '127.0.0.1:1',
      REDISCLI_AUTH: PASSWORD,
      BACKUP_DIR: dir,
      DEPLOYMENT: 'x',
      RETENTION_DAYS: '1',
    });
    expect(down.status).not.toBe(0);
    const snaps = fs.existsSync(path.join(dir, 'x'))
      ? fs.readdirSync(path.join(dir, 'x'), { recursive: true })
      : [];
    expect(snaps.filter((f) => String(f).endsWith('.rdb'))).toEqual([]);
    const missing = runBackup({ BACKUP_DIR: dir, DEPLOYMENT: 'x', RETENTION_DAYS: '1' });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/set REDIS_TARGETS, REDIS_PRIMARY_AMONG or SENTINEL_ADDR/);
  });
});

/** Run the documented Secret commands with a stand-in kubectl that records what would be created. */
function runSecretCommands(flavor: Flavor): {
  admin: string;
  app: string;
  appUser: string;
  aclFile: string;
  /** The Sentinels' ACL file the procedure made (Bitnami with Sentinel), else undefined. */
  sentinelAclFile?: string;
  jobs: Record<JobRole, { username: string; password: string }>;
} {
  const d = loadPatched('examples/default.yaml');
  const out = buildFlavor(d, flavor);
  const ctx = makeContext(d, flavor);
  const template = out.objects.find(
    (o) => o.kind === 'ConfigMap' && o.metadata?.name === `${ctx.name}-acl-template`,
  ) as unknown as { data: Record<string, string> };
  const work = path.join(root, `secrets-${flavor}`);
  const bin = path.join(work, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.mkdirSync(path.join(work, 'templates'));
  for (const [key, text] of Object.entries(template.data))
    fs.writeFileSync(path.join(work, 'templates', key), text);
  expect(Object.keys(template.data)).toContain(ACL_TEMPLATE_KEY);
  // Fake kubectl: `get configmap` prints the key its jsonpath names; `create secret` stores each literal / file.
  fs.writeFileSync(
    path.join(bin, 'kubectl'),
    `#!/bin/sh
case "$*" in
  *"get configmap"*) cat "${work}/templates/$(echo "$*" | sed -n 's/.*{[.]data[.]\\(.*\\)}.*/\\1/p' | sed 's/\\\\[.]/./g')" ;;
  *"create secret generic"*)
    for a in "$@"; do
      case "$a" in
        --from-literal=*) kv="\${a#--from-literal=}"; printf %s "\${kv#*=}" > "${work}/$(echo "$*" | sed 's/.*generic \\([^ ]*\\).*/\\1/').\${kv%%=*}" ;;
        --from-file=*) cp "\${a#--from-file=}" "${work}/acl-file.\${a#--from-file=}" ;;
      esac
    done ;;
  *) echo "unexpected kubectl $*" >&2; exit 1 ;;
esac
`,
    { mode: 0o755 },
  );
  const script = out.secretCommands.join('\n');
  const r = spawnSync('sh', ['-euc', script], {
    cwd: work,
    env: { PATH: `${bin}:${process.env.PATH}` },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`secret commands failed: ${r.stderr}`);
  // The procedure removes the local files.
  expect(fs.readdirSync(work).filter((f) => f.endsWith('.acl') && !f.startsWith('acl-file.'))).toEqual([]);
  const sentinelAcl = path.join(work, 'acl-file.sentinel.acl');
  return {
    admin: fs.readFileSync(path.join(work, `${ctx.secrets.auth}.password`), 'utf8'),
    app: fs.readFileSync(path.join(work, `${ctx.secrets.app}.password`), 'utf8'),
    appUser: fs.readFileSync(path.join(work, `${ctx.secrets.app}.username`), 'utf8'),
    aclFile: path.join(work, 'acl-file.user.acl'),
    ...(fs.existsSync(sentinelAcl) ? { sentinelAclFile: sentinelAcl } : {}),
    jobs: Object.fromEntries(
      jobRoles(ctx).map((r) => [
        r,
        {
          username: fs.readFileSync(path.join(work, `${ctx.secrets[r]}.username`), 'utf8'),
          password: fs.readFileSync(path.join(work, `${ctx.secrets[r]}.password`), 'utf8'),
        },
      ]),
    ) as Record<JobRole, { username: string; password: string }>,
  };
}

suite.each(['opstree', 'bitnami'] as const)('ACL Secret procedure (%s) on real Redis', (flavor) => {
  let s: ReturnType<typeof runSecretCommands>;
  let r: LocalRedis;
  beforeAll(async () => {
    s = runSecretCommands(flavor);
    // DEBUG is enabled on the server so that the ACL, not the server setting, is what refuses it.
    r = await start(`acl-${flavor}`, [
      '--aclfile',
      s.aclFile,
      '--requirepass',
      s.admin,
      '--masterauth',
      s.admin,
      '--enable-debug-command',
      'yes',
    ]);
  });

  it('produces random passwords of the policy length and an ACL file with digests only', () => {
    expect(s.admin).toMatch(/^[0-9a-f]{64}$/);
    expect(s.app).toMatch(/^[0-9a-f]{64}$/);
    expect(s.admin).not.toBe(s.app);
    const acl = fs.readFileSync(s.aclFile, 'utf8');
    expect(acl).not.toContain(s.admin);
    expect(acl).not.toContain(s.app);
    expect(acl).not.toMatch(/nopass|@[A-Z_]+@/);
  });

  it('Bitnami with Sentinel: the same procedure writes sentinel.acl (default = admin, the app user; digests only)', () => {
    if (flavor === 'opstree') return expect(s.sentinelAclFile).toBeUndefined();
    const acl = fs.readFileSync(s.sentinelAclFile!, 'utf8');
    expect(acl).not.toContain(s.admin);
    expect(acl).not.toContain(s.app);
    expect(acl).not.toMatch(/nopass|@[A-Z_]+@/);
    const digest = (pw: string) => crypto.createHash('sha256').update(pw).digest('hex');
    expect(acl).toContain(`user default on resetpass #${digest(s.admin)} ~* &* +@all`);
    expect(acl).toMatch(
      new RegExp(
        `^user ${s.appUser} on resetpass #${digest(s.app)} resetkeys resetchannels &\\* -@all `,
        'm',
      ),
    );
    expect(acl.trim().split('\n')).toHaveLength(2);
  });

  it('the exporter and both jobs get their own Secret and user; each logs in with its password only', () => {
    expect(Object.keys(s.jobs).sort()).toEqual(['backup', 'metrics', 'tlsReload']);
    const passwords = [s.admin, s.app, ...Object.values(s.jobs).map((j) => j.password)];
    expect(new Set(passwords).size).toBe(passwords.length);
    for (const j of Object.values(s.jobs)) {
      expect(j.password).toMatch(/^[0-9a-f]{64}$/);
      expect(fs.readFileSync(s.aclFile, 'utf8')).not.toContain(j.password);
      // Logged in: WHOAMI answers, or NOPERM for a user without it (a wrong password gives WRONGPASS).
      expect(cli(r.port, ['ACL', 'WHOAMI'], { user: j.username, pass: j.password })).toMatch(
        new RegExp(`^${j.username}$|NOPERM`),
      );
      expect(cli(r.port, ['PING'], { user: j.username, pass: s.admin })).toMatch(/WRONGPASS|invalid/i);
    }
    expect(
      cli(r.port, ['INFO', 'server'], { user: s.jobs.metrics.username, pass: s.jobs.metrics.password }),
    ).toContain('redis_version');
    expect(
      cli(r.port, ['CONFIG', 'GET', 'masterauth'], {
        user: s.jobs.metrics.username,
        pass: s.jobs.metrics.password,
      }),
    ).toMatch(/NOPERM/);
  });

  it('default (operator, replicas, Sentinel) authenticates with the admin password; no auth is refused', () => {
    expect(cli(r.port, ['PING'])).toMatch(/NOAUTH/);
    expect(cli(r.port, ['PING'], { pass: s.admin })).toBe('PONG');
    expect(cli(r.port, ['PING'], { pass: 'wrong' })).toMatch(/WRONGPASS|invalid/i);
  });

  it('the application user works only under its prefix and is denied dangerous commands', () => {
    const app = { user: s.appUser, pass: s.app };
    expect(cli(r.port, ['SET', 'app:x', '1'], app)).toBe('OK');
    expect(cli(r.port, ['GET', 'app:x'], app)).toBe('1');
    expect(cli(r.port, ['SET', 'other:x', '1'], app)).toMatch(/NOPERM/);
    for (const cmd of [
      ['FLUSHALL'],
      ['FLUSHDB'],
      ['KEYS', '*'],
      ['CONFIG', 'GET', 'maxmemory'],
      ['DEBUG', 'SLEEP', '0'],
      ['SHUTDOWN'],
    ]) {
      expect(cli(r.port, cmd, app)).toMatch(/NOPERM/);
    }
    expect(cli(r.port, ['PING'], { user: s.appUser, pass: 'wrong' })).toMatch(/WRONGPASS|invalid/i);
  });
});

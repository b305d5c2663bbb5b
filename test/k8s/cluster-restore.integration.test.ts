/**
 * OpsTree backup and restore on a real (local) Redis Cluster, TLS only (`port 0`, cluster bus and
 * replication over TLS, as the operator runs it): the backup script copies one
 * snapshot per primary (what the CronJob does with REDIS_TARGETS = the leader pods); after data
 * loss each snapshot is loaded into a throwaway standalone server and imported into the cluster
 * with `redis-cli --cluster import` (the restore procedure of docs/kubernetes.md). Every key
 * written before the backup must be back. Skipped, with a message, without redis-server.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Cluster } from 'ioredis';
import { BACKUP_SCRIPT } from '../../lib/k8s/backup';
import { EC_P256, makeCa, makeSigned } from '../support/certs';
import { cli, type LocalRedis, startRedis, stopRedis } from './redis-local';
import { describeWith, redisServer } from '../support/tools';

const suite = describeWith(redisServer());

const PASSWORD = 'test-only-cluster-password-0123456789';

/** A throwaway CA and server certificate for this test (openssl CLI). */
function makeCerts(dir: string): { ca: string; cert: string; key: string } {
  fs.mkdirSync(dir, { recursive: true });
  makeCa(dir, 'ca', '/CN=test-ca', EC_P256);
  fs.writeFileSync(path.join(dir, 'ext'), 'subjectAltName=DNS:acs-redis-leader,IP:127.0.0.1\n');
  makeSigned(dir, { name: 'tls', subject: '/CN=acs-redis-leader', key: EC_P256, ca: 'ca', extFile: 'ext' });
  return { ca: path.join(dir, 'ca.crt'), cert: path.join(dir, 'tls.crt'), key: path.join(dir, 'tls.key') };
}
const KEYS = 300;

suite('cluster: backup every primary, lose the data, restore with redis-cli --cluster import', () => {
  let root: string;
  const nodes: LocalRedis[] = [];
  const temps: LocalRedis[] = [];
  let cluster: Cluster | undefined;
  let certs: { ca: string; cert: string; key: string };
  const tlsServerArgs = () => [
    '--tls-cert-file',
    certs.cert,
    '--tls-key-file',
    certs.key,
    '--tls-ca-cert-file',
    certs.ca,
    '--tls-auth-clients',
    'no',
    '--tls-cluster',
    'yes',
    '--tls-replication',
    'yes',
  ];
  const tlsCli = () => ['--tls', '--cacert', certs.ca];
  /** `redis-cli --cluster <args>` over TLS, authenticated with the test password. */
  const clusterCli = (args: string[]) =>
    spawnSync('redis-cli', [...tlsCli(), '--no-auth-warning', '-a', PASSWORD, '--cluster', ...args], {
      encoding: 'utf8',
    });

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-cluster-'));
    certs = makeCerts(path.join(root, 'tls'));
    for (let i = 0; i < 3; i++) {
      nodes.push(
        await startRedis(
          path.join(root, `node${i}`),
          [
            ...tlsServerArgs(),
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            '2000',
            '--requirepass',
            PASSWORD,
            '--masterauth',
            PASSWORD,
            '--appendonly',
            'yes',
            // Only speeds the test up: redis-cli --rdb waits for this delay before the transfer starts.
            '--repl-diskless-sync-delay',
            '0',
          ],
          certs.ca,
        ),
      );
    }
    const create = clusterCli(['create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-yes']);
    if (create.status !== 0) throw new Error(`cluster create failed: ${create.stdout}${create.stderr}`);
    for (let i = 0; i < 100; i++) {
      if (
        nodes.every((n) =>
          /cluster_state:ok/.test(cli(n.port, [...tlsCli(), 'CLUSTER', 'INFO'], { pass: PASSWORD })),
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 100));
    }
    cluster = new Cluster([{ host: '127.0.0.1', port: nodes[0].port }], {
      redisOptions: { password: PASSWORD, tls: { ca: fs.readFileSync(certs.ca) } },
    });
  });

  afterAll(async () => {
    cluster?.disconnect();
    for (const n of [...nodes, ...temps]) await stopRedis(n);
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('every key written before the backup is back after restore', async () => {
    for (let i = 0; i < KEYS; i++) await cluster!.set(`app:k${i}`, `v${i}`);

    const backupDir = path.join(root, 'backups');
    const script = path.join(root, 'backup.sh');
    fs.writeFileSync(script, BACKUP_SCRIPT);
    const b = spawnSync('sh', [script], {
      env: {
        PATH: process.env.PATH!,
        REDIS_TARGETS: nodes.map((n) => `127.0.0.1:${n.port}`).join(' '),
        REDISCLI_AUTH: PASSWORD,
        TLS_CA: certs.ca,
        BACKUP_DIR: backupDir,
        DEPLOYMENT: 'acs-redis',
        RETENTION_DAYS: '15',
        BGSAVE_TIMEOUT: '30',
      },
      encoding: 'utf8',
    });
    expect(b.status).toBe(0);
    const snapshots = fs
      .readdirSync(path.join(backupDir, 'acs-redis'), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.rdb'));
    expect(snapshots).toHaveLength(3);

    // Data loss on every primary.
    for (const n of nodes) expect(cli(n.port, [...tlsCli(), 'FLUSHALL'], { pass: PASSWORD })).toBe('OK');
    expect(await cluster!.get('app:k1')).toBeNull();

    // Restore: each snapshot into a throwaway server (AOF off, so the RDB is what loads), then import.
    for (const [i, snap] of snapshots.entries()) {
      const dir = path.join(root, `restore${i}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.copyFileSync(path.join(backupDir, 'acs-redis', snap), path.join(dir, 'dump.rdb'));
      // redis-cli 7.0 talks to the --cluster-from node without TLS (even with --tls), so the
      // throwaway server listens in plaintext on loopback only; `tls-cluster yes` makes the MIGRATE
      // it sends to the cluster use TLS.
      const tmp = await startRedis(dir, [
        ...tlsServerArgs(),
        '--appendonly',
        'no',
        '--dbfilename',
        'dump.rdb',
        '--requirepass',
        PASSWORD,
      ]);
      temps.push(tmp);
      const imp = clusterCli([
        'import',
        `127.0.0.1:${nodes[0].port}`,
        '--cluster-from',
        `127.0.0.1:${tmp.port}`,
        '--cluster-from-pass',
        PASSWORD,
        '--cluster-copy',
        '--cluster-replace',
      ]);
      if (imp.status !== 0) console.log(imp.stdout, imp.stderr);
      expect(imp.status).toBe(0);
      await stopRedis(tmp);
    }
    let back = 0;
    for (let i = 0; i < KEYS; i++) if ((await cluster!.get(`app:k${i}`)) === `v${i}`) back++;
    console.log(`cluster restore: ${KEYS} keys written, 3 snapshots, ${back} keys back, ${KEYS - back} lost`);
    expect(back).toBe(KEYS);
  });
});

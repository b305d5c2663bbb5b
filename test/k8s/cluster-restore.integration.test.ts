/**
 * OpsTree backup and restore on a real (local) Redis Cluster: the backup script copies one
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
import { cli, HAVE_REDIS, type LocalRedis, skipNotice, startRedis, stopRedis } from './redis-local';

skipNotice('OpsTree cluster backup/restore test');
const suite = HAVE_REDIS ? describe : describe.skip;

const PASSWORD = 'test-only-cluster-password-0123456789';
const KEYS = 300;

suite('cluster: backup every primary, lose the data, restore with redis-cli --cluster import', () => {
  let root: string;
  const nodes: LocalRedis[] = [];
  const temps: LocalRedis[] = [];
  let cluster: Cluster | undefined;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-cluster-'));
    for (let i = 0; i < 3; i++) {
      nodes.push(
        await startRedis(path.join(root, `node${i}`), [
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
        ]),
      );
    }
    const create = spawnSync(
      'redis-cli',
      [
        '--no-auth-warning',
        '-a',
        PASSWORD,
        '--cluster',
        'create',
        ...nodes.map((n) => `127.0.0.1:${n.port}`),
        '--cluster-yes',
      ],
      { encoding: 'utf8' },
    );
    if (create.status !== 0) throw new Error(`cluster create failed: ${create.stdout}${create.stderr}`);
    for (let i = 0; i < 100; i++) {
      if (nodes.every((n) => /cluster_state:ok/.test(cli(n.port, ['CLUSTER', 'INFO'], { pass: PASSWORD }))))
        break;
      await new Promise((r) => setTimeout(r, 100));
    }
    cluster = new Cluster([{ host: '127.0.0.1', port: nodes[0].port }], {
      redisOptions: { password: PASSWORD },
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
    for (const n of nodes) expect(cli(n.port, ['FLUSHALL'], { pass: PASSWORD })).toBe('OK');
    expect(await cluster!.get('app:k1')).toBeNull();

    // Restore: each snapshot into a throwaway server (AOF off, so the RDB is what loads), then import.
    for (const [i, snap] of snapshots.entries()) {
      const dir = path.join(root, `restore${i}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.copyFileSync(path.join(backupDir, 'acs-redis', snap), path.join(dir, 'dump.rdb'));
      const tmp = await startRedis(dir, [
        '--appendonly',
        'no',
        '--dbfilename',
        'dump.rdb',
        '--requirepass',
        PASSWORD,
      ]);
      temps.push(tmp);
      const imp = spawnSync(
        'redis-cli',
        [
          '--no-auth-warning',
          '-a',
          PASSWORD,
          '--cluster',
          'import',
          `127.0.0.1:${nodes[0].port}`,
          '--cluster-from',
          `127.0.0.1:${tmp.port}`,
          '--cluster-from-pass',
          PASSWORD,
          '--cluster-copy',
          '--cluster-replace',
        ],
        { encoding: 'utf8' },
      );
      expect(imp.status).toBe(0);
      await stopRedis(tmp);
    }
    let back = 0;
    for (let i = 0; i < KEYS; i++) if ((await cluster!.get(`app:k${i}`)) === `v${i}`) back++;
    console.log(`cluster restore: ${KEYS} keys written, 3 snapshots, ${back} keys back, ${KEYS - back} lost`);
    expect(back).toBe(KEYS);
  });
});

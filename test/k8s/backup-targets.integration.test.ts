/**
 * The two other backup paths of the CronJob, on real redis-server where Redis is involved:
 * - Bitnami with Sentinel: backup.sh asks a Sentinel for the current primary and backs it up;
 * - S3 target: upload-s3.sh uploads the snapshots and deletes objects older than the retention,
 *   run against a stand-in `aws` CLI that keeps a bucket in a directory (no network here).
 * Skipped, with a message, without redis-server.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BACKUP_SCRIPT, S3_UPLOAD_SCRIPT } from '../../lib/k8s/backup';
import { cli, reservePort, type LocalRedis, startRedis, stopRedis } from './redis-local';
import { describeWith, redisServer } from '../support/tools';

const PASSWORD = 'test-only-sentinel-password-0123456789';

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-targets-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describeWith(redisServer())('backup through Sentinel (Bitnami with Sentinel)', () => {
  let primary: LocalRedis | undefined;
  let sentinel: LocalRedis | undefined;
  afterAll(async () => {
    await stopRedis(sentinel);
    await stopRedis(primary);
  });

  it('asks the Sentinel for the primary and backs that node up', async () => {
    primary = await startRedis(path.join(root, 'primary'), [
      '--requirepass',
      PASSWORD,
      '--masterauth',
      PASSWORD,
      '--repl-diskless-sync-delay',
      '0',
    ]);
    expect(cli(primary.port, ['SET', 'app:s', '1'], { pass: PASSWORD })).toBe('OK');
    const sdir = path.join(root, 'sentinel');
    fs.mkdirSync(sdir, { recursive: true });
    const sport = await reservePort();
    const conf = path.join(sdir, 'sentinel.conf');
    fs.writeFileSync(
      conf,
      [
        `port ${sport}`,
        'bind 127.0.0.1',
        `dir ${sdir}`,
        `sentinel monitor mymaster 127.0.0.1 ${primary.port} 1`,
        `sentinel auth-pass mymaster ${PASSWORD}`,
        `requirepass ${PASSWORD}`,
        'daemonize yes',
        `pidfile ${path.join(sdir, 'redis.pid')}`,
        `logfile ${path.join(sdir, 'redis.log')}`,
      ].join('\n') + '\n',
    );
    expect(spawnSync('redis-server', [conf, '--sentinel']).status).toBe(0);
    for (let i = 0; i < 100 && !/PONG/.test(cli(sport, ['PING'], { pass: PASSWORD })); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    sentinel = { port: sport, dir: sdir, pid: Number(fs.readFileSync(path.join(sdir, 'redis.pid'), 'utf8')) };

    const script = path.join(root, 'backup.sh');
    fs.writeFileSync(script, BACKUP_SCRIPT);
    /** The backup script through this Sentinel; `env` adds the master name and other settings. */
    const backup = (env: Record<string, string>) =>
      spawnSync('sh', [script], {
        env: {
          PATH: process.env.PATH!,
          SENTINEL_ADDR: `127.0.0.1:${sport}`,
          REDISCLI_AUTH: PASSWORD,
          BACKUP_DIR: path.join(root, 'b'),
          DEPLOYMENT: 'app-cache',
          RETENTION_DAYS: '7',
          ...env,
        },
        encoding: 'utf8',
      });
    const r = backup({ SENTINEL_MASTER: 'mymaster', BGSAVE_TIMEOUT: '30' });
    expect(r.stderr).toContain(`127.0.0.1:${primary.port}: BGSAVE ok`);
    expect(r.status).toBe(0);
    const files = fs.readdirSync(path.join(root, 'b', 'app-cache', `127-${primary.port}`));
    expect(files.filter((f) => f.endsWith('.rdb'))).toHaveLength(1);

    const wrong = backup({ SENTINEL_MASTER: 'nosuch' });
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toMatch(/does not know master nosuch/);
  });
});

describe('S3 upload and retention (stand-in aws CLI)', () => {
  it('uploads new snapshots and deletes only objects older than the retention', () => {
    const bucketRoot = path.join(root, 's3');
    const bin = path.join(root, 'bin');
    fs.mkdirSync(bin, { recursive: true });
    // A bucket is a directory; LastModified is the file mtime. Implements the three calls the script makes.
    fs.writeFileSync(
      path.join(bin, 'aws'),
      `#!/bin/sh
set -eu
S3="${bucketRoot}"
case "$1 $2" in
  "s3 cp")
    shift 2; src=""; dst=""
    for a in "$@"; do case "$a" in s3://*) dst="\${a#s3://}" ;; --*|'*'|*dump-*) ;; *) [ -d "$a" ] && src="$a" ;; esac; done
    (cd "$src" && find . -type f -name 'dump-*.rdb*' | while read -r f; do
      mkdir -p "$S3/$dst/$(dirname "$f")"; cp "$f" "$S3/$dst/$f"; done) ;;
  "s3api list-objects-v2")
    bucket=""; prefix=""; query=""
    while [ $# -gt 0 ]; do case "$1" in --bucket) bucket="$2"; shift ;; --prefix) prefix="$2"; shift ;; --query) query="$2"; shift ;; esac; shift; done
    cutoff=$(echo "$query" | sed -n "s/.*LastModified<'\\([^']*\\)'.*/\\1/p")
    keys=$(cd "$S3/$bucket" && find "$prefix" -type f ! -newermt "$cutoff" | sort | tr '\\n' '\\t' | sed 's/\\t$//')
    if [ -n "$keys" ]; then printf '%s\\n' "$keys"; else echo None; fi ;;
  "s3 rm")
    for a in "$@"; do case "$a" in s3://*) rm -f "$S3/\${a#s3://}" ;; esac; done ;;
  *) echo "unexpected aws $*" >&2; exit 1 ;;
esac
`,
      { mode: 0o755 },
    );
    const prefix = 'app/app-cache';
    const bucketDir = path.join(bucketRoot, 'corp-backups', prefix, 'app-cache-master-0-6379');
    fs.mkdirSync(bucketDir, { recursive: true });
    const day = 86400;
    const now = Date.now() / 1000;
    for (const [name, age] of [
      ['dump-old.rdb', 20],
      ['dump-recent.rdb', 3],
    ] as const) {
      fs.writeFileSync(path.join(bucketDir, name), name);
      fs.utimesSync(path.join(bucketDir, name), now - age * day, now - age * day);
    }
    const local = path.join(root, 'local', 'app-cache', 'app-cache-master-0-6379');
    fs.mkdirSync(local, { recursive: true });
    fs.writeFileSync(path.join(local, 'dump-20261122T030000Z.rdb'), 'new');
    fs.writeFileSync(path.join(local, 'dump-20261122T030000Z.rdb.sha256'), 'sum');

    const script = path.join(root, 'upload-s3.sh');
    fs.writeFileSync(script, S3_UPLOAD_SCRIPT);
    const r = spawnSync('sh', [script], {
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        S3_BUCKET: 'corp-backups',
        S3_PREFIX: prefix,
        BACKUP_DIR: path.join(root, 'local'),
        DEPLOYMENT: 'app-cache',
        RETENTION_DAYS: '15',
      },
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(fs.readdirSync(bucketDir).sort()).toEqual([
      'dump-20261122T030000Z.rdb',
      'dump-20261122T030000Z.rdb.sha256',
      'dump-recent.rdb',
    ]);
    expect(r.stdout).toContain('pruned s3://corp-backups/app/app-cache/app-cache-master-0-6379/dump-old.rdb');
  });
});

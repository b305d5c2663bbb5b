/**
 * The rendered backup.sh and restore.sh on a real redis-server started from the rendered config
 * (default example policy: AOF everysec + RDB, 15 days retention).
 *
 * What is proven: backup.sh takes a consistent RDB of the primary and prunes backups older than the
 * retention and the .partial folders of failed runs; restore.sh brings back exactly the backed-up keys (later writes and deletions are
 * undone) although AOF is on, where a plain copy of dump.rdb would be ignored (Redis loads the AOF,
 * or starts empty without one); and the restored data is in the new AOF, so it survives a SIGKILL.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Env, standaloneDeployment, startStandalone } from './harness';
import { describeWith, redisServer } from '../support/tools';

const suite = describeWith(redisServer());
const N = 2000;

suite('self-hosted backup and restore from the rendered scripts (real redis-server)', () => {
  const env = new Env(standaloneDeployment(), 'backup');
  let port = 0;

  beforeAll(async () => {
    port = await startStandalone(env);
  });
  afterAll(() => env.stop());

  test('backup, change the data, restore: the backed-up keys exactly, still there after a crash', async () => {
    expect(env.deployment.policy.persistence.aof).toBe(true);
    const root = path.join(env.root, 'backups');
    // A backup older than the retention, which backup.sh must remove, and a recent one it must keep.
    const days = env.deployment.policy.persistence.snapshotRetentionDays;
    const stale = path.join(root, '20000101T000000Z');
    const recent = path.join(root, '20000102T000000Z');
    for (const [dir, ageDays] of [
      [stale, days + 1],
      [recent, days - 2],
    ] as const) {
      fs.mkdirSync(dir, { recursive: true });
      const t = new Date(Date.now() - ageDays * 86_400_000);
      fs.utimesSync(dir, t, t);
    }

    // What a failed run leaves (backup.sh keeps it for inspection): the next good run removes it.
    const partial = path.join(root, '20000103T000000Z.partial');
    fs.mkdirSync(partial);
    fs.writeFileSync(path.join(partial, `${port}.rdb`), 'half');

    const app = await env.connected(port, 'app');
    const pipe = app.pipeline();
    for (let i = 0; i < N; i++) pipe.set(`app:b:${i}`, `v${i}`);
    await pipe.exec();

    const out = await env.script('backup.sh', env.secretsDir, root);
    const stamp = /backup of 1 primary\(ies\) in (\S+)/.exec(out)?.[1];
    expect(stamp).toBeDefined();
    expect(fs.readdirSync(stamp!).sort()).toEqual([`${port}.rdb`, 'SHA256SUMS']);
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.existsSync(recent)).toBe(true);
    expect(fs.existsSync(partial)).toBe(false);

    // Changes after the backup that the restore must undo.
    await app.set('app:after-backup', '1');
    await app.del('app:b:0', 'app:b:1');
    app.disconnect();

    const restored = await env.script('restore.sh', env.secretsDir, stamp!);
    expect(restored).toMatch(new RegExp(`node ${port}: ${N} keys loaded`));
    env.recordPids();

    const check = async () => {
      const c = await env.connected(port, 'app');
      const got = await c.mget(...Array.from({ length: N }, (_, i) => `app:b:${i}`));
      const after = await c.exists('app:after-backup');
      c.disconnect();
      return { lost: got.filter((v, i) => v !== `v${i}`).length, after };
    };
    expect(await check()).toEqual({ lost: 0, after: 0 });

    // AOF is on again and holds the restored data: a crash right now loses nothing.
    const admin = await env.connected(port, 'admin');
    expect(await admin.info('persistence')).toMatch(/aof_enabled:1/);
    admin.disconnect();
    await env.kill(port);
    await env.restart(port);
    const afterCrash = await check();
    expect(afterCrash).toEqual({ lost: 0, after: 0 });
    console.log(
      `[backup] ${N} keys backed up to ${path.basename(stamp!)}; stale backup pruned; restore undid 1 write + 2 deletes; keys lost after restore and SIGKILL: ${afterCrash.lost}`,
    );
  });

  test('a save already running (from the save rules) does not make backup.sh fail', async () => {
    const admin = await env.connected(port, 'admin');
    const config = (...a: string[]) => admin.call(env.passwords.configCommand, ...a);
    const pipe = admin.pipeline();
    for (let i = 0; i < N; i++) pipe.set(`app:slow:${i}`, 'v');
    await pipe.exec();
    // Slow the snapshot down (1 ms per key) so that it is still running when backup.sh starts.
    await config('SET', 'rdb-key-save-delay', '1000');
    try {
      expect(await admin.call('BGSAVE')).toMatch(/Background saving started/);
      expect(await admin.info('persistence')).toMatch(/rdb_bgsave_in_progress:1/);
      const out = await env.script('backup.sh', env.secretsDir, path.join(env.root, 'backups'));
      expect(out).toMatch(/backup of 1 primary\(ies\) in /);
    } finally {
      await config('SET', 'rdb-key-save-delay', '0');
      admin.disconnect();
    }
  });
});

/**
 * Issue 6, proof 5: 1 primary + 2 replicas + 3 Sentinels from the rendered configs (TLS, ACL users,
 * CONFIG renamed). The primary is SIGKILLed; a replica must be promoted and a client that asks the
 * Sentinels must find and use it. Sentinel timings are rendered smaller than the defaults
 * (down-after 1500 ms instead of 5000, failover-timeout 10000 instead of 60000) to keep the suite short.
 */
import Redis from 'ioredis';
import { Env, deploymentWith, freePorts, waitFor } from './harness';
import { describeWith, redisServer } from '../support/tools';

const suite = describeWith(redisServer());
const DOWN_AFTER_MS = 1500;
const N = 1000;

suite('self-hosted Sentinel set from the rendered configs (real redis-server)', () => {
  const env = new Env(
    deploymentWith({ mode: 'replication', shards: 1, replicasPerShard: 2, reason: 'test' }),
    'sentinel',
  );

  beforeAll(async () => {
    const ports = await freePorts(6);
    await env.install({
      ports: ports.slice(0, 3),
      sentinelPorts: ports.slice(3),
      sentinelDownAfterMs: DOWN_AFTER_MS,
      sentinelFailoverTimeoutMs: 10_000,
    });
    await env.start();
  });
  afterAll(() => env.stop());

  test('5. primary killed: a replica is promoted and a Sentinel client finds it', async () => {
    const [primary, ...replicas] = env.layout.nodes.map((n) => n.port);
    const sentinels = env.layout.sentinels.map((s) => s.port);
    const name = env.layout.masterName;
    // The application user may ask a Sentinel where the primary is (its Sentinel ACL).
    const asApp = { username: env.users.app.name, password: env.passwords.app };
    const askSentinel = async (port: number) => {
      const s = await env.connected(port, undefined, asApp);
      try {
        return (await s.call('SENTINEL', 'get-master-addr-by-name', name)) as [string, string];
      } finally {
        s.disconnect();
      }
    };
    expect(await askSentinel(sentinels[0])).toEqual(['127.0.0.1', String(primary)]);

    // Every Sentinel must know the other two and both replicas before the failure.
    const asSentinel = { username: env.users.sentinel.name, password: env.passwords.sentinel };
    for (const sp of sentinels) {
      await waitFor(`sentinel ${sp} discovery`, 20_000, async () => {
        const s = await env.connected(sp, undefined, asSentinel);
        const info = (await s.call('SENTINEL', 'MASTER', name)) as string[];
        s.disconnect();
        const field = (k: string) => Number(info[info.indexOf(k) + 1]);
        return field('num-other-sentinels') === 2 && field('num-slaves') === 2 ? true : undefined;
      });
    }

    const app = await env.connected(primary, 'app');
    const pipe = app.pipeline();
    for (let i = 0; i < N; i++) pipe.set(`app:s:${i}`, `v${i}`);
    expect((await pipe.exec())!.every(([e, r]) => !e && r === 'OK')).toBe(true);
    expect(await app.call('WAIT', '2', '5000')).toBe(2);
    app.disconnect();

    const t0 = Date.now();
    await env.kill(primary);
    const [, newPort] = await waitFor('Sentinels to promote a replica', 30_000, async () => {
      const addr = await askSentinel(sentinels[1]);
      return addr[1] !== String(primary) ? addr : undefined;
    });
    const failoverMs = Date.now() - t0;
    expect(replicas.map(String)).toContain(newPort);

    // A Sentinel-aware client (TLS to Sentinels and to Redis) finds the new primary and writes to it.
    const client = env.track(
      new Redis({
        sentinels: sentinels.map((port) => ({ host: '127.0.0.1', port })),
        name,
        sentinelUsername: env.users.app.name,
        sentinelPassword: env.passwords.app,
        enableTLSForSentinelMode: true,
        sentinelTLS: { ca: env.tls.ca },
        tls: { ca: env.tls.ca },
        username: env.users.app.name,
        password: env.passwords.app,
        enableReadyCheck: false,
        sentinelRetryStrategy: () => null,
        maxRetriesPerRequest: 1,
      }),
    );
    client.on('error', () => undefined);
    expect(await client.set('app:after-failover', '1')).toBe('OK');
    const got = await client.mget(...Array.from({ length: N }, (_, i) => `app:s:${i}`));
    const lost = got.filter((v, i) => v !== `v${i}`).length;

    // The other replica was re-pointed by the Sentinels (REPLICAOF + renamed CONFIG REWRITE under ACL).
    const other = replicas.find((p) => String(p) !== newPort)!;
    const admin = await env.connected(other, 'admin');
    await waitFor(`replica ${other} to follow ${newPort}`, 20_000, async () => {
      const role = (await admin.call('ROLE')) as [string, string, number, string];
      return role[0] === 'slave' && Number(role[2]) === Number(newPort) && role[3] === 'connected'
        ? true
        : undefined;
    });

    console.log(
      `[sentinel] primary ${primary} SIGKILLed; Sentinels promoted ${newPort} in ${(failoverMs / 1000).toFixed(2)} s ` +
        `(down-after ${DOWN_AFTER_MS} ms, counted from the last PING reply, which can precede the kill by up to 1 s); keys written ${N} (WAIT 2 acknowledged), keys lost ${lost}; replica ${other} follows the new primary`,
    );
    expect(lost).toBe(0);
  });
});

/**
 * The other auth branch on a real redis-server: a spec with `security.acl: false` renders one shared
 * password (requirepass + masterauth from the installed secrets.conf, Sentinel auth-pass and
 * requirepass) instead of ACL users. Primary + replica + 3 Sentinels from the rendered configs:
 * NOAUTH without the password, replication authenticates, Sentinels authenticate and fail over.
 */
import { Env, deploymentWith, freePorts, waitFor } from './harness';
import { describeWith, redisServer } from '../support/tools';

const suite = describeWith(redisServer());

suite('self-hosted with one shared password (ACL off) from the rendered configs (real redis-server)', () => {
  const env = new Env(
    deploymentWith({ mode: 'replication', shards: 1, replicasPerShard: 1, reason: 'test' }, (y) =>
      y.replace('keyspace:', 'security: { acl: false }\nkeyspace:'),
    ),
    'password',
  );

  beforeAll(async () => {
    expect(env.deployment.policy.security.acl).toBe(false);
    const ports = await freePorts(5);
    await env.install({
      ports: ports.slice(0, 2),
      sentinelPorts: ports.slice(2),
      sentinelDownAfterMs: 1500,
      sentinelFailoverTimeoutMs: 10_000,
    });
    await env.start();
  });
  afterAll(() => env.stop());

  test('requirepass enforced; masterauth replication; Sentinels authenticate and promote the replica', async () => {
    const [primary, replica] = env.layout.nodes.map((n) => n.port);
    const password = env.passwords.default;
    const anon = await env.connected(primary);
    await expect(anon.ping()).rejects.toThrow(/NOAUTH/);

    const c = await env.connected(primary, undefined, { password });
    expect(await c.set('app:k', 'v')).toBe('OK');
    await waitFor('replica link up', 10_000, async () =>
      (await c.call('WAIT', '1', '200')) === 1 ? true : undefined,
    );
    const r = await env.connected(replica, undefined, { password });
    expect(await r.get('app:k')).toBe('v');
    await expect(c.call('FLUSHALL')).rejects.toThrow(/unknown command/i);
    c.disconnect();

    const sentinel = env.layout.sentinels[0].port;
    const anonSentinel = await env.connected(sentinel);
    await expect(
      anonSentinel.call('SENTINEL', 'get-master-addr-by-name', env.layout.masterName),
    ).rejects.toThrow(/NOAUTH/);
    const s = await env.connected(sentinel, undefined, { password });
    await waitFor('Sentinels to see each other', 20_000, async () => {
      const info = (await s.call('SENTINEL', 'MASTER', env.layout.masterName)) as string[];
      return Number(info[info.indexOf('num-other-sentinels') + 1]) === 2 ? true : undefined;
    });

    const t0 = Date.now();
    await env.kill(primary);
    await waitFor('failover to the replica', 30_000, async () => {
      const [, port] = (await s.call(
        'SENTINEL',
        'get-master-addr-by-name',
        env.layout.masterName,
      )) as string[];
      return port === String(replica) ? true : undefined;
    });
    const promoted = await env.connected(replica, undefined, { password });
    await waitFor('replica to act as primary', 10_000, async () =>
      ((await promoted.call('ROLE')) as string[])[0] === 'master' ? true : undefined,
    );
    expect(await promoted.get('app:k')).toBe('v');
    console.log(
      `[password] requirepass: NOAUTH without it; replica ${replica} synced with masterauth; Sentinels (requirepass) promoted it in ${((Date.now() - t0) / 1000).toFixed(2)} s`,
    );
  });
});

/**
 * The other auth branch on a real redis-server: a staging spec with `security.acl: false` renders
 * requirepass + masterauth (from the installed secrets.conf) instead of ACL users. A primary and a
 * replica from the rendered configs: NOAUTH without the password, replication authenticates (WAIT 1).
 */
import { Env, deploymentWith, freePorts, redisAvailable, waitFor } from './harness';

const suite = redisAvailable() ? describe : describe.skip;

suite('self-hosted with one shared password (ACL off) from the rendered configs (real redis-server)', () => {
  const env = new Env(
    deploymentWith({ mode: 'replication', shards: 1, replicasPerShard: 1, reason: 'test' }, (y) =>
      y
        .replace('profile: production', 'profile: staging')
        .replace('keyspace:', 'security: { acl: false }\nkeyspace:'),
    ),
    'password',
  );

  beforeAll(async () => {
    expect(env.deployment.policy.security.acl).toBe(false);
    await env.install({ ports: await freePorts(2) });
    await env.start();
  });
  afterAll(() => env.stop());

  test('requirepass enforced; the replica authenticates with masterauth', async () => {
    const [primary, replica] = env.layout.nodes.map((n) => n.port);
    const anon = await env.connected(primary);
    await expect(anon.ping()).rejects.toThrow(/NOAUTH/);
    expect(env.layout.sentinels).toHaveLength(0);

    const c = await env.connected(primary, undefined, { password: env.passwords.default });
    expect(await c.set('app:k', 'v')).toBe('OK');
    await waitFor('replica link up', 10_000, async () =>
      (await c.call('WAIT', '1', '200')) === 1 ? true : undefined,
    );
    const r = await env.connected(replica, undefined, { password: env.passwords.default });
    expect(await r.get('app:k')).toBe('v');
    await expect(c.call('FLUSHALL')).rejects.toThrow(/unknown command/i);
    console.log(
      `[password] requirepass: NOAUTH without it; replica ${replica} synced from ${primary} with masterauth`,
    );
  });
});

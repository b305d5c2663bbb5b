/**
 * A layout whose host is a DNS name (`targets.selfHosted.host: localhost` here, a name like
 * redis-1.internal in production): the rendered Sentinels must start (Redis refuses a host name in
 * `sentinel monitor` without `resolve-hostnames`) and answer the application user with that name,
 * both through SENTINEL GET-MASTER-ADDR-BY-NAME and SENTINEL MASTERS (what redis-py asks).
 */
import { Env, deploymentWith, freePorts, waitFor } from './harness';
import { describeWith, redisServer } from '../support/tools';

const suite = describeWith(redisServer());

suite('self-hosted Sentinel set addressed by host name (real redis-server)', () => {
  const env = new Env(
    deploymentWith({ mode: 'replication', shards: 1, replicasPerShard: 1, reason: 'test' }),
    'hostname',
  );

  beforeAll(async () => {
    const ports = await freePorts(5);
    await env.install({ host: 'localhost', ports: ports.slice(0, 2), sentinelPorts: ports.slice(2) });
    await env.start();
  });
  afterAll(() => env.stop());

  test('Sentinels started from the rendered configs report the primary by its name', async () => {
    const [primary] = env.layout.nodes.map((n) => n.port);
    const asApp = { host: 'localhost', username: env.users.app.name, password: env.passwords.app };
    for (const s of env.layout.sentinels) {
      const c = await env.connected(s.port, undefined, asApp);
      expect(await c.call('SENTINEL', 'get-master-addr-by-name', env.layout.masterName)).toEqual([
        'localhost',
        String(primary),
      ]);
      const masters = (await c.call('SENTINEL', 'MASTERS')) as string[][];
      expect(masters.map((m) => m[m.indexOf('name') + 1])).toEqual([env.layout.masterName]);
      c.disconnect();
    }
    // The replica is known to the Sentinels under the announced name too.
    const c = await env.connected(env.layout.sentinels[0].port, undefined, asApp);
    const replicas = await waitFor('the Sentinel to list the replica', 10_000, async () => {
      const r = (await c.call('SENTINEL', 'REPLICAS', env.layout.masterName)) as string[][];
      return r.length === 1 ? r : undefined;
    });
    expect(replicas[0][replicas[0].indexOf('ip') + 1]).toBe('localhost');
    // The Sentinels find each other through their announced names (a failover needs the quorum).
    const asSentinel = {
      host: 'localhost',
      username: env.users.sentinel.name,
      password: env.passwords.sentinel,
    };
    for (const s of env.layout.sentinels) {
      const peers = await waitFor(`sentinel ${s.port} to see its 2 peers`, 20_000, async () => {
        const x = await env.connected(s.port, undefined, asSentinel);
        const list = (await x.call('SENTINEL', 'SENTINELS', env.layout.masterName)) as string[][];
        x.disconnect();
        return list.length === 2 ? list : undefined;
      });
      expect(peers.map((p) => p[p.indexOf('ip') + 1])).toEqual(['localhost', 'localhost']);
    }
    console.log(
      `[hostname] 3 Sentinels on localhost report primary localhost:${primary}, its replica and each other`,
    );
  });
});

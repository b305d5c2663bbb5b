/**
 * The contract publishes every name the guides' applications read for the same setting, with the
 * same value, so none of them starts in plaintext or with a default pool against this deployment.
 */
import * as fs from 'node:fs';
import { connectionContract } from '../lib/contract';
import { deploymentFromYaml } from '../lib/deployment';

const spec = fs.readFileSync('examples/default.yaml', 'utf8');
const d = deploymentFromYaml(spec, 'default.yaml');
const ep = { host: 'h.example', port: 6380, passwordFrom: 'file:/x' };

test('every spelling of TLS, verification and pool size carries the same value', () => {
  const c = connectionContract(d.policy, d.plan, ep);
  for (const k of ['REDIS_TLS', 'REDIS_SSL', 'REDIS_USE_TLS']) expect(c[k]).toBe(c.REDIS_TLS_ENABLED);
  expect(c.REDIS_TLS_ENABLED).toBe('true');
  expect(c.REDIS_TLS_VERIFY).toBe('true');
  expect(c.REDIS_TLS_SKIP_VERIFY).toBe('false');
  expect(c.REDIS_CONNECTION_POOL_SIZE).toBe(c.REDIS_POOL_SIZE);
  expect(c.REDIS_TLS_CA_FROM).toBe('system');
  expect(connectionContract(d.policy, d.plan, { ...ep, caFrom: 'file:/etc/ca.crt' }).REDIS_TLS_CA_FROM).toBe(
    'file:/etc/ca.crt',
  );
});

test('without TLS every TLS name says false and there is no CA to fetch', () => {
  const policy = { ...d.policy, security: { ...d.policy.security, tls: false } };
  const c = connectionContract(policy, d.plan, { ...ep, caFrom: 'file:/etc/ca.crt' });
  for (const k of ['REDIS_TLS_ENABLED', 'REDIS_TLS', 'REDIS_SSL', 'REDIS_USE_TLS'])
    expect(c[k]).toBe('false');
  expect(c.REDIS_TLS_CA_FROM).toBe('none');
});

test('cluster nodes and sentinels are also numbered (REDIS_CLUSTER_NODE_n / _PORT_n, REDIS_SENTINEL_n)', () => {
  const plan = { ...d.plan, topology: { ...d.plan.topology, mode: 'cluster' as const } };
  const c = connectionContract(d.policy, plan, { ...ep, clusterNodes: ['a.example:7000', 'b.example:7001'] });
  expect(c.REDIS_CLUSTER_NODES).toBe('a.example:7000,b.example:7001');
  expect([
    c.REDIS_CLUSTER_NODE_1,
    c.REDIS_CLUSTER_PORT_1,
    c.REDIS_CLUSTER_NODE_2,
    c.REDIS_CLUSTER_PORT_2,
  ]).toEqual(['a.example', '7000', 'b.example', '7001']);
  expect(c.REDIS_CLUSTER_NODE_3).toBeUndefined();
  const s = connectionContract(d.policy, d.plan, { ...ep, sentinels: ['s1:26379', 's2:26379'] });
  expect([s.REDIS_SENTINEL_1, s.REDIS_SENTINEL_2, s.REDIS_SENTINELS]).toEqual([
    's1:26379',
    's2:26379',
    's1:26379,s2:26379',
  ]);
  expect(s.REDIS_CLUSTER_NODE_1).toBeUndefined();
});

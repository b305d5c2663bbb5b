/**
 * The contract publishes every name the guides' applications read for the same setting, with the
 * same value, so none of them starts in plaintext or with a default pool against this deployment.
 */
import * as fs from 'node:fs';
import { connectionContract, goDuration } from '../lib/contract';
import { CLIENT } from '../lib/planner/assumptions';
import { aclRules } from '../lib/redisconf';
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

test('without TLS every TLS name says false, nothing is verified and there is no CA to fetch', () => {
  const policy = { ...d.policy, security: { ...d.policy.security, tls: false } };
  const c = connectionContract(policy, d.plan, { ...ep, caFrom: 'file:/etc/ca.crt', sentinels: ['s:1'] });
  for (const k of ['REDIS_TLS_ENABLED', 'REDIS_TLS', 'REDIS_SSL', 'REDIS_USE_TLS', 'REDIS_SENTINEL_TLS'])
    expect(c[k]).toBe('false');
  // hospitality-development published REDIS_USE_TLS=false beside REDIS_TLS_VERIFY=true.
  expect(c.REDIS_TLS_VERIFY).toBe('false');
  expect(c.REDIS_TLS_SKIP_VERIFY).toBe('true');
  expect(c.REDIS_TLS_CA_FROM).toBe('none');
});

test('features the deployment lacks are published as false / empty / none, never left out', () => {
  const c = connectionContract(d.policy, d.plan, ep);
  expect(c).toMatchObject({
    REDIS_SENTINEL_ENABLED: 'false',
    REDIS_SENTINELS: '',
    REDIS_SENTINEL_MASTER: '',
    REDIS_SENTINEL_SERVICE: '',
    REDIS_SENTINEL_USERNAME: '',
    REDIS_SENTINEL_PASSWORD_FROM: 'none',
    REDIS_SENTINEL_TLS: 'false',
    REDIS_CLUSTER_ENABLED: 'false',
    REDIS_CLUSTER_NODES: '',
    REDIS_USERNAME: '',
  });
  const noAuth = { ...d.policy, security: { ...d.policy.security, auth: false } };
  const n = connectionContract(noAuth, d.plan, { ...ep, username: 'u', sentinels: ['s:1'] });
  expect([n.REDIS_PASSWORD_FROM, n.REDIS_CLUSTER_PASSWORD_FROM, n.REDIS_SENTINEL_PASSWORD_FROM]).toEqual([
    'none',
    'none',
    'none',
  ]);
  expect([n.REDIS_USERNAME, n.REDIS_SENTINEL_USERNAME]).toEqual(['', '']);
});

test('the key prefix carries its separator, so it is exactly what the ACL pattern admits', () => {
  expect(connectionContract(d.policy, d.plan, ep)).toMatchObject({
    REDIS_KEY_PREFIX: 'app:',
    REDIS_KEY_SEPARATOR: ':',
  });
  const dash = deploymentFromYaml(spec.replace('prefix: app', 'prefix: app\n  separator: "-"'), 'x.yaml');
  expect(connectionContract(dash.policy, dash.plan, ep).REDIS_KEY_PREFIX).toBe('app-');
  expect(aclRules(dash.policy).app.rules).toContain('~app-*');
  // A prefix that already ends in a separator is used as is.
  const colon = deploymentFromYaml(spec.replace('prefix: app', 'prefix: "app:v2:"'), 'x.yaml');
  expect(connectionContract(colon.policy, colon.plan, ep).REDIS_KEY_PREFIX).toBe('app:v2:');
  expect(aclRules(colon.policy).app.rules).toContain('~app:v2:*');
});

test('a separator that is not one character is refused naming the field', () => {
  for (const bad of ['"::"', '""', '"*"', 'x'])
    expect(() =>
      deploymentFromYaml(spec.replace('prefix: app', `prefix: app\n  separator: ${bad}`), 'x.yaml'),
    ).toThrow(/keyspace\.separator/);
});

test('Sentinel user, password source, TLS and master name; the app user by default', () => {
  const s = connectionContract(d.policy, d.plan, {
    ...ep,
    username: 'app-user',
    sentinels: ['s1:26379'],
    sentinelMaster: 'm1',
  });
  expect(s).toMatchObject({
    REDIS_SENTINEL_ENABLED: 'true',
    REDIS_SENTINEL_MASTER: 'm1',
    REDIS_SENTINEL_SERVICE: 'm1',
    REDIS_SENTINEL_USERNAME: 'app-user',
    REDIS_SENTINEL_PASSWORD_FROM: 'file:/x',
    REDIS_SENTINEL_TLS: 'true',
  });
  const other = connectionContract(d.policy, d.plan, {
    ...ep,
    sentinels: ['s1:26379'],
    sentinelUsername: '',
    sentinelPasswordFrom: 'k8s-secret:ns/auth:password',
  });
  expect([other.REDIS_SENTINEL_USERNAME, other.REDIS_SENTINEL_PASSWORD_FROM]).toEqual([
    '',
    'k8s-secret:ns/auth:password',
  ]);
});

test('timeouts, retries and cache defaults: one value under every spelling, each in its unit', () => {
  const c = connectionContract(d.policy, d.plan, { ...ep, failoverTimeoutMs: 7000 });
  expect(c).toMatchObject({
    REDIS_CONNECT_TIMEOUT_MS: '5000',
    REDIS_CONNECT_TIMEOUT: '5000',
    REDIS_DIAL_TIMEOUT: '5s',
    REDIS_TIMEOUT: '5',
    REDIS_COMMAND_TIMEOUT_MS: '3000',
    REDIS_COMMAND_TIMEOUT: '3000',
    REDIS_READ_TIMEOUT: '3s',
    REDIS_WRITE_TIMEOUT: '3s',
    REDIS_MAX_RETRIES: '3',
    REDIS_RETRY_MIN_DELAY_MS: '100',
    REDIS_MIN_RETRY_DELAY: '100ms',
    REDIS_RETRY_MAX_DELAY_MS: '3000',
    REDIS_MAX_RETRY_DELAY: '3s',
    REDIS_HEALTH_CHECK_INTERVAL_MS: '30000',
    REDIS_HEALTH_CHECK_INTERVAL: '30000',
    REDIS_FAILOVER_TIMEOUT_MS: '7000',
    REDIS_FAILOVER_TIMEOUT: '7000',
    // default.yaml sets no TTL: the guides' 300 s; its eviction policy is volatile-lru.
    CACHE_DEFAULT_TTL: '300',
    CACHE_TTL: '300',
    CACHE_EVICTION_POLICY: 'volatile-lru',
  });
  expect(connectionContract(d.policy, d.plan, ep).REDIS_FAILOVER_TIMEOUT_MS).toBe(
    String(CLIENT.failoverTimeoutMs.value),
  );
  expect([goDuration(1500), goDuration(60_000)]).toEqual(['1500ms', '60s']);
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

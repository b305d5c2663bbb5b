/** Every target publishes every fixed key of the connection contract; a dropped alias fails the synth. */
import { contractGaps, numberedGaps } from '../../lib/conformance/contract-check';
import { INVARIANTS } from '../../lib/conformance/invariants';
import type { TargetResult } from '../../lib/conformance/types';
import { connectionContract } from '../../lib/contract';
import { production } from './fixtures';

const full = connectionContract(production.policy, production.plan, {
  host: 'cache.internal',
  port: 6380,
  passwordFrom: 'file:/run/secrets/redis',
  caFrom: 'system',
});
const target = (id: TargetResult['target'], contract?: Record<string, string>): TargetResult => ({
  target: id,
  files: [`${id}/artifact`],
  cells: Object.fromEntries(
    INVARIANTS.map((i) => [i.id, { status: 'pass', detail: '' }]),
  ) as TargetResult['cells'],
  contract,
});

test('a complete contract has no gap', () => {
  expect(contractGaps([target('aws', full), target('self-hosted', { ...full })], production)).toEqual([]);
});

test('a dropped alias or CA source, and a target with no contract, are named', () => {
  const { REDIS_SSL: _ssl, REDIS_TLS_CA_FROM: _ca, ...partial } = full;
  expect(contractGaps([target('gcp', partial), target('opstree')], production)).toEqual([
    'gcp: the GCP contract in gcp/artifact lacks REDIS_SSL, REDIS_TLS_CA_FROM (lib/contract.ts publishes them for every platform)',
    'opstree: opstree/artifact publishes no connection contract',
  ]);
});

test('the new fixed keys are required: absent Sentinel, timeouts, cache defaults, separator', () => {
  const {
    REDIS_SENTINEL_ENABLED: _s,
    REDIS_FAILOVER_TIMEOUT_MS: _f,
    CACHE_EVICTION_POLICY: _e,
    REDIS_KEY_SEPARATOR: _k,
    ...partial
  } = full;
  expect(contractGaps([target('bitnami', partial)], production)).toEqual([
    'bitnami: the Bitnami contract in bitnami/artifact lacks REDIS_SENTINEL_ENABLED, REDIS_KEY_SEPARATOR, REDIS_FAILOVER_TIMEOUT_MS, CACHE_EVICTION_POLICY (lib/contract.ts publishes them for every platform)',
  ]);
});

test('numbered keys must match the lists they number; a complete numbered contract passes', () => {
  const numbered = connectionContract(
    production.policy,
    { ...production.plan, topology: { ...production.plan.topology, mode: 'cluster' } },
    {
      host: 'n1',
      port: 7000,
      clusterNodes: ['n1:7000', 'n2:7001', 'n10:7010'],
      sentinels: ['s1:26379', 's2:26380'],
      passwordFrom: 'p',
    },
  );
  expect(contractGaps([target('self-hosted', numbered)], production)).toEqual([]);
  // The report reader once dropped every key with a digit: such a contract must not pass.
  const noDigits = Object.fromEntries(Object.entries(numbered).filter(([k]) => !/\d/.test(k)));
  expect(contractGaps([target('self-hosted', noDigits)], production)).toEqual([
    'self-hosted: the self-hosted contract in self-hosted/artifact lacks REDIS_CLUSTER_NODE_1 (n1), REDIS_CLUSTER_PORT_1 (7000), REDIS_CLUSTER_NODE_2 (n2), REDIS_CLUSTER_PORT_2 (7001), REDIS_CLUSTER_NODE_3 (n10), REDIS_CLUSTER_PORT_3 (7010), REDIS_SENTINEL_1 (s1:26379), REDIS_SENTINEL_2 (s2:26380) (lib/contract.ts publishes them for every platform)',
  ]);
  expect(numberedGaps({ ...numbered, REDIS_CLUSTER_PORT_3: '7011' })).toEqual([
    'REDIS_CLUSTER_PORT_3 (7010)',
  ]);
});

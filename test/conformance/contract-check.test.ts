/** Every target publishes every fixed key of the connection contract; a dropped alias fails the synth. */
import { contractGaps } from '../../lib/conformance/contract-check';
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

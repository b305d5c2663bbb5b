/**
 * The report's contract table shows every key of every contract, numbered ones included: the
 * self-hosted reader once kept only /^[A-Z_]+=/ lines, so REDIS_CLUSTER_NODE_1 and REDIS_SENTINEL_1
 * were blank in the report although contract.env had them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { selfHostedContract as readContractEnv } from '../../lib/conformance/selfhosted';
import { INVARIANTS } from '../../lib/conformance/invariants';
import type { TargetResult } from '../../lib/conformance/types';
import type { Deployment } from '../../lib/deployment';
import type { Plan } from '../../lib/planner/types';
import { resolvePolicy } from '../../lib/policy/resolve';
import { contractTable } from '../../lib/report/model';
import { buildSelfHosted } from '../../lib/selfhosted/render';
import { parseSpec } from '../../lib/spec/load';
import { fakePlan } from '../redisconf/fixtures';

const yaml = fs.readFileSync(path.join(__dirname, '../../examples/default.yaml'), 'utf8');

function rendered(topology: Partial<Plan['topology']>): Record<string, string> {
  const spec = parseSpec(yaml, 'default.yaml');
  const d: Deployment = {
    spec,
    policy: resolvePolicy(spec, 'default.yaml'),
    plan: fakePlan(topology),
    id: spec.name,
    source: 'default.yaml',
  };
  return Object.fromEntries(buildSelfHosted(d).files.map((f) => [f.name, f.content]));
}

const result = (contract: Record<string, string>): TargetResult => ({
  target: 'self-hosted',
  files: ['self-hosted/contract.env'],
  cells: Object.fromEntries(
    INVARIANTS.map((i) => [i.id, { status: 'pass', detail: '' }]),
  ) as TargetResult['cells'],
  contract,
});

/** What contract.env says, line by line, independent of the reader under test. */
function linesOf(env: string): Array<[string, string]> {
  return env
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]);
}

test.each([
  ['cluster 3+3', { mode: 'cluster' as const, shards: 3, replicasPerShard: 1 }, 'REDIS_CLUSTER_NODE_6'],
  ['Sentinel', { mode: 'replication' as const, replicasPerShard: 2 }, 'REDIS_SENTINEL_3'],
])('%s: every contract.env line is a row of the report with its value', (_name, topology, numbered) => {
  const files = rendered(topology);
  const table = contractTable([result(readContractEnv(files)!)]);
  const rows = new Map(table.rows.map((r) => [r[0], r[1]]));
  const lines = linesOf(files['contract.env']);
  expect(lines.map(([k]) => k)).toContain(numbered);
  for (const [k, v] of lines) expect([k, rows.get(k)]).toEqual([k, v]);
  expect(rows.size).toBe(lines.length);
});

test('the reader keeps names with digits and lower case, skips comments and blank lines', () => {
  expect(
    readContractEnv({ 'contract.env': '# c\n\nREDIS_SENTINEL_1=a:1\nredis_x2=y\nA=b=c\n 1BAD=x\n' }),
  ).toEqual({ REDIS_SENTINEL_1: 'a:1', redis_x2: 'y', A: 'b=c' });
});

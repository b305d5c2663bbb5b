/**
 * The Kubernetes row of the platform table shows what each flavor runs and costs: the OpsTree
 * RedisCluster (3 leaders at least) and the Bitnami chart (one primary, Sentinel pods) differ from
 * the plan's shards x (1 + replicas), so one figure cannot be right for both.
 */
import { fromSpec } from '../../lib/deployment';
import { choiceTable } from '../../lib/report/model';
import { usd } from '../../lib/numbers';
import { validateSpec } from '../../lib/spec/load';

const d = fromSpec(validateSpec({ name: 'fix', profile: 'production', workload: { datasetGb: 2 } }));

test('the Kubernetes row names both flavors with their monthly cost and pods', () => {
  const row = choiceTable(d).rows.find((r) => r[0] === 'kubernetes')!;
  const why = row[row.length - 1];
  const { opstree, bitnami } = d.plan.kubernetesLayouts;
  // A one-replica plan: OpsTree runs 3 leaders + 3 followers, Bitnami 3 Redis+Sentinel pods.
  expect(opstree.pods).toBe(6);
  expect(bitnami.pods).toBe(3);
  expect(opstree.monthlyCostUsd).not.toBe(bitnami.monthlyCostUsd);
  expect(why).toContain(`opstree ${usd(opstree.monthlyCostUsd)}/month`);
  expect(why).toContain(`bitnami ${usd(bitnami.monthlyCostUsd)}/month`);
  expect(why).toContain('3 leader(s) + 3 follower(s) = 6 pod(s)');
  expect(why).toContain('3 Redis+Sentinel pod(s)');
});

test('other platforms keep their own reason only', () => {
  const row = choiceTable(d).rows.find((r) => r[0] === 'aws')!;
  expect(row[row.length - 1]).toBe(d.plan.choices.aws.reason);
  expect(row[row.length - 1]).not.toMatch(/per flavor/);
});

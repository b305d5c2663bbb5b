/**
 * The report prices the plan's choice; these read SKU, shards and replicas back from the artifacts and
 * flag an artifact that creates something else (a changed node type, a lost shard, HA switched off).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sizingMismatches } from '../../lib/conformance/sizing';
import { fromSpec } from '../../lib/deployment';
import { validateSpec } from '../../lib/spec/load';

const d = fromSpec(
  validateSpec({ name: 'fix', profile: 'production', workload: { datasetGb: 12, peakOpsPerSecond: 50_000 } }),
);
const c = d.plan.choices;

/** Artifacts shaped like the adapters' output, sized from the plan. */
function artifacts() {
  const gcp: { type: string; inputs: Record<string, unknown> } =
    c.gcp.service === 'memorystore-cluster'
      ? {
          type: 'gcp:redis/cluster:Cluster',
          inputs: { nodeType: c.gcp.sku, shardCount: c.gcp.shards, replicaCount: c.gcp.replicasPerShard },
        }
      : {
          type: 'gcp:redis/instance:Instance',
          inputs: {
            tier: c.gcp.sku.split(' ')[0],
            memorySizeGb: Number(c.gcp.sku.split(' ')[1]),
            ...(c.gcp.replicasPerShard > 1 ? { replicaCount: c.gcp.replicasPerShard } : {}),
          },
        };
  return {
    'aws/fix.template.json': {
      Resources: {
        Rg: {
          Type: 'AWS::ElastiCache::ReplicationGroup',
          Properties: {
            CacheNodeType: c.aws.sku,
            NumNodeGroups: c.aws.shards,
            ReplicasPerNodeGroup: c.aws.replicasPerShard,
          },
        },
      },
    },
    'pulumi/gcp.json': { resources: [{ name: 'g', ...gcp }] },
    'pulumi/azure-premium.json': {
      resources: [
        {
          type: 'azure-native:redis:Redis',
          name: 'r',
          inputs: {
            sku: {
              name: 'Premium',
              family: c['azure-premium'].sku[0],
              capacity: Number(c['azure-premium'].sku.slice(1)),
            },
            shardCount: c['azure-premium'].shards,
            replicasPerMaster: c['azure-premium'].replicasPerShard,
          },
        },
      ],
    },
    'pulumi/azure-managed.json': {
      resources: [
        {
          type: 'azure-native:redisenterprise:RedisEnterprise',
          name: 'e',
          inputs: { sku: { name: c['azure-managed'].sku }, highAvailability: 'Enabled' },
        },
      ],
    },
  } as unknown as Record<
    string,
    { resources?: Array<{ inputs: Record<string, unknown> }>; Resources?: unknown }
  >;
}

function mismatches(files: ReturnType<typeof artifacts>): string[] {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sizing-'));
  try {
    for (const [rel, doc] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), JSON.stringify(doc));
    }
    return sizingMismatches(root, d);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

test('artifacts sized as planned: no mismatch', () => {
  expect(Object.values(c).every((x) => x.available)).toBe(true);
  expect(mismatches(artifacts())).toEqual([]);
});

test('flags a changed node type, a lost shard, fewer replicas and HA switched off', () => {
  const files = artifacts();
  const rg = (
    files['aws/fix.template.json'].Resources as Record<string, { Properties: Record<string, unknown> }>
  ).Rg.Properties;
  rg.CacheNodeType = 'cache.t4g.micro';
  const premium = files['pulumi/azure-premium.json'].resources![0].inputs;
  premium.shardCount = Number(premium.shardCount ?? 1) + 1;
  const gcp = files['pulumi/gcp.json'].resources![0].inputs;
  if ('nodeType' in gcp) gcp.replicaCount = 0;
  else gcp.tier = 'BASIC';
  files['pulumi/azure-managed.json'].resources![0].inputs.highAvailability = 'Disabled';
  const found = mismatches(files);
  expect(found.map((m) => m.split(':')[0]).sort()).toEqual(['aws', 'azure-managed', 'azure-premium', 'gcp']);
  expect(found.find((m) => m.startsWith('aws'))).toMatch(
    new RegExp(
      `creates cache\\.t4g\\.micro x .*; the plan and the report price ${c.aws.sku.replace(/\./g, '\\.')} x`,
    ),
  );
});

test('a missing main resource is a mismatch, not a pass', () => {
  const files = artifacts();
  files['pulumi/azure-managed.json'].resources = [];
  expect(mismatches(files)).toEqual([expect.stringMatching(/^azure-managed: .* creates nothing;/)]);
});

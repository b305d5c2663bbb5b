import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatPlan } from '../../lib/cli/plan-format';
import { deploymentFromYaml, loadDeployment } from '../../lib/deployment';
import { isSpecError } from '../../lib/errors';
import { GB, MEMORY } from '../../lib/planner/assumptions';
import { PLATFORM_IDS } from '../../lib/planner/types';
import { sizingTables } from '../../lib/report/model';

const root = path.join(__dirname, '..', '..');
const example = (name: string) => path.join(root, 'examples', `${name}.yaml`);

/** An example with a sizing block (and optionally other lines) inserted before keyspace. */
function withSizing(name: string, sizing: string, extra = ''): string {
  const text = fs.readFileSync(example(name), 'utf8').replace(/^sizing:\n(?: {2}.*\n)+/m, '');
  return text.replace(/^keyspace:/m, `sizing:\n${sizing}\n${extra}keyspace:`);
}

function specError(yaml: string): string {
  try {
    deploymentFromYaml(yaml, 's.yaml');
  } catch (e) {
    if (isSpecError(e)) return e.message;
    throw e;
  }
  return '';
}

describe('sizing pins the capacity on purpose', () => {
  const reason = '  reason: "follow the ops team budget tier"';

  test('the pinned memory replaces the derived need, and the derivation stays visible beside it', () => {
    const d = deploymentFromYaml(withSizing('default', `  memoryGb: 12\n${reason}`));
    const derived = loadDeployment(example('default')).plan.memory.neededBytes;
    expect(d.plan.memory.neededBytes).toBe(12 * GB);
    expect(d.plan.sizing).toMatchObject({ memoryGb: 12, derivedNeededBytes: derived });
    const last = d.plan.memory.factors[d.plan.memory.factors.length - 1];
    expect(last).toMatchObject({ name: 'pinned by sizing', kind: 'pin', bytesAfter: 12 * GB });
    expect(last.why).toContain('follow the ops team budget tier');
    // Every platform holds the pinned size, not the (smaller) derived one.
    for (const p of PLATFORM_IDS) {
      const c = d.plan.choices[p];
      expect(c.available).toBe(true);
      expect(c.memoryGbPerShard * c.shards * GB).toBeGreaterThanOrEqual(
        d.plan.memory.neededBytes * (1 - MEMORY.reserve.value) - 1,
      );
    }
    const table = sizingTables(d).find((t) => t.title.startsWith('Pinned sizing'));
    expect(table?.rows[0]).toEqual(['memory', '12.00 GB', expect.stringMatching(/ GB$/)]);
  });

  test('pinned shards are exact on every platform that runs a cluster', () => {
    const d = deploymentFromYaml(withSizing('platform-cache', `  memoryGb: 40\n  shards: 5\n${reason}`));
    expect(d.plan.topology).toMatchObject({ mode: 'cluster', shards: 5 });
    for (const p of ['aws', 'gcp', 'kubernetes'] as const) expect(d.plan.choices[p].shards).toBe(5);
    expect(d.plan.topology.reason).toMatch(/shards = 5 pinned by sizing \(derived: >= \d+/);
  });

  test('a pin below the derived need is allowed and said in a note naming the eviction policy', () => {
    const d = loadDeployment(example('hospitality-development'));
    expect(d.plan.sizing?.memoryGb).toBe(2);
    expect(d.plan.notes.join('\n')).toMatch(
      /The pinned 2\.00 GB is \d+% below the derived need: .* keys are evicted \(allkeys-lru\)/,
    );
    // The guide's row is compared with the derived need, not with the pin.
    expect(d.plan.notes.join('\n')).not.toMatch(/derived need of 2\.00 GB/);
  });

  test('replicas pinned in one place only', () => {
    expect(
      specError(
        withSizing(
          'default',
          `  memoryGb: 4\n  replicas: 2\n${reason}`,
          'availability:\n  replicasPerShard: 1\n',
        ),
      ),
    ).toMatch(/^s\.yaml: sizing\.replicas: got 2; availability\.replicasPerShard says 1/);
    const d = deploymentFromYaml(withSizing('default', `  memoryGb: 4\n  replicas: 2\n${reason}`));
    expect(d.plan.topology.replicasPerShard).toBe(2);
  });

  test.each([
    [
      'shards above 1 on a one-shard topology',
      `  memoryGb: 4\n  shards: 3\n${reason}`,
      'availability:\n  topology: replication\n',
      /sizing\.shards: got 3; topology replication has one shard/,
    ],
    ['no reason', '  memoryGb: 4', '', /sizing\.reason/],
    ['a short reason', '  memoryGb: 4\n  reason: short', '', /sizing\.reason: got "short"; expected >= 10/],
    ['zero memory', `  memoryGb: 0\n${reason}`, '', /sizing\.memoryGb: got 0/],
    ['an unknown key', `  memoryGb: 4\n  nodes: 3\n${reason}`, '', /sizing\.nodes: got 3; unknown key/],
  ])('%s is one line naming the field', (_name, sizing, extra, message) => {
    const err = specError(withSizing('default', sizing, extra));
    expect(err).toMatch(message);
    expect(err).not.toContain('\n');
  });

  test.each([
    ['production', 16],
    ['staging', 4],
    ['development', 2],
  ])('hospitality %s follows the guide tier (%d GB) and shows the derived need beside it', (tier, gb) => {
    const d = loadDeployment(example(`hospitality-${tier}`));
    expect(d.plan.memory.neededBytes).toBe(gb * GB);
    expect(d.plan.sizing?.reason).toMatch(/Guide 003/);
    const out = formatPlan(d);
    expect(out).toMatch(new RegExp(`memory\\s+${gb}\\.00 GB\\s+\\d+\\.\\d\\d GB`));
  });
});

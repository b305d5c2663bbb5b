import { fromSpec } from '../../lib/deployment';
import { validateSpec } from '../../lib/spec/load';

const plan = (workload: Record<string, number>, availability: Record<string, unknown> = {}) =>
  fromSpec(validateSpec({ name: 'adhoc', profile: 'production', workload, availability }), 'flags').plan;

describe("the guide's device rows: topology and connections are followed or the plan says why", () => {
  test('100,000 devices on one primary: one note with the reason and how to follow the row', () => {
    const notes = plan({ devices: 100_000 }).notes.filter((n) => n.includes('primaries +'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(
      /^The guide's row runs 3 primaries \+ 3 replicas; this plan runs replication, because [\d.]+ GB of data and [\d,]+ ops\/s fit one primary \(cluster from 100 GB or 100,000 ops\/s per shard\)\. To follow the row, set availability\.topology: cluster and availability\.minShards: 3\.$/,
    );
  });

  test('following the row (cluster, 3 shards) leaves no topology note', () => {
    const p = plan({ devices: 100_000 }, { topology: 'cluster', minShards: 3 });
    expect(p.topology).toMatchObject({ mode: 'cluster', shards: 3 });
    expect(p.notes.join('\n')).not.toMatch(/primaries \+/);
  });

  test("a connection budget above the plan's maxclients says where the clients come from", () => {
    const p = plan({ devices: 500_000, concurrentRequests: 100, applicationReplicas: 2 });
    const note = p.notes.find((n) => n.startsWith("The guide's row budgets 5,000 connections"));
    expect(note).toMatch(
      /pool \d+ x 2 application replicas \+ operational\), so maxclients is 1,000\. Raise workload\.concurrentRequests \(per application replica\)/,
    );
    // Enough application load plans for the row's clients, and the note goes away.
    const big = plan({ devices: 500_000, concurrentRequests: 2_000, applicationReplicas: 8 });
    expect(big.connections.maxclients).toBeGreaterThanOrEqual(5_000);
    expect(big.notes.join('\n')).not.toMatch(/budgets 5,000 connections/);
  });

  test('the pool reason says concurrentRequests is per application replica and why the formula wins', () => {
    expect(plan({ devices: 10_000, concurrentRequests: 300 }).connections.poolReason).toMatch(
      /^300 concurrent requests per application replica x \d+ calls \/ 10 = \d+ \(guide 001's formula, which follows the calls per request; its table says 25 for 300 concurrent users\)$/,
    );
  });
});

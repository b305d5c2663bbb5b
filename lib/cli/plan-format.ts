/** Human-readable rendering of a plan for the terminal (also reused by report.md). */
import type { Deployment } from '../deployment';
import { PLATFORM_IDS } from '../planner/types';
import {
  frontierTable,
  pinnedSizingTable,
  pricingTitle,
  referenceRowText,
  sizingTables,
} from '../report/model';
import { bytes, int, table, usd } from './format';

/**
 * The cost frontier as the terminal shows it: one block per platform (the cells are too long for
 * one table row), the cheapest way to pay marked, then the serverless assumption when AWS is priced.
 */
function frontierLines(d: Deployment): string[] {
  const t = frontierTable(d);
  const out = [t.title];
  for (const row of t.rows) {
    out.push(`  ${row[0]}:`);
    for (let i = 1; i < row.length; i++) if (row[i] !== '-') out.push(`    ${t.headers[i]}: ${row[i]}`);
  }
  const s = d.plan.choices.aws.frontier?.serverless;
  if (s) out.push(`  serverless: ${s.reason}`);
  return out;
}

export function formatPlan(d: Deployment): string {
  const { plan, policy } = d;
  const out: string[] = [];
  out.push(
    `Plan for ${policy.name} (${policy.profile}, ${policy.engine} ${policy.engineVersion}) from ${d.source}`,
  );
  out.push('');
  out.push('Need');
  // The same workload and memory tables as the report (lib/report/model.ts).
  const [workload, memory] = sizingTables(d);
  for (const t of [workload, memory]) out.push(table(t.headers, t.rows), '');
  if (plan.sizing) {
    const pinned = pinnedSizingTable(d);
    out.push(pinned.title, table(pinned.headers, pinned.rows), '');
  }
  out.push(
    `Memory needed: ${bytes(plan.memory.neededBytes)}; maxmemory per shard: ${bytes(plan.memory.maxmemoryBytesPerShard)}`,
  );
  out.push(
    `Topology: ${plan.topology.mode}, ${plan.topology.shards} shard(s) x ${plan.topology.replicasPerShard} replica(s): ${plan.topology.reason}`,
  );
  const c = plan.connections;
  out.push(
    `Connections: pool ${c.poolSize} (min idle ${c.minIdle}) per app replica x ${c.applicationReplicas} = ${int(c.expectedClients)} expected clients; maxclients ${int(c.maxclients)}. Pool: ${c.poolReason}`,
  );
  out.push('');
  out.push(`Choices (${pricingTitle(d)})`);
  out.push(
    table(
      ['platform', 'service', 'sku', 'shards x nodes', 'GB/shard', 'monthly', 'region'],
      PLATFORM_IDS.map((p) => {
        const ch = plan.choices[p];
        if (!ch.available) return [p, ch.service, 'none fits', '-', '-', 'n/a', ch.region];
        return [
          p,
          ch.service,
          ch.sku,
          ch.pricing === 'serverless' ? 'serverless' : `${ch.shards} x ${ch.nodes / ch.shards}`,
          ch.memoryGbPerShard.toFixed(2),
          usd(ch.monthlyCostUsd),
          ch.region,
        ];
      }),
    ),
  );
  out.push('');
  out.push(...frontierLines(d));
  out.push('');
  out.push('Why');
  for (const p of PLATFORM_IDS) out.push(`  ${p}: ${plan.choices[p].reason}`);
  const prem = plan.choices['azure-premium'];
  if (prem.extra?.managedEquivalent) {
    out.push(
      `  azure: Premium ${prem.sku} maps to Managed Redis ${prem.extra.managedEquivalent} (Microsoft's mapping); the planner's own Managed Redis choice is ${plan.choices['azure-managed'].sku}.`,
    );
  }
  out.push('');
  out.push(
    `Reference row (guides): ${plan.reference ? referenceRowText(plan.reference) : 'none for a stated dataset size'}`,
  );
  for (const n of plan.notes) out.push(`Note: ${n}`);
  if (policy.waivers.length) {
    out.push('');
    out.push('Waivers');
    for (const w of policy.waivers) out.push(`  ${w.rule}: ${w.detail}. Reason: ${w.reason}`);
  }
  return out.join('\n') + '\n';
}

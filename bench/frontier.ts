/**
 * Cost-frontier bench: for every reference capacity row of the guides and every platform, the
 * planner's on-demand, best 1-year, best 3-year and (AWS) ElastiCache Serverless monthly cost,
 * against the brute force of bench/brute.ts over the same option space (every node type / SKU /
 * capacity x shard count x term x payment option, priced at the catalog's effective hourly rate; the
 * on-demand column is the very search the sizing section runs) and the serverless formula written
 * here from the catalog's serverless prices. Both read only the catalogs (injected, so a test can use
 * a tiny one) and the planner's published assumptions, never lib/planner/select.ts or
 * lib/planner/cost.ts.
 *
 * Rules (also in docs/bench.md): a term's price is the cheapest fitting option at any payment
 * option of that term (bruteForceTerm); serverless = max(minimum, derived need GB) x dataGbHourUsd x
 * 730 + peak ops x ECPU per request x 3600 x 730 / 1e6 x ecpuPerMillionUsd, and is left out of
 * "cheapest" when the workload exceeds its limits.
 */
import type { CommitTerm } from '../lib/catalog';
import type { Deployment } from '../lib/deployment';
import { GB, MONTH_HOURS, SERVERLESS } from '../lib/planner/assumptions';
import { PLATFORM_IDS, type PlatformId } from '../lib/planner/types';
import { bruteForce, bruteForceTerm, needOf, realCatalogs, TERMS, type BruteCatalogs } from './brute';
import { productionDeployment, referenceSizings } from './sizing';

/** What serverless needs from a deployment. */
export interface ServerlessNeed {
  engine: 'redis' | 'valkey';
  /** The derived memory need (before any sizing pin), bytes. */
  neededBytes: number;
  peakOps: number;
  datasetBytes: number;
  datasetKeys: number;
}

export function serverlessNeedOf(d: Deployment): ServerlessNeed {
  return {
    engine: d.policy.engine,
    neededBytes: d.plan.sizing?.derivedNeededBytes ?? d.plan.memory.neededBytes,
    peakOps: d.plan.throughput.peakOpsPerSecond,
    datasetBytes: d.plan.dataset.bytes,
    datasetKeys: d.plan.dataset.keys,
  };
}

/** ElastiCache Serverless by the catalog formula, and whether the workload is within its limits. */
export function bruteForceServerless(
  n: ServerlessNeed,
  cats: BruteCatalogs,
): { monthly: number; withinLimits: boolean } {
  const p = cats.serverlessPricing(n.engine);
  const gb = Math.max(p.minimumDataGb, n.neededBytes / GB);
  const kb = n.datasetBytes / n.datasetKeys / SERVERLESS.kilobyte.value;
  const ecpuPerSecond = n.peakOps * Math.max(1, kb * p.ecpuPerKb);
  const ecpuPerMonth = ecpuPerSecond * SERVERLESS.sustainedShareOfPeak.value * 3600 * MONTH_HOURS;
  return {
    monthly: gb * p.dataGbHourUsd * MONTH_HOURS + (ecpuPerMonth / 1e6) * p.ecpuPerMillionUsd,
    withinLimits: n.neededBytes / GB <= p.maxDataGb && ecpuPerSecond <= p.maxEcpuPerSecond,
  };
}

type Figure = number | null;
const round2 = (n: number) => Math.round(n * 100) / 100;

export interface FrontierResult {
  kind: 'devices' | 'organizations';
  size: number;
  platform: PlatformId;
  planner: {
    onDemand: Figure;
    '1y': Figure;
    '3y': Figure;
    serverless: Figure;
    payments: Partial<Record<CommitTerm, string>>;
    breakEven: Partial<Record<CommitTerm, number | null>>;
    cheapest: string | null;
    savingPct: number | null;
  };
  bruteForce: { onDemand: Figure; '1y': Figure; '3y': Figure; serverless: Figure; cheapest: string | null };
  /** planner / brute force per column (1.00 = agrees); null when both have nothing. */
  ratios: Record<'onDemand' | '1y' | '3y' | 'serverless', number | null>;
  /** Every column agrees within a cent (or both have nothing) and both name the same cheapest basis. */
  agrees: boolean;
}

const COLUMNS = ['onDemand', '1y', '3y', 'serverless'] as const;

/** The cheapest basis of a set of figures (serverless only when within its limits). */
function cheapestOf(f: Record<(typeof COLUMNS)[number], Figure>, serverlessOk: boolean): string | null {
  const cands: Array<[string, number]> = [];
  if (f.onDemand !== null) cands.push(['on-demand', f.onDemand]);
  if (f.onDemand === null) return null;
  for (const t of TERMS) if (f[t] !== null) cands.push([t, f[t]]);
  if (f.serverless !== null && serverlessOk) cands.push(['serverless', f.serverless]);
  return cands.reduce((a, b) => (b[1] < a[1] - 0.005 ? b : a))[0];
}

/** One deployment's frontier on one platform: the planner's figures beside the brute force's. */
export function compareFrontier(
  d: Deployment,
  platform: PlatformId,
  cats: BruteCatalogs = realCatalogs(),
): Omit<FrontierResult, 'kind' | 'size'> {
  const c = d.plan.choices[platform];
  const f = c.frontier;
  const planner = {
    onDemand: f?.onDemandMonthlyUsd ?? null,
    '1y': f?.committed['1y']?.monthlyCostUsd ?? null,
    '3y': f?.committed['3y']?.monthlyCostUsd ?? null,
    serverless: f?.serverless?.monthlyCostUsd ?? null,
    payments: Object.fromEntries(
      TERMS.flatMap((t) => (f?.committed[t] ? [[t, f.committed[t].payment]] : [])),
    ),
    breakEven: Object.fromEntries(
      TERMS.flatMap((t) => (f?.committed[t] ? [[t, f.committed[t].breakEvenMonth]] : [])),
    ),
    cheapest: f?.cheapest?.basis ?? null,
    savingPct: f?.cheapest?.savingPct ?? null,
  };
  const need = needOf(d);
  const od = bruteForce(need, platform, 'on-demand', cats)?.monthlyUsd;
  const terms = Object.fromEntries(
    TERMS.map((t) => [t, od === undefined ? undefined : bruteForceTerm(need, platform, t, cats)?.monthly]),
  ) as Record<CommitTerm, number | undefined>;
  const sls = platform === 'aws' ? bruteForceServerless(serverlessNeedOf(d), cats) : undefined;
  const brute = {
    onDemand: od === undefined ? null : round2(od),
    '1y': terms['1y'] === undefined ? null : round2(terms['1y']),
    '3y': terms['3y'] === undefined ? null : round2(terms['3y']),
    serverless: sls ? round2(sls.monthly) : null,
  };
  const bruteCheapest = cheapestOf(brute, sls?.withinLimits ?? false);
  const ratios = Object.fromEntries(
    COLUMNS.map((k) => {
      const [p, b] = [planner[k], brute[k]];
      return [k, p === null || b === null || b === 0 ? null : round2(p / b)];
    }),
  ) as FrontierResult['ratios'];
  const same = COLUMNS.every((k) =>
    planner[k] === null || brute[k] === null
      ? planner[k] === brute[k]
      : Math.abs(planner[k]! - brute[k]!) <= 0.011,
  );
  return {
    platform,
    planner,
    bruteForce: { ...brute, cheapest: bruteCheapest },
    ratios,
    agrees: same && planner.cheapest === bruteCheapest,
  };
}

/** Every reference row x every platform, planned for a production spec of that workload. */
export function frontierTable(cats: BruteCatalogs = realCatalogs()): FrontierResult[] {
  const replicas = productionDeployment('devices', 1000).policy.availability.replicasPerShard;
  return referenceSizings(replicas).flatMap((ref) => {
    const d = productionDeployment(ref.kind, ref.size);
    return PLATFORM_IDS.map((p) => ({ kind: ref.kind, size: ref.size, ...compareFrontier(d, p, cats) }));
  });
}

export interface FrontierSummary {
  rows: number;
  agree: number;
  /** How often each basis is the cheapest. */
  cheapest: Record<string, number>;
  /** Pairs where a commitment is offered, and where serverless is within its limits. */
  committedOffered: number;
  serverlessPriced: number;
}

export function summarizeFrontier(rows: FrontierResult[]): FrontierSummary {
  const cheapest: Record<string, number> = {};
  for (const r of rows)
    if (r.planner.cheapest) cheapest[r.planner.cheapest] = (cheapest[r.planner.cheapest] ?? 0) + 1;
  return {
    rows: rows.length,
    agree: rows.filter((r) => r.agrees).length,
    cheapest,
    committedOffered: rows.filter((r) => r.planner['1y'] !== null || r.planner['3y'] !== null).length,
    serverlessPriced: rows.filter((r) => r.planner.serverless !== null).length,
  };
}

/**
 * Sizing bench: for every reference capacity row of the guides (lib/catalog/data/reference.json) and
 * every platform, compare
 * - the planner's choice for a production spec with that workload (fromSpec),
 * - the reference table's OWN sizing (its memory, primaries and replicas) priced from the same catalog,
 * - the cheapest fitting option on-demand found by the brute force of bench/brute.ts, written
 *   independently of lib/planner/select.ts (it reads only the catalogs and the planner's published
 *   assumptions). The reference sizing is priced by the same per-platform pricers (PRICERS).
 *
 * Pricing rule for the reference sizing (also in docs/bench.md): each of the row's primaries holds
 * memoryGb / primaries of data; on each platform take the cheapest catalog node (or SKU, or capacity)
 * whose USABLE memory (what maxmemory may be, after the platform's reserve, the same usable share the
 * planner uses) holds that, and pay for primaries x (1 + replicas) nodes. Rows without primaries
 * (organizations) are one primary with the production policy's replicas. The reference is held to
 * the same client count as the plan and to the same production exclusions (no burstable or
 * shared-core nodes, no data-tiering or flash tiers).
 */
import { referenceCatalog } from '../lib/catalog';
import { fromSpec, type Deployment } from '../lib/deployment';
import { GB } from '../lib/planner/assumptions';
import { PLATFORM_IDS, type PlatformId } from '../lib/planner/types';
import { validateSpec } from '../lib/spec/load';
import { askOf, bruteForce, dataNeedBytes, needOf, PRICERS, type Priced } from './brute';

export interface ReferenceSizing {
  kind: 'devices' | 'organizations';
  size: number;
  memoryGb: number;
  primaries: number;
  replicasPerPrimary: number;
  /** True when the row states primaries and replicas; false when the policy's defaults were used. */
  statedTopology: boolean;
}

/** Every reference capacity row, with the production policy's replicas where the row states none. */
export function referenceSizings(defaultReplicas: number): ReferenceSizing[] {
  const ref = referenceCatalog();
  return [
    ...ref.devices.map((r) => ({
      kind: 'devices' as const,
      size: r.devices,
      memoryGb: r.memoryGb,
      primaries: r.primaries,
      replicasPerPrimary: r.replicasPerPrimary,
      statedTopology: true,
    })),
    ...ref.organizations.map((r) => ({
      kind: 'organizations' as const,
      size: r.organizations,
      memoryGb: r.memoryGb,
      primaries: 1,
      replicasPerPrimary: defaultReplicas,
      statedTopology: false,
    })),
  ];
}

/** The reference sizing priced on one platform (undefined when the platform cannot offer that shape). */
export function priceReference(
  d: Deployment,
  ref: ReferenceSizing,
  platform: PlatformId,
): Priced | undefined {
  return PRICERS[platform](
    askOf(needOf(d), {
      perShardBytes: (ref.memoryGb * GB) / ref.primaries,
      shards: ref.primaries,
      cluster: ref.primaries > 1,
      replicasPerShard: ref.replicasPerPrimary,
    }),
  );
}

export function productionDeployment(kind: 'devices' | 'organizations', size: number): Deployment {
  return fromSpec(
    validateSpec(
      { name: `bench-${kind}-${size}`, profile: 'production', workload: { [kind]: size } },
      'bench',
    ),
    'bench',
  );
}

export interface SizingResult {
  kind: 'devices' | 'organizations';
  size: number;
  platform: PlatformId;
  /** The derived need the plan must hold (data incl. fragmentation and growth headroom), GB. */
  needGb: number;
  planner: Priced & { available: boolean; headroomPct: number };
  reference: (Priced & { headroomPct: number }) | { unavailable: string };
  referenceShape: string;
  bruteForce: Priced | undefined;
  /** planner / brute force (1.00 = the planner found the cheapest fitting option). */
  ratioToBruteForce: number | undefined;
  /** planner / reference sizing. */
  ratioToReference: number | undefined;
  /**
   * meetsNeed: the planner's usable memory holds the derived need (which already carries the policy's
   * growth headroom). referenceMeetsNeed: the same for the reference sizing; when it is false the row
   * under-provisions and "not above the reference" is not a fair comparison (reported, not checked).
   */
  checks: {
    meetsNeed: boolean;
    referenceMeetsNeed: boolean | undefined;
    notAboveReference: boolean | undefined;
    cheapestFitting: boolean;
  };
}

/** Headroom of usable memory over the need, in percent (negative: the need does not fit). */
export function headroomPct(usableGb: number, needGb: number): number {
  return Math.round((usableGb / needGb - 1) * 1000) / 10;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function sizeOne(ref: ReferenceSizing, platform: PlatformId): SizingResult {
  return compare(productionDeployment(ref.kind, ref.size), ref, platform);
}

/** Compare one deployment's plan for one platform with the reference sizing and the brute force. */
export function compare(d: Deployment, ref: ReferenceSizing, platform: PlatformId): SizingResult {
  const needGb = dataNeedBytes(d) / GB;
  const c = d.plan.choices[platform];
  const plannerUsable = c.memoryGbPerShard * c.shards;
  const planner = {
    label: c.sku,
    shards: c.shards,
    nodes: c.nodes,
    usableGb: plannerUsable,
    monthlyUsd: c.monthlyCostUsd,
    available: c.available,
    headroomPct: headroomPct(plannerUsable, needGb),
  };
  const refPriced = priceReference(d, ref, platform);
  const brute = bruteForce(needOf(d), platform, 'on-demand');
  const ratioToBruteForce = brute && c.available ? round2(c.monthlyCostUsd / brute.monthlyUsd) : undefined;
  const ratioToReference =
    refPriced && c.available ? round2(c.monthlyCostUsd / refPriced.monthlyUsd) : undefined;
  // memoryGbPerShard is rounded to 0.01 GB for display: allow that rounding.
  const meetsNeed = c.available && (c.memoryGbPerShard + 0.005) * c.shards >= needGb;
  const referenceMeetsNeed = refPriced ? refPriced.usableGb >= needGb : undefined;
  return {
    kind: ref.kind,
    size: ref.size,
    platform,
    needGb,
    planner,
    reference: refPriced
      ? { ...refPriced, headroomPct: headroomPct(refPriced.usableGb, needGb) }
      : { unavailable: `no ${platform} option has that shape (${shape(ref)})` },
    referenceShape: shape(ref),
    bruteForce: brute,
    ratioToBruteForce,
    ratioToReference,
    checks: {
      meetsNeed,
      referenceMeetsNeed,
      notAboveReference: referenceMeetsNeed
        ? c.available && c.monthlyCostUsd <= refPriced!.monthlyUsd + 0.005
        : undefined,
      // Both unavailable also agrees: nothing in the catalog fits.
      cheapestFitting: brute
        ? c.available && Math.abs(c.monthlyCostUsd - brute.monthlyUsd) <= 0.01
        : !c.available,
    },
  };
}

function shape(ref: ReferenceSizing): string {
  return `${ref.memoryGb} GB on ${ref.primaries}+${ref.primaries * ref.replicasPerPrimary}${ref.statedTopology ? '' : ' (policy replicas)'}`;
}

/** The whole sizing table: every reference row x every platform. */
export function sizingTable(): SizingResult[] {
  const replicas = productionDeployment('devices', 1000).policy.availability.replicasPerShard;
  return referenceSizings(replicas).flatMap((ref) => PLATFORM_IDS.map((p) => sizeOne(ref, p)));
}

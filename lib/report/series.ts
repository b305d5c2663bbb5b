/**
 * Monthly cost against workload size per platform across the guides' reference rows, planned with
 * the spec's own policy (profile, engine, replicas) so the curve shows what this deployment would
 * cost as it grows.
 */
import { referenceCatalog } from '../catalog';
import { fromSpec, type Deployment } from '../deployment';
import { PLATFORM_IDS, type PlatformId } from '../planner/types';
import type { Spec } from '../spec/schema';

export interface SeriesPoint {
  size: number;
  costs: Record<PlatformId, number | null>;
}

export interface CostSeries {
  kind: 'devices' | 'organizations';
  points: SeriesPoint[];
}

function specAt(spec: Spec, kind: CostSeries['kind'], size: number): Spec {
  const workload: Spec['workload'] = {
    ...spec.workload,
    devices: undefined,
    organizations: undefined,
    datasetGb: undefined,
    [kind]: size,
  };
  // The row decides the topology: a spec pinned to one node would not hold the large rows.
  const availability = {
    ...spec.availability,
    topology: spec.availability.topology === 'cluster' ? ('cluster' as const) : ('auto' as const),
  };
  return {
    ...spec,
    workload,
    availability,
    targets: { ...spec.targets, aws: spec.targets.aws && { ...spec.targets.aws, nodeType: undefined } },
  };
}

export function costSeries(d: Deployment): CostSeries[] {
  const ref = referenceCatalog();
  const rows: Array<[CostSeries['kind'], number[]]> = [
    ['devices', ref.devices.map((r) => r.devices)],
    ['organizations', ref.organizations.map((r) => r.organizations)],
  ];
  return rows.map(([kind, sizes]) => ({
    kind,
    points: sizes.map((size) => {
      const costs = Object.fromEntries(PLATFORM_IDS.map((p) => [p, null])) as Record<
        PlatformId,
        number | null
      >;
      try {
        const plan = fromSpec(specAt(d.spec, kind, size), d.source).plan;
        for (const p of PLATFORM_IDS)
          costs[p] = plan.choices[p].available ? plan.choices[p].monthlyCostUsd : null;
      } catch {
        // A row this spec's policy cannot plan (e.g. waivers that no longer apply) stays empty.
      }
      return { size, costs };
    }),
  }));
}

/**
 * Monthly cost against workload size per platform, along the workload dimension the spec itself
 * uses (devices, organizations or a stated dataset size), planned with the spec's own policy
 * (profile, engine, replicas, commitment) so the curve shows what this deployment would cost as it grows.
 */
import { referenceCatalog } from '../catalog';
import { fromSpec, type Deployment } from '../deployment';
import { PLATFORM_IDS, type PlatformId } from '../planner/types';
import type { Spec } from '../spec/schema';
import { int } from '../numbers';

export interface SeriesPoint {
  size: number;
  costs: Record<PlatformId, number | null>;
}

/** The workload field a series varies. */
export type SeriesKind = 'devices' | 'organizations' | 'datasetGb';

export interface CostSeries {
  kind: SeriesKind;
  /** Axis label: "devices", "organizations", "dataset GB". */
  label: string;
  points: SeriesPoint[];
}

const LABELS: Record<SeriesKind, string> = {
  devices: 'devices',
  organizations: 'organizations',
  datasetGb: 'dataset GB',
};

function specAt(spec: Spec, kind: SeriesKind, size: number): Spec {
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
  // A sizing pin is one size: along the curve the workload decides the capacity.
  return {
    ...spec,
    workload,
    availability,
    sizing: undefined,
    targets: { ...spec.targets, aws: spec.targets.aws && { ...spec.targets.aws, nodeType: undefined } },
  };
}

/**
 * The sizes a series plots: the guides' reference rows for devices and organizations, the guides'
 * memory tiers (the rows' GB) as dataset sizes, each with the spec's own size added.
 */
function sizesFor(kind: SeriesKind, own: number): number[] {
  const ref = referenceCatalog();
  const rows =
    kind === 'devices'
      ? ref.devices.map((r) => r.devices)
      : kind === 'organizations'
        ? ref.organizations.map((r) => r.organizations)
        : [...ref.devices, ...ref.organizations].map((r) => r.memoryGb);
  return [...new Set([...rows, own])].sort((a, b) => a - b);
}

/** The dimensions the spec's workload states, in a fixed order. */
export function seriesKinds(spec: Spec): SeriesKind[] {
  return (['devices', 'organizations', 'datasetGb'] as const).filter((k) => spec.workload[k] !== undefined);
}

/** Monthly cost per platform of `spec` (null where unavailable; all null when it cannot be planned). */
function costsOf(spec: Spec): Record<PlatformId, number | null> {
  const costs = Object.fromEntries(PLATFORM_IDS.map((p) => [p, null])) as Record<PlatformId, number | null>;
  try {
    const plan = fromSpec(spec).plan;
    for (const p of PLATFORM_IDS)
      costs[p] = plan.choices[p].available ? plan.choices[p].monthlyCostUsd : null;
  } catch {
    // A row this spec's policy cannot plan (e.g. waivers that no longer apply) stays empty.
  }
  return costs;
}

/**
 * The cost chart's series: every point planned anew, so call it once per spec and hand the result to
 * both reports (writeReports does). Nothing is kept between calls.
 */
export function costSeries(d: Deployment): CostSeries[] {
  return seriesKinds(d.spec).map((kind) => ({
    kind,
    label: LABELS[kind],
    points: sizesFor(kind, d.spec.workload[kind]!).map((size) => ({
      size,
      costs: costsOf(specAt(d.spec, kind, size)),
    })),
  }));
}

/** A point's size as the table and the axis show it. */
export function sizeText(s: Pick<CostSeries, 'kind'>, size: number): string {
  return s.kind === 'datasetGb' ? `${size} GB` : int(size);
}

/** One sentence above the chart: what is plotted and on which prices. */
export function seriesIntro(d: Deployment): string {
  const kinds = seriesKinds(d.spec).map((k) => LABELS[k]);
  const basis =
    d.spec.commitment === 'none'
      ? 'on-demand'
      : `on the ${d.spec.commitment} commitment where the platform offers it (else on-demand)`;
  const serverless = d.plan.choices.aws.pricing === 'serverless' ? ', AWS as ElastiCache Serverless' : '';
  return `Monthly cost per platform, ${basis}${serverless}, by ${kinds.join(' and ')} (the workload dimension this spec states) at the guides' reference sizes and this spec's own size, planned with this spec's policy; any sizing pin is left out so the workload decides each point's capacity.`;
}

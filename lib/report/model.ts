/**
 * The report's content, independent of format: report.md and report.html render the same tables.
 */
import { bytes, int, usd } from '../cli/format';
import { INVARIANTS } from '../conformance/invariants';
import { TARGET_LABELS, TARGETS, type TargetId, type TargetResult } from '../conformance/types';
import type { Deployment } from '../deployment';
import { ROLE_NAMES, roleModel, usersByRole } from '../policy/roles';
import { GUIDE_STATUS_ORDER, type GuideResult } from '../guides/types';
import { cheapestLine } from '../planner/cost';
import {
  PLATFORM_IDS,
  type CommittedCost,
  type CostFrontier,
  type PricingBasis,
  type ReferenceRow,
} from '../planner/types';

export interface Table {
  title: string;
  headers: string[];
  rows: string[][];
  /** Optional per-cell status for colouring (same shape as rows). */
  status?: Array<Array<string | undefined>>;
}

export function sizingTables(d: Deployment): Table[] {
  const { plan } = d;
  return [
    {
      title: 'Workload',
      headers: ['item', 'count', 'bytes each', 'total'],
      rows: plan.dataset.items.map((i) => [i.name, int(i.count), int(i.bytesEach), bytes(i.bytes)]),
    },
    {
      title: 'Memory derivation',
      headers: ['step', 'factor', 'after', 'why'],
      rows: plan.memory.factors.map((f) => [
        f.name,
        f.kind === 'pin' ? '=' : f.factor ? `x${f.factor}` : '+',
        bytes(f.bytesAfter),
        f.why,
      ]),
    },
    {
      title: 'Topology and connections',
      headers: ['what', 'value', 'why'],
      rows: [
        [
          'topology',
          `${plan.topology.mode}, ${plan.topology.shards} shard(s) x ${plan.topology.replicasPerShard} replica(s)`,
          plan.topology.reason,
        ],
        [
          'maxmemory per shard',
          bytes(plan.memory.maxmemoryBytesPerShard),
          'data need / shards (self-managed targets)',
        ],
        [
          'pool size',
          `${plan.connections.poolSize} (min idle ${plan.connections.minIdle})`,
          plan.connections.poolReason,
        ],
        [
          'expected clients',
          int(plan.connections.expectedClients),
          `pool x ${plan.connections.applicationReplicas} app replica(s) + operational`,
        ],
        ['maxclients', int(plan.connections.maxclients), '2x expected clients, at least 1,000'],
      ],
    },
    ...(plan.sizing ? [pinnedSizingTable(d)] : []),
  ];
}

/** spec.sizing beside what the workload alone derives, so a pinned size is never mistaken for a derived one. */
export function pinnedSizingTable(d: Deployment): Table {
  const s = d.plan.sizing!;
  return {
    title: `Pinned sizing (${s.reason})`,
    headers: ['what', 'pinned (provisioned)', 'derived from the workload'],
    rows: [
      ['memory', bytes(d.plan.memory.neededBytes), bytes(s.derivedNeededBytes)],
      [
        'shards',
        s.shards !== undefined ? String(s.shards) : `not pinned (${d.plan.topology.shards})`,
        String(s.derivedShards),
      ],
      [
        'replicas per shard',
        s.replicas !== undefined ? String(s.replicas) : `not pinned (${d.plan.topology.replicasPerShard})`,
        `${d.plan.topology.replicasPerShard} (policy)`,
      ],
    ],
  };
}

/** What the choices' monthly column is priced on, for table titles. */
export function pricingTitle(d: Deployment): string {
  const t = d.spec.commitment;
  const serverless = d.plan.choices.aws.pricing === 'serverless' ? '; AWS: serverless' : '';
  return t === 'none'
    ? `monthly on-demand, USD${serverless}`
    : `monthly on the ${t} commitment where offered, else on-demand, USD${serverless}`;
}

export function choiceTable(d: Deployment): Table {
  return {
    title: `Platform choices (${pricingTitle(d)})`,
    headers: ['platform', 'service', 'choice', 'shards x nodes', 'GB/shard', 'monthly', 'why'],
    rows: PLATFORM_IDS.map((p) => {
      const c = d.plan.choices[p];
      if (!c.available) return [p, c.service, 'none fits', '-', '-', 'n/a', c.reason];
      return [
        p,
        c.service,
        c.sku,
        c.pricing === 'serverless' ? 'serverless' : `${c.shards} x ${c.nodes / c.shards}`,
        c.memoryGbPerShard.toFixed(2),
        usd(c.monthlyCostUsd),
        p === 'kubernetes' ? `${c.reason}; ${kubernetesFlavorCosts(d)}` : c.reason,
      ];
    }),
  };
}

const TERM_LABEL = { '1y': '1-year', '3y': '3-year' } as const;

function committedCell(c: CommittedCost | null, f: CostFrontier): string {
  if (!c) return f.notOffered ? `not offered (${f.notOffered})` : 'not offered';
  const breakEven =
    c.breakEvenMonth === null ? 'never ahead within the term' : `break-even month ${c.breakEvenMonth}`;
  const label = c.shards > 1 ? `${c.sku} x ${c.shards} shards` : c.sku;
  const other = label !== f.onDemandSku ? `, ${label}` : '';
  const saving =
    c.savingPct >= 0
      ? `${c.savingPct.toFixed(0)}% below on-demand`
      : `${(-c.savingPct).toFixed(0)}% above on-demand`;
  const derived = c.rateBasis === 'derived' ? '; rate derived from published ratios' : '';
  return `${usd(c.monthlyCostUsd)} (${c.payment}${other}: ${usd(c.upfrontUsd)} upfront + ${usd(c.recurringMonthlyUsd)}/month; ${breakEven}; ${saving}${derived})`;
}

function serverlessCell(f: CostFrontier, pinned: boolean): string {
  const s = f.serverless;
  if (!s) return '-';
  // Serverless has no capacity to pin: it stores what the workload derives.
  const stored = pinned ? ' (the derived need, not the sizing pin)' : '';
  const what = `${usd(s.monthlyCostUsd)} (${s.billedDataGb.toFixed(2)} GB stored${stored} ${usd(s.dataMonthlyUsd)} + ${int(s.ecpuPerSecond)} ECPU/s at peak ${usd(s.ecpuMonthlyUsd)})`;
  return s.limitsExceeded.length
    ? `${what}; exceeds serverless limits: ${s.limitsExceeded.join('; ')}`
    : what;
}

const mark = (cell: string, basis: PricingBasis, f: CostFrontier) =>
  f.cheapest?.basis === basis ? `${cell} [cheapest]` : cell;

/**
 * The cost frontier: each platform's choice on-demand, on a 1-year and a 3-year commitment (best
 * payment option, break-even month) and, for AWS, as ElastiCache Serverless; the cheapest is marked.
 */
export function frontierTable(d: Deployment): Table {
  const pinned = d.plan.sizing !== undefined;
  return {
    title: 'Cost frontier (monthly USD): on-demand, committed, serverless',
    headers: ['platform', 'on-demand', '1-year', '3-year', 'serverless', 'cheapest', 'chosen'],
    rows: PLATFORM_IDS.map((p) => {
      const c = d.plan.choices[p];
      const f = c.frontier;
      // A choice made outside the planner (explicit sizes) carries only its own price.
      if (!f) return [p, `${usd(c.monthlyCostUsd)} (${c.sku})`, '-', '-', '-', '-', c.pricing ?? 'on-demand'];
      if (f.onDemandMonthlyUsd === null)
        return [p, 'none fits', '-', '-', serverlessCell(f, pinned), '-', c.pricing ?? 'on-demand'];
      return [
        p,
        mark(`${usd(f.onDemandMonthlyUsd)} (${f.onDemandSku})`, 'on-demand', f),
        ...(['1y', '3y'] as const).map((t) => mark(committedCell(f.committed[t], f), t, f)),
        mark(serverlessCell(f, pinned), 'serverless', f),
        cheapestLine(f),
        f.chosen === 'on-demand'
          ? 'on-demand'
          : f.chosen === 'serverless'
            ? 'serverless'
            : TERM_LABEL[f.chosen],
      ];
    }),
  };
}

/**
 * What each Kubernetes flavor really runs and costs: the OpsTree RedisCluster and the Bitnami chart
 * lay the pods out differently from the plan's shards x (1 + replicas).
 */
export function kubernetesFlavorCosts(d: Deployment): string {
  const { opstree, bitnami } = d.plan.kubernetesLayouts;
  return `per flavor: opstree ${usd(opstree.monthlyCostUsd)}/month (${opstree.reason}); bitnami ${usd(bitnami.monthlyCostUsd)}/month (${bitnami.reason})`;
}

/** The guides' capacity row in one line, e.g. "100,000 devices -> 16 GB, 3 primaries + 3 replicas". */
export function referenceRowText(r: ReferenceRow): string {
  const nodes = r.primaries
    ? `, ${r.primaries} primaries + ${r.primaries * (r.replicasPerPrimary ?? 0)} replicas`
    : '';
  const conns = r.connections ? `, ${int(r.connections)} connections` : '';
  return `${int(r.size)} ${r.kind} -> ${r.memoryGb} GB${nodes}${conns}${r.note ? ` (${r.note})` : ''}`;
}

export function referenceLine(d: Deployment): string {
  const r = d.plan.reference;
  if (!r) return 'No reference row: the workload is a stated dataset size.';
  return `Guide reference row: ${referenceRowText(r)}. Derived need: ${bytes(d.plan.memory.neededBytes)}.`;
}

const SYMBOL: Record<string, string> = { pass: 'pass', fail: 'FAIL', na: 'n/a', waived: 'waived' };

export function conformanceTable(results: TargetResult[]): Table {
  const targets = TARGETS.filter((t) => results.some((r) => r.target === t));
  const byTarget = new Map(results.map((r) => [r.target, r]));
  return {
    title: 'Policy conformance (read from the artifacts)',
    headers: ['invariant', ...targets.map((t) => TARGET_LABELS[t])],
    rows: INVARIANTS.map((inv) => [
      inv.title,
      ...targets.map((t) => {
        const cell = byTarget.get(t)!.cells[inv.id];
        return `${SYMBOL[cell.status]}: ${cell.detail}`;
      }),
    ]),
    status: INVARIANTS.map((inv) => [
      undefined,
      ...targets.map((t) => byTarget.get(t)!.cells[inv.id].status),
    ]),
  };
}

export function contractTable(results: TargetResult[]): Table {
  const withContract = results.filter((r) => r.contract);
  const keys = [...new Set(withContract.flatMap((r) => Object.keys(r.contract!)))];
  return {
    title: 'Connection contract per platform (environment variables the applications read)',
    headers: ['variable', ...withContract.map((r) => TARGET_LABELS[r.target])],
    rows: keys.map((k) => [k, ...withContract.map((r) => r.contract![k] ?? '')]),
  };
}

/** Notes the artifacts carry about themselves (engine version deployed, persistence mode, retention). */
export function notesTable(results: TargetResult[]): Table {
  return {
    title: 'Platform notes (read from the artifacts)',
    headers: ['platform', 'note'],
    rows: results.flatMap((r) => (r.notes ?? []).map((n) => [TARGET_LABELS[r.target], n])),
  };
}

export function waiverTable(d: Deployment): Table {
  return {
    title: 'Waivers',
    headers: ['rule', 'what it weakens', 'reason'],
    rows: d.policy.waivers.map((w) => [w.rule, w.detail, w.reason]),
  };
}

/** How a platform authenticates when its artifact declares no per-role users. */
const NO_ROLE_USERS: Record<TargetId, string> = {
  aws: 'single AUTH token: no per-role users',
  'aws-serverless': 'no user group: the default user without a password',
  gcp: 'AUTH string or IAM: no per-role users',
  'azure-premium': 'access keys or Entra ID access policies: no Redis ACL users',
  'azure-managed': 'access keys or Entra ID access policies: no Redis ACL users',
  opstree: 'one shared password: no per-role users',
  bitnami: 'one shared password: no per-role users',
  'self-hosted': 'one shared password: no per-role users',
};

/**
 * Which role of lib/policy/roles.ts exists as a user on each platform, read from the artifacts:
 * the user's name, `default (shared)` where Kubernetes operators use the admin `default` user, `-`
 * where the role has no job on that platform. Platforms without per-role users say so in every row.
 */
export function roleTable(d: Deployment, results: TargetResult[]): Table {
  const model = roleModel(d.policy);
  const cols = results.map((r) => ({
    label: TARGET_LABELS[r.target],
    users: r.users ? usersByRole(model, r.users) : undefined,
    none: d.policy.security.auth ? NO_ROLE_USERS[r.target] : 'authentication off',
  }));
  const rows = ROLE_NAMES.map((role) => [
    role,
    model[role].purpose,
    ...cols.map((c) => {
      if (!c.users) return c.none;
      const u = c.users[role];
      return u ? `${u.user}${u.shared ? ' (shared admin password)' : ''}` : '-';
    }),
  ]);
  const sentinels = results.map((r) => r.contract?.REDIS_SENTINEL_ENABLED === 'true');
  if (sentinels.some(Boolean)) {
    rows.splice(ROLE_NAMES.indexOf('app') + 1, 0, [
      SENTINEL_LOGIN_ROW,
      'the application asking the Sentinels for the primary: SENTINEL GET-MASTER-ADDR-BY-NAME, MASTER(S), REPLICAS, SENTINELS, ROLE, (P)SUBSCRIBE; no SENTINEL SET/REMOVE/FAILOVER, CONFIG or ACL',
      ...results.map((r, i) => (sentinels[i] ? sentinelLogin(d, model.app.user, r) : '-')),
    ]);
  }
  return {
    title: 'Roles and the users that serve them per platform (read from the artifacts)',
    headers: ['role', 'what it may do', ...cols.map((c) => c.label)],
    rows,
  };
}

/** First cell of the role table's row for the application's login to the Sentinels. */
export const SENTINEL_LOGIN_ROW = 'app on Sentinel';

/**
 * Who the application logs in to a platform's Sentinels as: its own user when the Sentinels' ACL
 * declares it (enabled), otherwise `default` with the admin password (Sentinels without an ACL
 * know only that one).
 */
function sentinelLogin(d: Deployment, appUser: string, r: TargetResult): string {
  if (!d.policy.security.auth) return 'authentication off';
  const own = r.sentinelUsers?.find((u) => u.name === appUser && u.enabled);
  return own ? appUser : 'default (shared admin password)';
}

/**
 * The guides' recommendations for this spec: unexplained first (there should be none), then
 * departures with their reasons, then what is honoured and where, then what does not apply.
 */
export function guidesTable(results: GuideResult[]): Table {
  const count = (s: GuideResult['status']) => results.filter((r) => r.status === s).length;
  const rows = [...results].sort(
    (a, b) =>
      GUIDE_STATUS_ORDER.indexOf(a.status) - GUIDE_STATUS_ORDER.indexOf(b.status) || a.id.localeCompare(b.id),
  );
  return {
    title: `Guide recommendations: ${count('honoured')} honoured, ${count('departed')} departed with a reason, ${count('n/a')} not applicable, ${count('unexplained')} unexplained`,
    headers: ['guide', 'recommendation', 'status', 'found', 'reason'],
    rows: rows.map((r) => [`${r.guide} ${r.section}`, r.says, r.status, r.detail, r.reason ?? '']),
    status: rows.map((r) => [
      undefined,
      undefined,
      { honoured: 'pass', departed: 'waived', 'n/a': 'na', unexplained: 'fail' }[r.status],
      undefined,
      undefined,
    ]),
  };
}

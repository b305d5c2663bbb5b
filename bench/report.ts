/** Text (terminal) and Markdown (docs/bench.md) tables of a bench result. */
import { table } from '../lib/cli/format';
import type { FleetResult } from './fleet';
import type { FrontierResult, FrontierSummary } from './frontier';
import type { SizingResult } from './sizing';
import type { SuiteResult } from './suite';
import type { RowResult } from './synth';

export interface Machine {
  nproc: number;
  cpuModel: string;
  memoryGib: number;
  node: string;
  os: string;
  date: string;
  gitCommit: string;
  /** Files changed in the checkout when the bench ran (it is shared: in-progress work is measured too). */
  gitDirtyFiles: number;
  loadAverageStart: number[];
  loadAverageEnd?: number[];
  gnuTime: boolean;
}

export interface BenchResult {
  schema: 'redis-iac-bench/1';
  machine: Machine;
  settings: { runs: number; warmup: number; quick: boolean; sections: string[] };
  synth?: { targetRatio: number; rows: RowResult[] };
  testSuite?: SuiteResult | { skipped: string };
  sizing?: { rows: SizingResult[]; summary: SizingSummary };
  fleet?: FleetResult;
  frontier?: { rows: FrontierResult[]; summary: FrontierSummary };
  durationMs: number;
}

export interface SizingSummary {
  rows: number;
  meetsNeed: number;
  /** Rows where the reference sizing holds the derived need (only those are compared on price). */
  referenceMeetsNeed: number;
  notAboveReference: number;
  cheapestFitting: number;
}

export function summarizeSizing(rows: SizingResult[]): SizingSummary {
  return {
    rows: rows.length,
    meetsNeed: rows.filter((r) => r.checks.meetsNeed).length,
    referenceMeetsNeed: rows.filter((r) => r.checks.referenceMeetsNeed).length,
    notAboveReference: rows.filter((r) => r.checks.notAboveReference === true).length,
    cheapestFitting: rows.filter((r) => r.checks.cheapestFitting).length,
  };
}

const s = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(2)} s`);
const mb = (v: number | undefined) => (v === undefined ? '-' : `${Math.round(v)} MB`);
const x = (v: number | undefined) => (v === undefined ? '-' : `${v.toFixed(2)}x`);
const usd = (v: number) =>
  `$${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const pct = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(1)}%`;

type Grid = { headers: string[]; rows: string[][] };

export function synthGrid(rows: RowResult[]): Grid {
  return {
    headers: ['target', 'median', 'floor', 'ratio', 'peak RSS', 'floor RSS', 'tree RSS', 'verdict'],
    rows: rows.map((r) => [
      r.label,
      s(r.target?.wallMsMedian),
      s(r.floor?.wallMsMedian),
      x(r.wallRatio),
      mb(r.target?.peakRssMbMedian),
      mb(r.floor?.peakRssMbMedian),
      mb(r.target?.treeRssMbMedian),
      r.skipped
        ? `skipped: ${r.skipped}`
        : r.error
          ? `ERROR: ${r.error}`
          : `${r.verdict} (floor: ${r.floorLabel})`,
    ]),
  };
}

/** One row per fleet size, then the fit (marginal seconds per spec) and the goals with PASS/MISS. */
export function fleetGrid(f: FleetResult): Grid {
  const rows = f.rows.map((r) => [
    String(r.specs),
    s(r.wallMsMedian),
    r.wallMsMedian === undefined ? '-' : `${(r.wallMsMedian / 1000 / r.specs).toFixed(2)} s`,
    r.cpuSMedian === undefined ? '-' : `${r.cpuSMedian.toFixed(1)} s`,
    mb(r.peakRssMbMedian),
    mb(r.treeRssMbMedian),
    r.error ? `ERROR: ${r.error}` : '',
  ]);
  rows.push([
    'marginal per spec',
    f.marginalS === undefined ? '-' : `${f.marginalS.toFixed(3)} s`,
    '',
    f.marginalCpuS === undefined ? '-' : `${f.marginalCpuS.toFixed(3)} s`,
    '',
    '',
    `${f.marginalVerdict} (goal <= ${f.goal.marginalS} s; ${f.marginalMethod}; fixed cost ${f.interceptS === undefined ? '-' : `${f.interceptS.toFixed(1)} s`})`,
  ]);
  rows.push([
    `tree RSS at ${f.goal.atSpecs} specs`,
    '',
    '',
    '',
    '',
    mb(f.treeRssMbAtGoal),
    `${f.rssVerdict} (goal <= ${f.goal.treeRssMb} MB)`,
  ]);
  return {
    headers: [
      'specs',
      'wall',
      'wall / spec',
      'CPU (user+sys, tree)',
      'peak RSS (largest process)',
      'tree RSS (all at once)',
      'verdict',
    ],
    rows,
  };
}

/** CPU seconds of a process tree (GNU time), or a dash without GNU time. */
const cpu = (seconds: number | undefined) => (seconds === undefined ? '-' : `${seconds.toFixed(1)} s`);

export function suiteGrid(r: SuiteResult): Grid {
  const rows = [
    [
      r.command,
      s(r.wallMs),
      cpu(r.cpuSeconds),
      mb(r.peakRssMb),
      mb(r.treeRssMb),
      String(r.exitCode),
      r.verdict === 'FAILED'
        ? 'FAILED: the suite did not pass, its time is incomplete'
        : `${r.verdict} (target < 3 min)`,
    ],
  ];
  for (const st of r.steps ?? []) {
    rows.push([
      `  step: ${st.command}`,
      s(st.wallMs),
      cpu(st.cpuSeconds),
      mb(st.peakRssMb),
      mb(st.treeRssMb),
      String(st.exitCode),
      '',
    ]);
  }
  if (r.stepsWallMs !== undefined) {
    rows.push([
      '  steps run separately, summed',
      s(r.stepsWallMs),
      '',
      mb(Math.max(...(r.steps ?? []).map((x) => x.peakRssMb))),
      mb(Math.max(...(r.steps ?? []).map((x) => x.treeRssMb))),
      '',
      `${r.stepsVerdict} (target < 3 min)`,
    ]);
  }
  return {
    headers: [
      'command',
      'wall',
      'CPU (user + sys)',
      'peak RSS (largest process)',
      'tree RSS (all at once)',
      'exit',
      'verdict',
    ],
    rows,
  };
}

function refCell(r: SizingResult): string {
  if ('unavailable' in r.reference) return r.reference.unavailable;
  return `${r.reference.label} x ${r.reference.nodes}: ${usd(r.reference.monthlyUsd)}`;
}

function checkCell(r: SizingResult): string {
  const c = r.checks;
  const parts = [
    c.meetsNeed ? 'meets need' : 'BELOW NEED',
    c.notAboveReference === undefined
      ? 'reference short of need: not compared'
      : c.notAboveReference
        ? '<= reference'
        : 'ABOVE REFERENCE',
    c.cheapestFitting ? 'cheapest' : 'NOT CHEAPEST',
  ];
  return parts.join(', ');
}

export function sizingGrid(rows: SizingResult[]): Grid {
  return {
    headers: [
      'row',
      'platform',
      'need',
      'planner',
      'monthly',
      'headroom',
      'reference sizing',
      'ref headroom',
      'planner/ref',
      'planner/brute',
      'checks',
    ],
    rows: rows.map((r) => [
      `${r.size.toLocaleString('en-US')} ${r.kind} (${r.referenceShape})`,
      r.platform,
      `${r.needGb.toFixed(2)} GB`,
      r.planner.available ? `${r.planner.label} x ${r.planner.nodes}` : 'none fits',
      usd(r.planner.monthlyUsd),
      pct(r.planner.headroomPct),
      refCell(r),
      'unavailable' in r.reference ? '-' : pct(r.reference.headroomPct),
      x(r.ratioToReference),
      x(r.ratioToBruteForce),
      checkCell(r),
    ]),
  };
}

const fig = (v: number | null) => (v === null ? '-' : usd(v));
const ratio = (v: number | null) => (v === null ? '-' : v.toFixed(2));

/** A committed column: monthly, the payment option and the break-even month. */
function termCell(r: FrontierResult, t: '1y' | '3y'): string {
  const v = r.planner[t];
  if (v === null) return 'not offered';
  const be = r.planner.breakEven[t];
  return `${usd(v)} (${r.planner.payments[t]}, ${be === null || be === undefined ? 'no break-even' : `break-even month ${be}`})`;
}

export function frontierGrid(rows: FrontierResult[]): Grid {
  return {
    headers: [
      'row',
      'platform',
      'on-demand',
      '1-year',
      '3-year',
      'serverless',
      'cheapest',
      'planner/brute od, 1y, 3y, sls',
      'check',
    ],
    rows: rows.map((r) => [
      `${r.size.toLocaleString('en-US')} ${r.kind}`,
      r.platform,
      fig(r.planner.onDemand),
      termCell(r, '1y'),
      termCell(r, '3y'),
      fig(r.planner.serverless),
      r.planner.cheapest === null
        ? 'none fits'
        : r.planner.cheapest === 'on-demand'
          ? 'on-demand'
          : `${r.planner.cheapest} (-${(r.planner.savingPct ?? 0).toFixed(0)}%)`,
      [r.ratios.onDemand, r.ratios['1y'], r.ratios['3y'], r.ratios.serverless].map(ratio).join(', '),
      r.agrees ? 'agrees' : 'DISAGREES',
    ]),
  };
}

export function frontierLine(m: FrontierSummary): string {
  const cheapest = Object.entries(m.cheapest)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `${m.rows} row x platform pairs: ${m.agree} agree with the brute force in every column and in the cheapest (ratio 1.00); a commitment is offered in ${m.committedOffered}, serverless priced in ${m.serverlessPriced}; cheapest: ${cheapest}.`;
}

export function markdown(g: Grid): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  return [
    `| ${g.headers.join(' | ')} |`,
    `|${g.headers.map(() => '---').join('|')}|`,
    ...g.rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

export function text(g: Grid): string {
  return table(g.headers, g.rows);
}

export function machineLine(m: Machine): string {
  return `${m.date}, commit ${m.gitCommit.slice(0, 12)}${m.gitDirtyFiles ? ` (+${m.gitDirtyFiles} uncommitted files in the shared checkout)` : ''}, ${m.nproc} cores (${m.cpuModel}), ${m.memoryGib} GiB, Node ${m.node}, ${m.os}, load ${m.loadAverageStart.map((l) => l.toFixed(2)).join(' ')} at start${m.loadAverageEnd ? `, ${m.loadAverageEnd.map((l) => l.toFixed(2)).join(' ')} at end` : ''}; peak RSS by ${m.gnuTime ? 'GNU time (%M)' : '/proc VmHWM polling'}`;
}

/** The whole result as Markdown, ready to paste into docs/bench.md. */
export function resultMarkdown(r: BenchResult): string {
  const out = [
    `Measured ${machineLine(r.machine)}. Runs per side: ${r.settings.runs} (+${r.settings.warmup} warm-up).`,
    '',
  ];
  if (r.synth)
    out.push('### Synth speed (median wall time and peak RSS)', '', markdown(synthGrid(r.synth.rows)), '');
  if (r.fleet) {
    out.push(
      '### Fleet synth (`npm run synth -- --dir`, specs generated from the examples)',
      '',
      ...(r.fleet.machine ? [`Measured ${r.fleet.machine}.`, ''] : []),
      markdown(fleetGrid(r.fleet)),
      '',
    );
  }
  if (r.testSuite) {
    out.push('### Test suite', '');
    out.push(
      'skipped' in r.testSuite ? `Skipped: ${r.testSuite.skipped}` : markdown(suiteGrid(r.testSuite)),
      '',
    );
  }
  if (r.sizing) {
    const m = r.sizing.summary;
    out.push(
      '### Sizing against the reference rows (monthly on-demand USD)',
      '',
      `${m.rows} row x platform pairs: ${m.meetsNeed} meet the derived need, ${m.cheapestFitting} equal the brute-force cheapest (ratio 1.00), ${m.notAboveReference} of the ${m.referenceMeetsNeed} pairs whose reference sizing holds the need cost no more than it.`,
      '',
      markdown(sizingGrid(r.sizing.rows)),
      '',
    );
  }
  if (r.frontier) {
    out.push(
      '### Cost frontier against the reference rows (monthly USD, default regions)',
      '',
      frontierLine(r.frontier.summary),
      '',
      markdown(frontierGrid(r.frontier.rows)),
      '',
    );
  }
  return out.join('\n');
}

/**
 * Fleet rows: `npm run synth -- --dir <folder>` on 1, 10, 30 and 100 specs generated from the
 * examples (new names with digits) into a temporary folder, each run as one child process. Reports
 * wall time, peak memory of the whole process tree, and the marginal seconds per spec.
 *
 * The marginal cost is the least-squares slope of wall time over spec count through every measured
 * point (not only the two ends), so one noisy run moves it less.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { measure, median, type Measurement } from './measure';

/** Fleet sizes measured by `npm run bench -- --only fleet`. */
export const FLEET_SIZES = [1, 10, 30, 100] as const;

/** Goal of issue 16 on 2 cores: each extra spec adds at most this much wall time... */
export const FLEET_MARGINAL_GOAL_S = 0.5;
/** ...and the whole process tree stays under this at 100 specs. */
export const FLEET_RSS_GOAL_MB = 1536;

/** The spec name rule (lib/spec/schema.ts): a letter, then at most 30 lower-case letters, digits or "-". */
const NAME = /^[a-z][a-z0-9-]{0,30}$/;

export interface FleetSpec {
  /** File name in the fleet folder, e.g. `fleet-007.yaml`. */
  file: string;
  /** The new deployment name, e.g. `app-cache-007`. */
  name: string;
  /** The example it was made from (file name). */
  from: string;
  text: string;
}

/**
 * `count` specs cycling through the example specs (sorted by file name), each renamed to
 * `<example name>-<nnn>` (1-based, zero-padded to 3 digits), so every spec is valid and every name
 * (and dist/ folder) distinct. Throws when an example has no top-level `name:` line or the new name
 * breaks the name rule.
 */
export function fleetSpecs(examples: Array<{ file: string; text: string }>, count: number): FleetSpec[] {
  if (examples.length === 0) throw new Error('fleetSpecs: no example specs to copy');
  const sorted = [...examples].sort((a, b) => a.file.localeCompare(b.file));
  const out: FleetSpec[] = [];
  for (let i = 0; i < count; i++) {
    const ex = sorted[i % sorted.length];
    const m = /^name:[ \t]*["']?([a-z0-9-]+)["']?[ \t]*(#.*)?$/m.exec(ex.text);
    if (!m) throw new Error(`fleetSpecs: ${ex.file} has no top-level "name:" line`);
    const n = String(i + 1).padStart(3, '0');
    // Keep within 31 characters: shorten the example's name, never the digits that make it distinct.
    const name = `${m[1].slice(0, 31 - n.length - 1).replace(/-+$/, '')}-${n}`;
    if (!NAME.test(name)) throw new Error(`fleetSpecs: ${JSON.stringify(name)} breaks the spec name rule`);
    out.push({
      file: `fleet-${n}.yaml`,
      name,
      from: ex.file,
      text: ex.text.slice(0, m.index) + `name: ${name}` + ex.text.slice(m.index + m[0].length),
    });
  }
  return out;
}

/** The example specs of a checkout (examples/*.yaml). */
export function readExamples(root: string): Array<{ file: string; text: string }> {
  const dir = path.join(root, 'examples');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => ({ file, text: fs.readFileSync(path.join(dir, file), 'utf8') }));
}

/** Writes the fleet into `dir` (created) and returns the specs. */
export function writeFleet(root: string, dir: string, count: number): FleetSpec[] {
  const specs = fleetSpecs(readExamples(root), count);
  fs.mkdirSync(dir, { recursive: true });
  for (const s of specs) fs.writeFileSync(path.join(dir, s.file), s.text);
  return specs;
}

/** Least-squares slope and intercept of y over x (at least two distinct x). */
export function leastSquares(points: Array<{ x: number; y: number }>): { slope: number; intercept: number } {
  const xs = new Set(points.map((p) => p.x));
  if (xs.size < 2) throw new Error('leastSquares: needs points at two or more distinct x');
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) ** 2;
  }
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

export interface FleetRow {
  specs: number;
  runs: number;
  wallMsMedian?: number;
  wallMs: number[];
  /** Largest single process (GNU time %M, else /proc VmHWM). */
  peakRssMbMedian?: number;
  /** Largest sum of VmRSS over the whole process tree at one moment (/proc polling). */
  treeRssMbMedian?: number;
  /** CPU seconds (user + system) of the whole tree (GNU time); absent without GNU time. */
  cpuSMedian?: number;
  error?: string;
}

export interface FleetResult {
  goal: { marginalS: number; treeRssMb: number; atSpecs: number };
  rows: FleetRow[];
  /** Least-squares slope of median wall time over spec count, in seconds per spec. */
  marginalS?: number;
  /** Seconds at zero specs of that fit (the fixed start-up cost). */
  interceptS?: number;
  /** How marginalS was computed, in words. */
  marginalMethod: string;
  /**
   * Least-squares slope of CPU seconds over spec count: what each spec costs whatever the load.
   * Divided by the cores it bounds the marginal wall time on an idle machine from below.
   */
  marginalCpuS?: number;
  /** Tree RSS of the 100-spec row (the goal's figure). */
  treeRssMbAtGoal?: number;
  marginalVerdict: 'PASS' | 'MISS' | 'n/a';
  rssVerdict: 'PASS' | 'MISS' | 'n/a';
  /** Where and when this section was measured (bench/report.ts machineLine). */
  machine?: string;
}

const mb = (kb: number) => Math.round(kb / 102.4) / 10;

/** Rows -> the fit and the verdicts (pure: no process is run). */
export function summarizeFleet(rows: FleetRow[]): FleetResult {
  const ok = rows.filter((r) => r.wallMsMedian !== undefined);
  const fit =
    new Set(ok.map((r) => r.specs)).size >= 2
      ? leastSquares(ok.map((r) => ({ x: r.specs, y: r.wallMsMedian! / 1000 })))
      : undefined;
  const atGoal = rows.find((r) => r.specs === 100)?.treeRssMbMedian;
  const withCpu = ok.filter((r) => r.cpuSMedian !== undefined);
  const cpuFit =
    new Set(withCpu.map((r) => r.specs)).size >= 2
      ? leastSquares(withCpu.map((r) => ({ x: r.specs, y: r.cpuSMedian! })))
      : undefined;
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return {
    goal: { marginalS: FLEET_MARGINAL_GOAL_S, treeRssMb: FLEET_RSS_GOAL_MB, atSpecs: 100 },
    rows,
    marginalS: fit && round(fit.slope),
    interceptS: fit && round(fit.intercept),
    marginalCpuS: cpuFit && round(cpuFit.slope),
    marginalMethod: `least-squares slope of median wall time over spec count (${ok.map((r) => r.specs).join(', ')} specs)`,
    treeRssMbAtGoal: atGoal,
    marginalVerdict: fit ? (fit.slope <= FLEET_MARGINAL_GOAL_S ? 'PASS' : 'MISS') : 'n/a',
    rssVerdict: atGoal === undefined ? 'n/a' : atGoal <= FLEET_RSS_GOAL_MB ? 'PASS' : 'MISS',
  };
}

export interface FleetOptions {
  root: string;
  scratch: string;
  runs: number;
  sizes?: readonly number[];
  log?: (line: string) => void;
}

/** Generate each fleet and measure `npm run synth -- --dir <fleet> --out <scratch>` on it. */
export async function runFleet(opts: FleetOptions): Promise<FleetResult> {
  const log = opts.log ?? (() => undefined);
  const rows: FleetRow[] = [];
  for (const count of opts.sizes ?? FLEET_SIZES) {
    const dir = path.join(opts.scratch, `fleet-${count}`);
    writeFleet(opts.root, dir, count);
    const ms: Measurement[] = [];
    let error: string | undefined;
    for (let i = 0; i < opts.runs && !error; i++) {
      const out = path.join(opts.scratch, `fleet-${count}-dist`);
      fs.rmSync(out, { recursive: true, force: true });
      const m = await measure({
        command: 'npm',
        args: ['run', '--silent', 'synth', '--', '--dir', dir, '--out', out],
        cwd: opts.root,
        env: { ...process.env },
      });
      if (m.exitCode !== 0) error = `exited ${m.exitCode}: ${m.failure}`;
      else {
        ms.push(m);
        log(
          `  fleet ${count} spec(s) run ${i + 1}/${opts.runs}: ${(m.wallMs / 1000).toFixed(1)} s${m.cpuMs === undefined ? '' : ` (CPU ${(m.cpuMs / 1000).toFixed(1)} s)`}, tree ${Math.round(mb(m.treeRssKb))} MB`,
        );
      }
      fs.rmSync(out, { recursive: true, force: true });
    }
    if (error) log(`  fleet ${count}: ${error}`);
    rows.push({
      specs: count,
      runs: ms.length,
      wallMs: ms.map((m) => Math.round(m.wallMs)),
      wallMsMedian: ms.length ? Math.round(median(ms.map((m) => m.wallMs))) : undefined,
      peakRssMbMedian: ms.length ? mb(median(ms.map((m) => m.peakRssKb))) : undefined,
      treeRssMbMedian: ms.length ? mb(median(ms.map((m) => m.treeRssKb))) : undefined,
      cpuSMedian:
        ms.length && ms.every((m) => m.cpuMs !== undefined)
          ? Math.round(median(ms.map((m) => m.cpuMs!))) / 1000
          : undefined,
      error,
    });
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return summarizeFleet(rows);
}

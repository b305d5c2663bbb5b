/**
 * Synth-speed rows: each target's synth as a whole process next to its floor (the same toolchain on an
 * empty app), alternated run by run so both see the same machine load.
 *
 * Every command starts as `node <tsx cli> <file>` (what `npx tsx <file>` ends up running, without
 * npx's own ~0.3 s start); the whole-synth row goes through `npm run` because that is the command
 * users type, and its floor goes through npm too (`npm exec`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { measure, median, ratio, verdict, type Measurement, type RunSpec } from './measure';

export const TARGET_RATIO = 1.5;

export interface SynthRow {
  id: string;
  label: string;
  target: RunSpec;
  floor: RunSpec;
  /** What the floor is, in words (for the table and docs). */
  floorLabel: string;
  /** Set when the row cannot run yet (e.g. the app file does not exist); the row is reported as skipped. */
  skip?: string;
}

export interface RowResult {
  id: string;
  label: string;
  floorLabel: string;
  skipped?: string;
  runs: number;
  target?: Summary;
  floor?: Summary;
  /** median target wall / median floor wall */
  wallRatio?: number;
  /** median target peak RSS / median floor peak RSS */
  rssRatio?: number;
  verdict: 'PASS' | 'MISS' | 'n/a' | 'ERROR';
  error?: string;
}

export interface Summary {
  wallMsMedian: number;
  wallMs: number[];
  peakRssMbMedian: number;
  treeRssMbMedian: number;
  peakRssMethod: Measurement['peakRssMethod'];
}

export interface SynthOptions {
  root: string;
  runs: number;
  warmup: number;
  /** Scratch directory for outputs (git-ignored bench/runs/). */
  scratch: string;
  log?: (line: string) => void;
}

const tsxCli = (root: string) => path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');

function tsx(root: string, file: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): RunSpec {
  return {
    command: process.execPath,
    args: [tsxCli(root), file, ...args],
    cwd: root,
    env: { ...process.env, ...env },
  };
}

/** The context the CDK CLI hands an app: cdk.json's context, as CDK_CONTEXT_JSON. */
export function cdkEnv(root: string, outdir: string): NodeJS.ProcessEnv {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(root, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return { CDK_CONTEXT_JSON: JSON.stringify(cdkJson.context ?? {}), CDK_OUTDIR: outdir };
}

const missing = (root: string, file: string) =>
  fs.existsSync(path.join(root, file)) ? undefined : `${file} does not exist yet`;

export function synthRows(root: string, scratch: string): SynthRow[] {
  const out = (name: string) => path.join(scratch, name);
  const pulumiFloor = tsx(root, 'bench/floor/empty-pulumi.ts');
  const rows: SynthRow[] = [
    {
      id: 'aws-cdk',
      label: 'AWS: CDK app (stacks/aws.ts, cdk-nag packs)',
      target: tsx(root, 'stacks/aws.ts', [], cdkEnv(root, out('cdk-target'))),
      floor: tsx(root, 'bench/floor/empty-cdk.ts', [], cdkEnv(root, out('cdk-floor'))),
      floorLabel: 'empty CDK stack',
      skip: missing(root, 'stacks/aws.ts'),
    },
    {
      id: 'k8s-cdk8s',
      label: 'Kubernetes: cdk8s app (k8s/main.ts)',
      target: tsx(root, 'k8s/main.ts', ['--spec', 'examples/default.yaml', '--out', out('cdk8s-target')]),
      floor: tsx(root, 'bench/floor/empty-cdk8s.ts', [], { CDK8S_OUTDIR: out('cdk8s-floor') }),
      floorLabel: 'empty cdk8s chart',
      skip: missing(root, 'k8s/main.ts'),
    },
    ...(['gcp', 'azure-premium', 'azure-managed'] as const).map((t) => ({
      id: `pulumi-${t}`,
      label: `Pulumi under mocks: ${t} (lib/pulumi/preview-cli.ts)`,
      target: tsx(root, 'lib/pulumi/preview-cli.ts', ['examples/default.yaml', t, out(`pulumi-${t}.json`)]),
      floor: pulumiFloor,
      floorLabel: 'empty Pulumi program under mocks',
      skip: missing(root, 'lib/pulumi/preview-cli.ts'),
    })),
    {
      id: 'self-hosted',
      label: 'Self-hosted render (renderSelfHosted)',
      target: tsx(root, 'bench/targets/selfhosted.ts', ['examples/default.yaml', out('self-hosted')]),
      floor: tsx(root, 'bench/floor/empty.ts'),
      floorLabel: 'tsx running an empty file',
      skip: missing(root, 'lib/selfhosted/render.ts'),
    },
    {
      id: 'synth-all',
      label: 'Whole `npm run synth` (lib/cli/synth.ts)',
      target: {
        command: 'npm',
        // Its own output folder, so the bench never overwrites someone's dist/.
        args: ['run', '--silent', 'synth', '--', '--out', out('synth-dist')],
        cwd: root,
        // The synth command places its CDK output itself: no CDK_* variables here.
        env: { ...process.env },
      },
      floor: {
        command: 'npm',
        args: ['exec', '--offline', '--', 'tsx', 'bench/floor/all.ts'],
        cwd: root,
        env: {
          ...process.env,
          ...cdkEnv(root, out('synth-floor-cdk')),
          CDK8S_OUTDIR: out('synth-floor-cdk8s'),
        },
      },
      floorLabel: 'npm + the three empty apps in one process',
      skip: missing(root, 'lib/cli/synth.ts'),
    },
  ];
  return rows;
}

const mb = (kb: number) => Math.round(kb / 102.4) / 10;

function summarize(ms: Measurement[]): Summary {
  return {
    wallMsMedian: Math.round(median(ms.map((m) => m.wallMs))),
    wallMs: ms.map((m) => Math.round(m.wallMs)),
    peakRssMbMedian: mb(median(ms.map((m) => m.peakRssKb))),
    treeRssMbMedian: mb(median(ms.map((m) => m.treeRssKb))),
    peakRssMethod: ms[0].peakRssMethod,
  };
}

class RunFailed extends Error {}

async function once(spec: RunSpec, what: string): Promise<Measurement> {
  const m = await measure(spec);
  if (m.exitCode !== 0) {
    throw new RunFailed(`${what} exited ${m.exitCode}: ${m.failure}`);
  }
  return m;
}

/**
 * Measure every row. Run i measures target then floor for even i, floor then target for odd i, row
 * after row, so slow drifts in machine load hit both sides alike. Warm-up runs (tsx's transform cache,
 * the page cache) are not counted.
 */
export async function runSynthRows(rows: SynthRow[], opts: SynthOptions): Promise<RowResult[]> {
  const log = opts.log ?? (() => undefined);
  fs.mkdirSync(opts.scratch, { recursive: true });
  const samples = new Map<string, { target: Measurement[]; floor: Measurement[]; error?: string }>();
  const live = rows.filter((r) => !r.skip);
  for (const r of live) samples.set(r.id, { target: [], floor: [] });
  for (let i = -opts.warmup; i < opts.runs; i++) {
    for (const r of live) {
      const s = samples.get(r.id)!;
      if (s.error) continue;
      const order: Array<'target' | 'floor'> = i % 2 === 0 ? ['target', 'floor'] : ['floor', 'target'];
      try {
        for (const side of order) {
          const m = await once(r[side], `${r.id} ${side}`);
          if (i >= 0) s[side].push(m);
        }
        if (i >= 0) {
          const [t, f] = [s.target[s.target.length - 1], s.floor[s.floor.length - 1]];
          log(`  ${r.id} run ${i + 1}/${opts.runs}: ${fmtS(t.wallMs)} vs floor ${fmtS(f.wallMs)}`);
        }
      } catch (e) {
        if (!(e instanceof RunFailed)) throw e;
        s.error = e.message;
        log(`  ${r.id}: ${e.message}`);
      }
    }
  }
  return rows.map((r) => result(r, samples.get(r.id), opts.runs));
}

const fmtS = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function result(
  r: SynthRow,
  s: { target: Measurement[]; floor: Measurement[]; error?: string } | undefined,
  runs: number,
): RowResult {
  const base = { id: r.id, label: r.label, floorLabel: r.floorLabel, runs };
  if (r.skip || !s) return { ...base, runs: 0, skipped: r.skip, verdict: 'n/a' };
  if (s.error) return { ...base, runs: s.target.length, verdict: 'ERROR', error: s.error };
  const target = summarize(s.target);
  const floor = summarize(s.floor);
  const wallRatio = ratio(target.wallMsMedian, floor.wallMsMedian);
  return {
    ...base,
    target,
    floor,
    wallRatio,
    rssRatio: ratio(target.peakRssMbMedian, floor.peakRssMbMedian),
    verdict: verdict(wallRatio, TARGET_RATIO),
  };
}

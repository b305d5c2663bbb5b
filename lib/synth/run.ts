/**
 * `npm run synth`: every adapter for every spec, then conformance read from the artifacts, the
 * secret scan and the reports. Each spec is built in dist/.staging-<id> and moved to dist/<id> only
 * when every target succeeded and no invariant failed, so a failed run leaves nothing partial.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthAws } from '../aws/synth';
import { loadDeployment, type Deployment } from '../deployment';
import { synthKubernetes } from '../k8s/synth';
import { previewPulumiBatch, type PreviewJob } from '../pulumi/preview';
import { renderSelfHosted } from '../selfhosted/render';
import { readConformance } from '../conformance';
import type { TargetResult } from '../conformance/types';
import { writeReports } from '../report';

export type SynthTarget = 'aws' | 'gcp' | 'azure-premium' | 'azure-managed' | 'kubernetes' | 'self-hosted';

export interface TargetRun {
  target: SynthTarget;
  status: 'ok' | 'failed' | 'skipped';
  ms: number;
  files: string[];
  /** Why it failed or was skipped (one line). */
  note?: string;
}

export interface SpecRun {
  id: string;
  specPath: string;
  deployment: Deployment;
  runs: TargetRun[];
  conformance: TargetResult[];
  /** One line per failure: target failures and failing invariants. */
  failures: string[];
  outDir: string;
}

export interface SynthOptions {
  specs: string[];
  outRoot: string;
  log?: (line: string) => void;
}

const oneLine = (e: unknown) => String((e as Error)?.message ?? e).split('\n')[0];

function timed(target: SynthTarget, fn: () => string[]): TargetRun {
  const start = Date.now();
  try {
    const files = fn();
    return { target, status: 'ok', ms: Date.now() - start, files };
  } catch (e) {
    return { target, status: 'failed', ms: Date.now() - start, files: [], note: oneLine(e) };
  }
}

function pulumiTargets(d: Deployment): Array<'gcp' | 'azure-premium' | 'azure-managed'> {
  const out: Array<'gcp' | 'azure-premium' | 'azure-managed'> = [];
  if (d.spec.targets.gcp) out.push('gcp');
  if (d.spec.targets.azure) out.push('azure-premium', 'azure-managed');
  return out;
}

/** Loads every spec first, so bad input fails before anything is written. */
export function loadAll(specs: string[]): Array<{ specPath: string; deployment: Deployment }> {
  const loaded = specs.map((specPath) => ({ specPath, deployment: loadDeployment(specPath) }));
  const seen = new Map<string, string>();
  for (const { specPath, deployment } of loaded) {
    const other = seen.get(deployment.id);
    if (other)
      throw new Error(
        `${specPath}: name ${deployment.id} is also used by ${other}; names pick the dist/ folder`,
      );
    seen.set(deployment.id, specPath);
  }
  return loaded;
}

export async function synthAll(opts: SynthOptions): Promise<SpecRun[]> {
  const log = opts.log ?? (() => undefined);
  const loaded = loadAll(opts.specs);
  fs.mkdirSync(opts.outRoot, { recursive: true });
  const staging = (id: string) => path.join(opts.outRoot, `.staging-${id}`);
  for (const { deployment } of loaded) fs.rmSync(staging(deployment.id), { recursive: true, force: true });

  // Pulumi previews run in one child process, in parallel with the in-process targets.
  const jobs: PreviewJob[] = loaded.flatMap(({ specPath, deployment }) =>
    pulumiTargets(deployment).map((target) => ({
      spec: specPath,
      target,
      outFile: path.join(staging(deployment.id), 'pulumi', `${target}.json`),
    })),
  );
  const pulumiStart = Date.now();
  const pulumi = jobs.length ? previewPulumiBatch(jobs).then(() => '', oneLine) : Promise.resolve('');

  const results: SpecRun[] = [];
  for (const { specPath, deployment: d } of loaded) {
    const dir = staging(d.id);
    const runs: TargetRun[] = [];
    runs.push(
      d.spec.targets.aws
        ? timed('aws', () => synthAws(d, path.join(dir, 'aws')))
        : skipped('aws', 'no targets.aws in the spec'),
    );
    runs.push(
      d.spec.targets.kubernetes
        ? timed('kubernetes', () => synthKubernetes(d, path.join(dir, 'k8s')))
        : skipped('kubernetes', 'no targets.kubernetes in the spec'),
    );
    runs.push(timed('self-hosted', () => renderSelfHosted(d, path.join(dir, 'self-hosted'))));
    results.push({
      id: d.id,
      specPath,
      deployment: d,
      runs,
      conformance: [],
      failures: [],
      outDir: path.join(opts.outRoot, d.id),
    });
  }

  const pulumiError = await pulumi;
  const pulumiMs = Date.now() - pulumiStart;
  for (const r of results) {
    const d = r.deployment;
    for (const target of ['gcp', 'azure-premium', 'azure-managed'] as const) {
      if (!pulumiTargets(d).includes(target)) {
        r.runs.push(
          skipped(target, target === 'gcp' ? 'no targets.gcp in the spec' : 'no targets.azure in the spec'),
        );
        continue;
      }
      const file = path.join(staging(d.id), 'pulumi', `${target}.json`);
      r.runs.push(
        fs.existsSync(file)
          ? { target, status: 'ok', ms: Math.round(pulumiMs / Math.max(1, jobs.length)), files: [file] }
          : { target, status: 'failed', ms: 0, files: [], note: pulumiError || 'the preview wrote no file' },
      );
    }
    finish(r, staging(d.id), log);
  }
  return results;
}

function skipped(target: SynthTarget, note: string): TargetRun {
  return { target, status: 'skipped', ms: 0, files: [], note };
}

/** Conformance, secret scan and reports for one spec; then publish or discard the staging dir. */
function finish(r: SpecRun, dir: string, log: (line: string) => void): void {
  for (const run of r.runs) {
    log(
      `${r.id.padEnd(20)} ${run.target.padEnd(14)} ${run.status.padEnd(7)} ${run.status === 'ok' ? `${String(run.files.length).padStart(3)} file(s) ${(run.ms / 1000).toFixed(1).padStart(5)} s` : (run.note ?? '')}`,
    );
    if (run.status === 'failed') r.failures.push(`${r.id} ${run.target}: ${run.note}`);
  }
  if (r.failures.length === 0) {
    r.conformance = readConformance(dir, r.deployment);
    for (const t of r.conformance) {
      for (const [inv, cell] of Object.entries(t.cells)) {
        if (cell.status === 'fail') r.failures.push(`${r.id} ${t.target}: ${inv} fails: ${cell.detail}`);
      }
    }
    writeReports(dir, r);
  }
  if (r.failures.length === 0) {
    fs.rmSync(r.outDir, { recursive: true, force: true });
    fs.renameSync(dir, r.outDir);
  } else {
    // Keep any earlier good output as it was; drop this run's partial files.
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

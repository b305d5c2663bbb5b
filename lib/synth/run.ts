/**
 * `npm run synth`: every adapter for every spec, then conformance read from the artifacts, the
 * secret scan and the reports. Each spec is built in a staging folder of its own run
 * (dist/.staging-<id>-<pid>-<random>) and moved to dist/<id> only when every target succeeded, no
 * invariant failed and the scan of the whole folder (reports included) is clean, so a failed run
 * leaves nothing partial and two runs at once never write into each other's folder. Publishing moves
 * the earlier dist/<id> aside first (dist/.previous-<id>-<pid>) and deletes it only after the new one
 * is in place; a run killed between the two renames leaves it there, and the next run puts it back.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthAwsFleet } from '../aws/synth';
import { loadDeployment, type Deployment } from '../deployment';
import { synthKubernetes } from '../k8s/synth';
import { previewPulumiFleet, type PreviewJob } from '../pulumi/preview';
import { renderSelfHosted } from '../selfhosted/render';
import { readConformance } from '../conformance';
import { sizingMismatches } from '../conformance/sizing';
import { contractGaps } from '../conformance/contract-check';
import { scanDirectory } from '../checks/secret-scan';
import { SpecError } from '../errors';
import type { TargetResult } from '../conformance/types';
import { checkGuides } from '../guides/evaluate';
import type { GuideResult } from '../guides/types';
import { writeReports } from '../report';

export type SynthTarget = 'aws' | 'gcp' | 'azure-premium' | 'azure-managed' | 'kubernetes' | 'self-hosted';

export interface TargetRun {
  target: SynthTarget;
  status: 'ok' | 'failed' | 'skipped';
  ms: number;
  files: string[];
  /** Why it failed or was skipped (one line). Part of the report: never depends on the fleet. */
  note?: string;
  /** For the progress log only: the batch `ms` is the time of (one CDK app, the preview children). */
  batch?: string;
}

export interface SpecRun {
  id: string;
  specPath: string;
  deployment: Deployment;
  runs: TargetRun[];
  conformance: TargetResult[];
  /** The guides' recommendations classified from this spec's artifacts. */
  guides: GuideResult[];
  /** One line per failure: target failures and failing invariants. */
  failures: string[];
  outDir: string;
}

export interface SynthOptions {
  specs: string[];
  outRoot: string;
  log?: (line: string) => void;
  /** Specs per CDK app (one cdk-nag and template-validation pass each). @default DEFAULT_CHUNK */
  chunk?: number;
  /** Pulumi preview child processes. @default defaultPulumiChildren() */
  pulumiChildren?: number;
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
      throw new SpecError(
        'name',
        deployment.id,
        other === specPath
          ? `${specPath} is given twice; pass each spec once`
          : `${other} has the same name and the name picks the dist/ folder; rename one of them`,
        specPath,
      );
    seen.set(deployment.id, specPath);
  }
  return loaded;
}

/** Specs per CDK app and per step of the fleet loop (see synthAll). */
export const DEFAULT_CHUNK = 10;

/**
 * Pulumi preview children for a machine: one per core beyond the one this process keeps busy with
 * the in-process targets, at most MAX_PULUMI_CHILDREN (each holds about 0.4 GB).
 */
export function defaultPulumiChildren(cores = os.availableParallelism()): number {
  return Math.max(1, Math.min(MAX_PULUMI_CHILDREN, cores - 1));
}
const MAX_PULUMI_CHILDREN = 3;

/**
 * A fleet of specs in one process: every spec is loaded (and checked) first, the toolchain is loaded
 * once, the specs go through the in-process targets CHUNK at a time (one CDK app, so one cdk-nag
 * pass, per chunk), and the Pulumi previews of the whole fleet run meanwhile in child processes that
 * report each job as it ends. A spec is finished (conformance, reports, scan, publish) as soon as its
 * previews are in, so this process and the children stay busy together and finished specs' files
 * are not held to the end. One spec's failure stays with that spec.
 */
export async function synthAll(opts: SynthOptions): Promise<SpecRun[]> {
  const log = opts.log ?? (() => undefined);
  const loaded = loadAll(opts.specs);
  prepareOut(opts.outRoot);
  cleanUp(
    opts.outRoot,
    loaded.map((l) => l.deployment.id),
  );
  const stagingDirs = new Map(
    loaded.map(({ deployment: d }) => [
      d.id,
      fs.mkdtempSync(path.join(opts.outRoot, `.staging-${d.id}-${process.pid}-`)),
    ]),
  );
  // mkdtemp makes the folder owner-only; the published dist/<name>/ keeps the usual mode.
  for (const dir of stagingDirs.values()) fs.chmodSync(dir, 0o755);
  const staging = (id: string) => stagingDirs.get(id)!;

  const jobs: PreviewJob[] = loaded.flatMap(({ specPath, deployment }) =>
    pulumiTargets(deployment).map((target) => ({
      spec: specPath,
      target,
      outFile: path.join(staging(deployment.id), 'pulumi', `${target}.json`),
    })),
  );
  // Pulumi results by output file; a spec can be finished once all of its jobs are in.
  const previewed = new Map<string, { error?: string; ms: number }>();
  const pulumiStart = Date.now();
  const children = opts.pulumiChildren ?? defaultPulumiChildren();
  const pulumi = jobs.length
    ? previewPulumiFleet(jobs, {
        children,
        onDone: (job, error) => previewed.set(job.outFile, { error, ms: Date.now() - pulumiStart }),
      })
    : Promise.resolve([]);
  const previewsIn = (r: SpecRun) =>
    pulumiTargets(r.deployment).every((t) => previewed.has(pulumiFile(staging(r.id), t)));

  const chunk = Math.max(1, opts.chunk ?? DEFAULT_CHUNK);
  const results: SpecRun[] = [];
  let finished = 0;
  const finishReady = () => {
    while (finished < results.length && previewsIn(results[finished])) {
      const r = results[finished++];
      addPulumiRuns(r, staging(r.id), previewed, jobs.length, children);
      finish(r, staging(r.id), log);
    }
  };
  for (let start = 0; start < loaded.length; start += chunk) {
    results.push(...synthChunk(loaded.slice(start, start + chunk), staging, opts.outRoot));
    // Let the children's progress lines in, then finish every spec whose previews are done.
    await new Promise((resolve) => setImmediate(resolve));
    finishReady();
  }
  await pulumi;
  finishReady();
  return results;
}

const pulumiFile = (dir: string, target: string) => path.join(dir, 'pulumi', `${target}.json`);

/** The in-process targets of some specs: AWS as one CDK app, then Kubernetes and self-hosted per spec. */
function synthChunk(
  specs: Array<{ specPath: string; deployment: Deployment }>,
  staging: (id: string) => string,
  outRoot: string,
): SpecRun[] {
  const withAws = specs.filter(({ deployment: d }) => d.spec.targets.aws);
  const awsStart = Date.now();
  const aws = synthAwsFleet(
    withAws.map(({ deployment: d }) => ({ deployment: d, outDir: path.join(staging(d.id), 'aws') })),
  );
  const awsMs = Date.now() - awsStart;
  return specs.map(({ specPath, deployment: d }) => {
    const dir = staging(d.id);
    const runs: TargetRun[] = [];
    const i = withAws.findIndex((s) => s.deployment === d);
    if (i < 0) runs.push(skipped('aws', 'no targets.aws in the spec'));
    else {
      const r = aws[i];
      // One app for the chunk: its time is the chunk's, not a made-up share.
      const batch = withAws.length > 1 ? `one CDK app of ${withAws.length} stacks` : undefined;
      runs.push(
        'files' in r
          ? { target: 'aws', status: 'ok', ms: awsMs, files: r.files, batch }
          : { target: 'aws', status: 'failed', ms: awsMs, files: [], note: oneLine(r.error), batch },
      );
    }
    runs.push(
      d.spec.targets.kubernetes
        ? timed('kubernetes', () => synthKubernetes(d, path.join(dir, 'k8s')))
        : skipped('kubernetes', 'no targets.kubernetes in the spec'),
    );
    runs.push(timed('self-hosted', () => renderSelfHosted(d, path.join(dir, 'self-hosted'))));
    return {
      id: d.id,
      specPath,
      deployment: d,
      runs,
      conformance: [],
      guides: [],
      failures: [],
      outDir: path.join(outRoot, d.id),
    };
  });
}

/** The Pulumi targets' runs of a spec, from what the preview children reported. */
function addPulumiRuns(
  r: SpecRun,
  dir: string,
  previewed: Map<string, { error?: string; ms: number }>,
  jobs: number,
  children: number,
): void {
  for (const target of ['gcp', 'azure-premium', 'azure-managed'] as const) {
    if (!pulumiTargets(r.deployment).includes(target)) {
      r.runs.push(
        skipped(target, target === 'gcp' ? 'no targets.gcp in the spec' : 'no targets.azure in the spec'),
      );
      continue;
    }
    const file = pulumiFile(dir, target);
    const p = previewed.get(file)!;
    // The previews run one after the other in shared children: the time is since they started.
    const batch = `time since the start of ${jobs} preview(s) in ${Math.min(children, jobs)} child process(es)`;
    r.runs.push(
      !p.error && fs.existsSync(file)
        ? { target, status: 'ok', ms: p.ms, files: [file], batch }
        : {
            target,
            status: 'failed',
            ms: p.ms,
            files: [],
            note: p.error ?? 'the preview wrote no file',
            batch,
          },
    );
  }
}

/**
 * The output root must be a directory or a path where one can be made: bad input (exit 2, one line),
 * not a raw EEXIST/ENOTDIR. Only the last level is made without `recursive` (Node 20's recursive
 * mkdir spins forever under /proc).
 */
export function prepareOut(out: string): void {
  const bad = (why: string) =>
    new SpecError('--out', out, `expected a directory or a path where one can be created (${why})`, 'synth');
  if (fs.existsSync(out)) {
    if (!fs.statSync(out).isDirectory()) throw bad('it is a file');
    return;
  }
  try {
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.mkdirSync(out);
  } catch (e) {
    throw bad(String((e as NodeJS.ErrnoException).code ?? (e as Error).message));
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Leftovers of killed runs for these names: staging folders of processes that are gone are removed;
 * an earlier good output moved aside by a run killed before its new output was in place is put back.
 */
function cleanUp(outRoot: string, ids: string[]): void {
  const quote = (id: string) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const entry of fs.readdirSync(outRoot)) {
    for (const id of ids) {
      // Exactly the names this module makes: .staging-<id>-<pid>-<6 chars>, .previous-<id>-<pid>[-<n>].
      const m = new RegExp(
        `^\\.(?:staging-${quote(id)}-(\\d+)-[A-Za-z0-9]{6}|previous-${quote(id)}-(\\d+)(?:-\\d)?)$`,
      ).exec(entry);
      if (!m || alive(Number(m[1] ?? m[2]))) continue;
      const full = path.join(outRoot, entry);
      const out = path.join(outRoot, id);
      if (m[2] && !fs.existsSync(out)) fs.renameSync(full, out);
      else fs.rmSync(full, { recursive: true, force: true });
    }
  }
}

/** Replace dist/<id> with the staging folder; the earlier output is only deleted once the new one is in. */
function publish(dir: string, outDir: string): void {
  const base = path.join(path.dirname(outDir), `.previous-${path.basename(outDir)}-${process.pid}`);
  const moved: string[] = [];
  for (let attempt = 0; ; attempt++) {
    if (fs.existsSync(outDir)) {
      const aside = attempt ? `${base}-${attempt}` : base;
      fs.rmSync(aside, { recursive: true, force: true });
      fs.renameSync(outDir, aside);
      moved.push(aside);
    }
    try {
      fs.renameSync(dir, outDir);
      break;
    } catch (e) {
      // Another run published the same name between the two renames: move that one aside, too.
      const code = (e as NodeJS.ErrnoException).code;
      if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || attempt >= 3) throw e;
    }
  }
  for (const aside of moved) fs.rmSync(aside, { recursive: true, force: true });
}

function skipped(target: SynthTarget, note: string): TargetRun {
  return { target, status: 'skipped', ms: 0, files: [], note };
}

/** Conformance, secret scan and reports for one spec; then publish or discard the staging dir. */
function finish(r: SpecRun, dir: string, log: (line: string) => void): void {
  for (const run of r.runs) {
    log(
      `${r.id.padEnd(20)} ${run.target.padEnd(14)} ${run.status.padEnd(7)} ${run.status === 'ok' ? `${String(run.files.length).padStart(3)} file(s) ${(run.ms / 1000).toFixed(1).padStart(5)} s${run.batch || run.note ? ` (${[run.batch, run.note].filter(Boolean).join('; ')})` : ''}` : (run.note ?? '')}`,
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
    for (const m of sizingMismatches(dir, r.deployment)) r.failures.push(`${r.id} ${m}`);
    for (const m of contractGaps(r.conformance, r.deployment)) r.failures.push(`${r.id} ${m}`);
    r.guides = checkGuides({ dir, deployment: r.deployment, conformance: r.conformance });
    writeReports(dir, r);
    // The conformance cells scanned each target's files; this covers the reports and anything else.
    const scanned = r.conformance.flatMap((t) => t.files);
    const coveredByCells = (rel: string) =>
      scanned.some((s) => rel === s || rel.startsWith(`${s}${path.sep}`));
    for (const f of scanDirectory(dir, coveredByCells)) {
      r.failures.push(`${r.id} secret scan: ${f.kind} at ${f.file}:${f.line} (${f.excerpt})`);
    }
  }
  if (r.failures.length === 0) {
    publish(dir, r.outDir);
  } else {
    // Keep any earlier good output as it was; drop this run's partial files.
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Offline Pulumi preview: run the program for a spec and target under mocks and write what it would
 * create (type, name, inputs with secrets shown as "[secret]") as JSON, so people without a cloud
 * account can read the plan. `npm run synth` calls this for dist/<id>/pulumi/<target>.json.
 *
 * Pulumi's runtime state is global to a process, so by default each call runs in a child process
 * (`tsx lib/pulumi/preview-cli.ts`). `previewPulumiBatch` runs many spec/target pairs one after the
 * other in a single child (about 1 s per spec instead of 1-2 s per pair). `previewPulumiFleet` is
 * what `npm run synth` uses: every job runs even when another fails, each is reported as it ends
 * (so the caller can go on with that spec while the child works on the next), and the jobs can be
 * spread over several children.
 *
 * This module is the parent's side and loads nothing of Pulumi (`npm run synth` imports it); the
 * child's side is ./preview-run.ts.
 */
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadDeployment } from '../deployment';
import { FAKE_SECRETS } from './mocks';
import { PULUMI_TARGETS, type PulumiTarget } from './targets';

export interface PreviewJob {
  spec: string;
  target: PulumiTarget;
  outFile: string;
}

const CLI = path.join(__dirname, 'preview-cli.ts');

/**
 * Young-generation size (MiB) for the preview children, as `npm run synth` sets it for itself
 * (package.json): the programs allocate many short-lived objects, and with V8's default 16 MiB too
 * many survive into the old generation, which is then collected again and again. On a 30-spec fleet
 * (2 cores) 32 MiB cut the synth's CPU time by about a quarter and its peak RSS by about 250 MB; 64
 * did no better. (v8.setFlagsFromString at run time did not take effect: it must be a start flag.)
 */
export const SEMI_SPACE_MB = 32;

/** Write one preview (in a child process). */
export async function previewPulumi(specPath: string, target: PulumiTarget, outFile: string): Promise<void> {
  await previewPulumiBatch([{ spec: specPath, target, outFile }]);
}

/** Write many previews from one child process; rejects with the child's one-line error. */
export function previewPulumiBatch(jobs: PreviewJob[]): Promise<void> {
  const tsx = require.resolve('tsx/cli');
  const args = [
    tsx,
    CLI,
    '--jobs',
    JSON.stringify(jobs.map((j) => ({ ...j, spec: path.resolve(j.spec), outFile: path.resolve(j.outFile) }))),
  ];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 }, (err, _stdout, stderr) => {
      if (err) {
        const line =
          stderr.split('\n').find((l) => l.startsWith('error: ')) ??
          stderr.trim().split('\n').pop() ??
          err.message;
        reject(new Error(line.replace(/^error: /, '')));
      } else resolve();
    });
  });
}

export interface FleetPreviewOptions {
  /**
   * Child processes to spread the specs over (each loads Pulumi and both providers, about 0.4 GB).
   * A spec's jobs stay in one child, and each child takes the specs in the given order.
   * @default 1
   */
  children?: number;
  /** Called as each job ends: `error` is its one-line reason, undefined when its file was written. */
  onDone?: (job: PreviewJob, error: string | undefined) => void;
}

/**
 * Run every job in child processes and resolve with one entry per job: undefined when its file was
 * written, else the one-line reason. Never rejects because of a job: a failing spec or target fails
 * only its own jobs; a child that dies fails the jobs it had not finished, with its last error line.
 */
export async function previewPulumiFleet(
  jobs: PreviewJob[],
  opts: FleetPreviewOptions = {},
): Promise<Array<string | undefined>> {
  const errors: Array<string | undefined> = jobs.map(() => undefined);
  const specs = [...new Set(jobs.map((j) => path.resolve(j.spec)))];
  const children = Math.max(1, Math.min(opts.children ?? 1, specs.length));
  // Spec i goes to child i % children: every child works through the fleet from the front.
  const shares = Array.from({ length: children }, () => [] as number[]);
  jobs.forEach((j, i) => shares[specs.indexOf(path.resolve(j.spec)) % children].push(i));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-iac-preview-'));
  try {
    await Promise.all(
      shares.map((share, k) =>
        runFleetChild(
          share.map((i) => jobs[i]),
          path.join(tmp, `jobs-${k}.json`),
          (local, error) => {
            errors[share[local]] = error;
            opts.onDone?.(jobs[share[local]], error);
          },
        ),
      ),
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return errors;
}

/** One child with `--each`: parses its `job <i> ok|error <why>` lines as they come. */
function runFleetChild(
  jobs: PreviewJob[],
  jobsFile: string,
  onDone: (index: number, error: string | undefined) => void,
): Promise<void> {
  if (!jobs.length) return Promise.resolve();
  // A file, not an argument: one argument may not exceed 128 KiB on Linux (about 500 jobs).
  fs.writeFileSync(
    jobsFile,
    JSON.stringify(jobs.map((j) => ({ ...j, spec: path.resolve(j.spec), outFile: path.resolve(j.outFile) }))),
  );
  const done = new Set<number>();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        require.resolve('tsx/cli'),
        `--max-semi-space-size=${SEMI_SPACE_MB}`,
        CLI,
        '--jobs-file',
        jobsFile,
        '--each',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let pending = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        const m = /^job (\d+) (ok|error)(?: (.*))?$/.exec(line);
        if (!m) continue;
        const i = Number(m[1]);
        done.add(i);
        onDone(i, m[2] === 'ok' ? undefined : m[3] || 'the preview failed');
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-16_000);
    });
    const finish = (why: string) => {
      for (let i = 0; i < jobs.length; i++) {
        if (done.has(i)) continue;
        done.add(i);
        onDone(i, why);
      }
      resolve();
    };
    child.on('error', (e) => finish(`the preview child did not start: ${e.message}`));
    child.on('close', (code, signal) => {
      const line =
        stderr.split('\n').find((l) => l.startsWith('error: ')) ?? stderr.trim().split('\n').pop() ?? '';
      finish(
        line.replace(/^error: /, '') ||
          `the preview child ended (${signal ?? `exit code ${code}`}) before this job`,
      );
    });
  });
}

/** Every example x every Pulumi target -> dist/<id>/pulumi/<target>.json, one child process in all. */
export function previewJobsFor(
  specs: string[],
  distDir: string,
  idOf: (spec: string) => string,
): PreviewJob[] {
  return specs.flatMap((spec) =>
    PULUMI_TARGETS.map((target) => ({
      spec,
      target,
      outFile: path.join(distDir, idOf(spec), 'pulumi', `${target}.json`),
    })),
  );
}

/**
 * What `npm run synth` needs: every spec on every Pulumi target, written to
 * `<distDir>/<deployment id>/pulumi/<target>.json` by one child process. Returns the files written.
 */
export async function previewAllTargets(specs: string[], distDir: string): Promise<string[]> {
  const jobs = previewJobsFor(specs, distDir, (spec) => loadDeployment(path.resolve(spec)).id);
  await previewPulumiBatch(jobs);
  return jobs.map((j) => j.outFile);
}

/**
 * The mocks hand out recognisable secret values; if one reaches a document, something stopped being
 * a Pulumi secret on the way. Refuse to write it.
 */
export function assertNoMockSecrets(text: string, where: string): void {
  const leaked = Object.entries(FAKE_SECRETS).find(([, v]) => text.includes(v));
  if (leaked)
    throw new Error(
      `${where}: the preview would contain the secret value of ${leaked[0]}; refusing to write it`,
    );
}

/**
 * Offline Pulumi preview: run the program for a spec and target under mocks and write what it would
 * create (type, name, inputs with secrets shown as "[secret]") as JSON, so people without a cloud
 * account can read the plan. `npm run synth` calls this for dist/<id>/pulumi/<target>.json.
 *
 * Pulumi's runtime state is global to a process, so by default each call runs in a child process
 * (`tsx lib/pulumi/preview-cli.ts`). `previewPulumiBatch` runs many spec/target pairs one after the
 * other in a single child (about 1 s per spec instead of 1-2 s per pair).
 *
 * This module is the parent's side and loads nothing of Pulumi (`npm run synth` imports it); the
 * child's side is ./preview-run.ts.
 */
import { execFile } from 'node:child_process';
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

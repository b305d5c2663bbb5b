/**
 * Offline Pulumi preview from the command line.
 *
 *   tsx lib/pulumi/preview-cli.ts <spec.yaml> <gcp|azure-premium|azure-managed> <out.json>
 *   tsx lib/pulumi/preview-cli.ts --all [--dist dist] [spec.yaml ...]   (default: every examples/*.yaml)
 *   tsx lib/pulumi/preview-cli.ts --jobs '<json array of {spec,target,outFile}>'   (used by preview.ts)
 *   tsx lib/pulumi/preview-cli.ts --jobs-file <file with that array> --each   (used by previewPulumiFleet)
 *
 * With --each every job runs even when an earlier one failed, and each prints one line as it ends:
 * `job <index> ok` or `job <index> error <message>`; the exit code is 0 unless the child itself broke.
 *
 * Errors print one line `error: ...` and exit 2 (bad input) or 1.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadDeployment } from '../deployment';
import { isSpecError } from '../errors';
import { checkTarget } from './program';
import { previewJobsFor, type PreviewJob } from './preview';
import { previewEach, previewInProcess } from './preview-run';

function jobsFromArgs(argv: string[]): PreviewJob[] {
  if (argv[0] === '--jobs') return JSON.parse(argv[1]) as PreviewJob[];
  if (argv[0] === '--jobs-file') return JSON.parse(fs.readFileSync(argv[1], 'utf8')) as PreviewJob[];
  if (argv[0] === '--all') {
    const specs: string[] = [];
    let dist = 'dist';
    for (let i = 1; i < argv.length; i++) {
      if (argv[i] === '--dist') dist = argv[++i];
      else specs.push(argv[i]);
    }
    const list = specs.length
      ? specs
      : fs
          .readdirSync('examples')
          .filter((f) => f.endsWith('.yaml'))
          .sort()
          .map((f) => path.join('examples', f));
    return previewJobsFor(list, dist, (spec) => loadDeployment(path.resolve(spec)).id);
  }
  if (argv.length !== 3) {
    throw new Error(
      'usage: preview-cli.ts <spec.yaml> <gcp|azure-premium|azure-managed> <out.json> | --all [--dist dir] [spec ...]',
    );
  }
  return [{ spec: argv[0], target: checkTarget(argv[1]), outFile: argv[2] }];
}

async function main(): Promise<void> {
  // Pulumi captures a stack trace for every promise and resource it makes (debuggablePromise,
  // Resource.stackTrace); with tsx's source maps on, mapping each frame cost about a fifth of the
  // child's CPU. Nothing here prints those stacks, and the documents do not contain them.
  process.setSourceMapsEnabled(false);
  const argv = process.argv.slice(2);
  const jobs = jobsFromArgs(argv);
  if (argv.includes('--each')) {
    await previewEach(jobs, (i, e) =>
      process.stdout.write(e ? `job ${i} error ${oneLine(e.message)}\n` : `job ${i} ok\n`),
    );
    return;
  }
  await previewInProcess(jobs);
  for (const j of jobs) process.stdout.write(`wrote ${path.relative(process.cwd(), j.outFile)}\n`);
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();

main().catch((e: unknown) => {
  process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(isSpecError(e) ? 2 : 1);
});

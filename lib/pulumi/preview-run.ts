/** The child's side of the offline preview (see ./preview.ts): runs the programs under mocks. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertNoMockSecrets, type PreviewJob } from './preview';
import { previewDocument, runProgram } from './run';

/** Run one job and write its document. Refuses to write a document that contains a mock secret. */
async function previewOne(job: PreviewJob): Promise<void> {
  const run = await runProgram(job.spec, job.target, { root: process.cwd() });
  const text = `${JSON.stringify(previewDocument(run), null, 2)}\n`;
  assertNoMockSecrets(text, `${job.spec} (${job.target})`);
  fs.mkdirSync(path.dirname(job.outFile), { recursive: true });
  fs.writeFileSync(job.outFile, text);
}

/**
 * Run jobs in this process (what the child does), stopping at the first failure. Also usable
 * directly by a caller that runs no other Pulumi program in its process.
 */
export async function previewInProcess(jobs: PreviewJob[]): Promise<void> {
  for (const job of jobs) await previewOne(job);
}

/**
 * Run every job, one after the other, and report each as it ends: `error` is undefined when its
 * file was written. A failing job does not stop the others (a fleet's one bad spec must not take
 * the other specs' previews down); runProgram lets a failed program's registrations settle first.
 */
export async function previewEach(
  jobs: PreviewJob[],
  onDone: (index: number, error: Error | undefined) => void,
): Promise<void> {
  for (const [i, job] of jobs.entries()) {
    try {
      await previewOne(job);
      onDone(i, undefined);
    } catch (e) {
      onDone(i, e instanceof Error ? e : new Error(String(e)));
    }
  }
}

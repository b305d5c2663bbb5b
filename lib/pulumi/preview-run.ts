/** The child's side of the offline preview (see ./preview.ts): runs the programs under mocks. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertNoMockSecrets, type PreviewJob } from './preview';
import { previewDocument, runProgram } from './run';

/**
 * Run jobs in this process (what the child does). Also usable directly by a caller that runs no
 * other Pulumi program in its process. Refuses to write a document that contains a mock secret.
 */
export async function previewInProcess(jobs: PreviewJob[]): Promise<void> {
  for (const job of jobs) {
    const run = await runProgram(job.spec, job.target, { root: process.cwd() });
    const text = `${JSON.stringify(previewDocument(run), null, 2)}\n`;
    assertNoMockSecrets(text, `${job.spec} (${job.target})`);
    fs.mkdirSync(path.dirname(job.outFile), { recursive: true });
    fs.writeFileSync(job.outFile, text);
  }
}

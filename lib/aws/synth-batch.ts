/**
 * Child-process entry for `npm run synth`: synthesizes the CDK app of several specs in one process
 * (aws-cdk-lib and its template validator load once) while the orchestrator works on the other
 * targets in parallel.
 *
 *   tsx lib/aws/synth-batch.ts --jobs '<json array of {spec, outDir}>'
 *
 * Prints one JSON line: an array of {spec, files, ms, error?}. A job's failure does not stop the others.
 */
import { loadDeployment } from '../deployment';
import { synthAws, type AwsJob, type AwsJobResult } from './synth';

function run(jobs: AwsJob[]): AwsJobResult[] {
  return jobs.map((job) => {
    const start = Date.now();
    try {
      return {
        spec: job.spec,
        files: synthAws(loadDeployment(job.spec), job.outDir),
        ms: Date.now() - start,
      };
    } catch (e) {
      const error = (e instanceof Error ? e.message : String(e)).split('\n')[0];
      return { spec: job.spec, files: [], ms: Date.now() - start, error };
    }
  });
}

if (process.argv[2] !== '--jobs' || !process.argv[3]) {
  process.stderr.write('error: usage: synth-batch.ts --jobs \'[{"spec":...,"outDir":...}]\'\n');
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(run(JSON.parse(process.argv[3]) as AwsJob[]))}\n`);

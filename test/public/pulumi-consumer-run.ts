/**
 * Runs a user's Pulumi program (argv[2]) under the project's recording mocks and writes what it
 * would create, with secrets redacted, and its resolved stack outputs to argv[3]. Used by
 * test/public/package.test.ts in a child process (Pulumi's runtime state is per process).
 */
import * as fs from 'node:fs';
import * as pulumi from '@pulumi/pulumi';
import { takeGuardLog } from '../../lib/pulumi/guard';
import { RecordingMocks, redact } from '../../lib/pulumi/mocks';

async function main(): Promise<void> {
  const [program, out] = process.argv.slice(2);
  const mocks = new RecordingMocks();
  await pulumi.runtime.setMocks(mocks, 'consumer', 'test', false);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(program) as Record<string, unknown>;
  const outputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(exported)) {
    outputs[key] = pulumi.Output.isInstance(value)
      ? await new Promise((resolve) => value.apply((v) => (resolve(v), v)))
      : value;
  }
  await (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs?.();
  // Resource options never reach the mocks; the data guard logs what it set (protect, retainOnDelete)
  // in a per-process log every copy of lib/pulumi/guard shares, as the pipeline's preview reads it.
  const options = takeGuardLog();
  const resources = mocks.resources.map((r) => {
    const o = options.get(`${r.type}::${r.name}`);
    return { type: r.type, name: r.name, inputs: redact(r.inputs), ...(o ? { options: o } : {}) };
  });
  fs.writeFileSync(out, JSON.stringify({ resources, outputs }, null, 2));
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});

/**
 * Floor for the Pulumi rows: @pulumi/pulumi running an empty program (no resources, no outputs) under
 * mocks, the same way lib/pulumi/run.ts runs the real one: setMocks, config, program, wait for RPCs.
 */
import * as pulumi from '@pulumi/pulumi';

const mocks: pulumi.runtime.Mocks = {
  newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
  call: (args) => args.inputs,
};

async function main(): Promise<void> {
  await pulumi.runtime.setMocks(mocks, 'bench', 'floor', false);
  pulumi.runtime.setAllConfig({ 'bench:target': process.argv[2] ?? 'none' });
  const program = (): Record<string, unknown> => ({});
  program();
  await (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs?.();
}

main().catch((e: unknown) => {
  process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});

/**
 * cdk8s app entry: writes the Kubernetes artifacts of one spec.
 *
 *   npx tsx k8s/main.ts [--spec examples/default.yaml] [--out dist/<id>/k8s]
 *
 * `npm run synth` calls the same synthKubernetes() for every target at once.
 */
import * as path from 'node:path';
import { DEFAULT_SPEC_PATH, loadDeployment } from '../lib/deployment';
import { parseFlags, runAppEntry } from '../lib/cli/run';
import { synthKubernetes } from '../lib/k8s/synth';

const USAGE = 'usage: npx tsx k8s/main.ts [--spec examples/<x>.yaml] [--out <dir>]';

/** The app for `argv` (the command line after the script); throws UsageError on a bad flag. */
export function main(argv: string[] = process.argv.slice(2)): void {
  const { values } = parseFlags(
    {
      args: argv,
      options: { spec: { type: 'string' }, out: { type: 'string' } },
      allowPositionals: false,
      strict: true,
    },
    USAGE,
  );
  const d = loadDeployment(values.spec ?? DEFAULT_SPEC_PATH);
  const out = values.out ?? path.join('dist', d.id, 'k8s');
  for (const f of synthKubernetes(d, out)) console.log(f);
}

if (require.main === module) runAppEntry(() => main());

/**
 * cdk8s app entry: writes the Kubernetes artifacts of one spec.
 *
 *   npx tsx k8s/main.ts [--spec examples/default.yaml] [--out dist/<id>/k8s]
 *
 * `npm run synth` calls the same synthKubernetes() for every target at once.
 */
import * as path from 'node:path';
import { DEFAULT_SPEC_PATH, loadDeployment } from '../lib/deployment';
import { runAppEntry } from '../lib/cli/run';
import { synthKubernetes } from '../lib/k8s/synth';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  if (!v || v.startsWith('--')) throw new Error(`--${name} needs a value`);
  return v;
}

function main(): void {
  const spec = arg('spec') ?? DEFAULT_SPEC_PATH;
  const d = loadDeployment(spec);
  const out = arg('out') ?? path.join('dist', d.id, 'k8s');
  for (const f of synthKubernetes(d, out)) console.log(f);
}

runAppEntry(main);

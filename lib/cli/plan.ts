/**
 * `npm run plan -- --spec <file>` or the shorthand `--devices N` / `--organizations N` / `--dataset-gb N`.
 * Prints the need, each platform's choice with its monthly cost and reason, and the guide's reference row.
 */
import { parseArgs } from 'node:util';
import { fromSpec, loadDeployment, type Deployment } from '../deployment';
import { validateSpec } from '../spec/load';
import { PROFILES } from '../spec/schema';
import { formatPlan } from './plan-format';
import { runCli, UsageError } from './run';

const USAGE =
  'usage: npm run plan -- [--spec FILE | --devices N | --organizations N | --dataset-gb N] [--profile P] [--ops N] [--concurrent N] [--json]';

function numberFlag(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`--${name}: got ${JSON.stringify(raw)}; expected a positive number`);
  return n;
}

export function deploymentFromArgs(argv: string[]): { deployment: Deployment; json: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      spec: { type: 'string' },
      devices: { type: 'string' },
      organizations: { type: 'string' },
      'dataset-gb': { type: 'string' },
      profile: { type: 'string' },
      ops: { type: 'string' },
      concurrent: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    process.exit(0);
  }
  const shorthand = values.devices ?? values.organizations ?? values['dataset-gb'];
  if (values.spec && shorthand)
    throw new UsageError('--spec: cannot be combined with --devices/--organizations/--dataset-gb; use one');
  if (!shorthand) return { deployment: loadDeployment(values.spec), json: values.json };
  const profile = values.profile ?? 'production';
  if (!(PROFILES as readonly string[]).includes(profile)) {
    throw new UsageError(`--profile: got ${JSON.stringify(profile)}; expected one of ${PROFILES.join(', ')}`);
  }
  const spec = validateSpec(
    {
      name: 'adhoc',
      profile,
      workload: {
        devices: numberFlag('devices', values.devices),
        organizations: numberFlag('organizations', values.organizations),
        datasetGb: numberFlag('dataset-gb', values['dataset-gb']),
        peakOpsPerSecond: numberFlag('ops', values.ops),
        concurrentRequests: numberFlag('concurrent', values.concurrent),
      },
    },
    'flags',
  );
  return { deployment: fromSpec(spec, 'flags'), json: values.json };
}

if (require.main === module) {
  void runCli(() => {
    const { deployment, json } = deploymentFromArgs(process.argv.slice(2));
    process.stdout.write(
      json
        ? JSON.stringify({ policy: deployment.policy, plan: deployment.plan }, null, 2) + '\n'
        : formatPlan(deployment),
    );
  });
}

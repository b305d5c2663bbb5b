/**
 * `npm run plan -- --spec <file>` or the shorthand `--devices N` / `--organizations N` / `--dataset-gb N`.
 * Prints the need, each platform's choice with its monthly cost and reason, and the guide's reference row.
 */
import { fromSpec, loadDeployment, type Deployment } from '../deployment';
import { isSpecError, show, type SpecError } from '../errors';
import { validateSpec } from '../spec/load';
import { PROFILES } from '../spec/schema';
import { formatPlan } from './plan-format';
import { parseFlags, runCli, UsageError, userPath } from './run';

const USAGE =
  'usage: npm run plan -- [--spec FILE | --devices N | --organizations N | --dataset-gb N] [--profile P] [--ops N] [--concurrent N] [--json]';

/** Plain decimal numbers only ("50000", "1.5", "1e6"): no hex, no Infinity, no empty string. */
const DECIMAL = /^\d+(\.\d+)?([eE]\+?\d+)?$/;

function numberFlag(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = DECIMAL.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`--${name}: got ${JSON.stringify(raw)}; expected a positive number such as 50000`);
  return n;
}

/** Flags that only shape the ad-hoc spec the shorthand builds, with where the same setting lives in a spec. */
const SHORTHAND_ONLY: Record<string, string> = {
  profile: 'profile',
  ops: 'workload.peakOpsPerSecond',
  concurrent: 'workload.concurrentRequests',
};

/**
 * node's parseArgs reads `--devices -5` as a missing value followed by an unknown option and says so
 * in a message that suggests `--devices=-XYZ`. Join a flag with a following negative number so the
 * value reaches numberFlag and the user is told what is allowed.
 */
function joinNegativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = argv[i + 1];
    if (/^--[a-z-]+$/.test(a) && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

function planFlags(argv: string[]) {
  return parseFlags(
    {
      args: joinNegativeValues(argv),
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
    },
    USAGE,
  );
}

/** The spec field each shorthand flag fills, so a range error names the flag the user typed. */
const FLAG_OF_FIELD: Record<string, string> = {
  'workload.devices': '--devices',
  'workload.organizations': '--organizations',
  'workload.datasetGb': '--dataset-gb',
  'workload.peakOpsPerSecond': '--ops',
  'workload.concurrentRequests': '--concurrent',
};

function specFromFlags(input: Record<string, unknown>, source: string) {
  try {
    return validateSpec(input, source);
  } catch (e) {
    const flag = isSpecError(e) ? FLAG_OF_FIELD[e.field] : undefined;
    if (flag)
      throw new UsageError(`${flag}: got ${show((e as SpecError).value)}; ${(e as SpecError).allowed}`);
    throw e;
  }
}

export function deploymentFromArgs(argv: string[]): { deployment: Deployment; json: boolean } {
  const { values } = planFlags(argv);
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    process.exit(0);
  }
  const shorthand = values.devices ?? values.organizations ?? values['dataset-gb'];
  if (values.spec && shorthand)
    throw new UsageError('--spec: cannot be combined with --devices/--organizations/--dataset-gb; use one');
  if (!shorthand) {
    // Without the shorthand these flags would be silently ignored: the spec (or the default spec) decides.
    const ignored = Object.keys(SHORTHAND_ONLY).find((k) => values[k as keyof typeof values] !== undefined);
    if (ignored) {
      throw new UsageError(
        `--${ignored}: only applies with --devices/--organizations/--dataset-gb; set ${SHORTHAND_ONLY[ignored]} in the spec instead`,
      );
    }
    return { deployment: loadDeployment(values.spec && userPath(values.spec)), json: values.json };
  }
  const profile = values.profile ?? 'production';
  if (!(PROFILES as readonly string[]).includes(profile)) {
    throw new UsageError(`--profile: got ${JSON.stringify(profile)}; expected one of ${PROFILES.join(', ')}`);
  }
  const spec = specFromFlags(
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

/**
 * The CLI itself: what `npm run plan` runs with process.argv, exported so tests can run the same code
 * in-process (test/support/run-cli.ts) instead of paying a tsx child per case.
 */
export function main(argv: string[]): void {
  const { deployment, json } = deploymentFromArgs(argv);
  process.stdout.write(
    json
      ? JSON.stringify({ policy: deployment.policy, plan: deployment.plan }, null, 2) + '\n'
      : formatPlan(deployment),
  );
}

if (require.main === module) void runCli(() => main(process.argv.slice(2)));

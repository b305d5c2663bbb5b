/**
 * Fleet synth: `--dir` finds the specs; a bad spec among many fails before anything is written; one
 * spec's failing target (in the shared CDK app, in the shared Pulumi children, or in-process) stays
 * with that spec and the others publish; the shared CDK app writes each stack's template byte for
 * byte as the example snapshots hold it. (That every artifact of a fleet equals the example snapshots
 * is shown by test/synth/examples-*.test.ts, which synthesize every example in one synthAll call; that a
 * single spec's do, by test/synth/synth.test.ts.)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib/core';
import * as sns from 'aws-cdk-lib/aws-sns';
import { specsFromArgs, specsInDir } from '../../lib/cli/synth';
import { loadDeployment } from '../../lib/deployment';
import { isSpecError, SpecError } from '../../lib/errors';
import { synthAwsFleet } from '../../lib/aws/synth';
import { previewPulumiFleet } from '../../lib/pulumi/preview';
import { synthAll } from '../../lib/synth/run';

const ROOT = path.join(__dirname, '..', '..');
const control = { failSelfHostedFor: '' };

jest.mock('../../lib/selfhosted/render', () => {
  const actual = jest.requireActual('../../lib/selfhosted/render');
  return {
    ...actual,
    renderSelfHosted: (d: { id: string }, ...rest: unknown[]) => {
      if (control.failSelfHostedFor === d.id) throw new Error('renderer broke');
      return actual.renderSelfHosted(d, ...rest);
    },
  };
});

// Two deployments with a planted problem: one stack throws while it is built, the other builds but
// carries an unencrypted SNS topic without acknowledgement, so cdk-nag fails the app's synthesis.
jest.mock('../../lib/aws/stack', () => {
  const actual = jest.requireActual('../../lib/aws/stack');
  class PlantedStack extends actual.RedisElastiCacheStack {
    constructor(scope: never, id: string, props: { deployment: { id: string } }) {
      if (props.deployment.id.startsWith('throws')) {
        // Half-built: a construct is already in the app when the error comes.
        new (jest.requireActual('aws-cdk-lib').Stack as typeof Stack)(scope, id);
        throw new (jest.requireActual('../../lib/errors').SpecError as typeof SpecError)(
          'targets.aws.vpcId',
          'vpc-planted',
          'planted construction failure',
        );
      }
      super(scope, id, props);
      if (props.deployment.id.startsWith('nagged')) {
        const Topic = jest.requireActual('aws-cdk-lib/aws-sns').Topic as typeof sns.Topic;
        new Topic(this as unknown as Stack, 'Unencrypted');
      }
    }
  }
  return { ...actual, RedisElastiCacheStack: PlantedStack };
});

let tmp: string;
beforeEach(() => {
  control.failSelfHostedFor = '';
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-fleet-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A spec from an example with a new name (digits included, as a fleet's names would be). */
function renamed(example: string, name: string, dir = tmp): string {
  const text = fs.readFileSync(path.join(ROOT, 'examples', `${example}.yaml`), 'utf8');
  const file = path.join(dir, `${name}.yaml`);
  fs.writeFileSync(file, text.replace(/^name: .*$/m, `name: ${name}`));
  return file;
}

const minimal = (name: string) => `name: ${name}\nprofile: development\nworkload: { datasetGb: 1 }\n`;

describe('--dir', () => {
  test('every *.yaml and *.yml directly in the folder, sorted; other files and sub-folders ignored', () => {
    for (const f of ['b-2.yml', 'a-10.yaml', 'a-9.yaml', 'notes.txt', 'c.yaml.bak'])
      fs.writeFileSync(path.join(tmp, f), minimal('x'));
    fs.mkdirSync(path.join(tmp, 'sub'));
    fs.writeFileSync(path.join(tmp, 'sub', 'deeper.yaml'), minimal('y'));
    fs.mkdirSync(path.join(tmp, 'dir.yaml'));
    expect(specsInDir(tmp).map((f) => path.basename(f))).toEqual(['a-10.yaml', 'a-9.yaml', 'b-2.yml']);
  });

  test('combines with --spec and another --dir: folders first, then --spec in the order given', () => {
    const one = path.join(tmp, 'one');
    const two = path.join(tmp, 'two');
    fs.mkdirSync(one);
    fs.mkdirSync(two);
    fs.writeFileSync(path.join(one, 'b.yaml'), minimal('b'));
    fs.writeFileSync(path.join(two, 'a.yaml'), minimal('a'));
    fs.writeFileSync(path.join(tmp, 'z.yaml'), minimal('z'));
    const { specs } = specsFromArgs(['--spec', path.join(tmp, 'z.yaml'), '--dir', one, '--dir', two]);
    expect(specs).toEqual([path.join(one, 'b.yaml'), path.join(two, 'a.yaml'), path.join(tmp, 'z.yaml')]);
    expect(() => specsFromArgs(['--all', '--dir', one])).toThrow('--all: cannot be combined with --dir');
  });

  test.each([
    ['a folder without specs', (d: string) => d, /\(it has none; sub-folders are not searched\)$/],
    ['a missing folder', (d: string) => path.join(d, 'missing'), /\(it does not exist\)$/],
    ['a file', (d: string) => path.join(d, 'x.yaml'), /\(it is a file; pass a file with --spec\)$/],
  ])('%s is bad input naming --dir, the value and the fix', (_, arg, why) => {
    fs.writeFileSync(path.join(tmp, 'x.yaml'), minimal('x'));
    fs.mkdirSync(path.join(tmp, 'empty'));
    const value = arg(path.join(tmp, 'empty')).replace(
      path.join(tmp, 'empty', 'x.yaml'),
      path.join(tmp, 'x.yaml'),
    );
    let err: unknown;
    try {
      specsFromArgs(['--dir', value]);
    } catch (e) {
      err = e;
    }
    expect(isSpecError(err)).toBe(true);
    const message = (err as Error).message;
    expect(message).toContain(`synth: --dir: got ${JSON.stringify(value)}; expected a folder holding`);
    expect(message).toMatch(why);
    expect(message).not.toContain('\n');
  });
});

test('one bad spec among many fails as bad input before anything is written', async () => {
  const fleet = path.join(tmp, 'fleet');
  fs.mkdirSync(fleet);
  for (let i = 1; i <= 12; i++) fs.writeFileSync(path.join(fleet, `s-${i}.yaml`), minimal(`spec-${i}`));
  fs.writeFileSync(path.join(fleet, 's-7.yaml'), `${minimal('spec-7')}engine: memcached\n`);
  const out = path.join(tmp, 'dist');
  const err = await synthAll({ specs: specsInDir(fleet), outRoot: out }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isSpecError(err)).toBe(true);
  expect((err as Error).message).toMatch(/s-7\.yaml.*engine: got "memcached"/);
  expect(fs.existsSync(out)).toBe(false);
});

test('a target failing for one spec of a fleet fails that spec only; the others publish', async () => {
  const specs = [1, 2, 3].map((i) => {
    const f = path.join(tmp, `s${i}.yaml`);
    fs.writeFileSync(f, minimal(`spec-${i}`));
    return f;
  });
  control.failSelfHostedFor = 'spec-2';
  const out = path.join(tmp, 'dist');
  const runs = await synthAll({ specs, outRoot: out, chunk: 2 });
  expect(runs.map((r) => [r.id, r.failures])).toEqual([
    ['spec-1', []],
    ['spec-2', ['spec-2 self-hosted: renderer broke']],
    ['spec-3', []],
  ]);
  expect(fs.readdirSync(out).sort()).toEqual(['spec-1', 'spec-3']);
});

describe('one CDK app for many stacks', () => {
  const snapshot = (example: string, stack: string) =>
    fs.readFileSync(
      path.join(__dirname, '__snapshots__', 'examples', example, 'aws', `${stack}-elasticache.template.json`),
      'utf8',
    );

  test('each template equals its example snapshot; a stack that throws while built fails only its spec', () => {
    const items = [
      path.join(ROOT, 'examples', 'default.yaml'),
      renamed('default', 'throws-2'),
      path.join(ROOT, 'examples', 'go-api.yaml'),
    ].map((spec, i) => ({ deployment: loadDeployment(spec), outDir: path.join(tmp, String(i)) }));
    const results = synthAwsFleet(items);
    expect(results.map((r) => ('files' in r ? 'ok' : 'error'))).toEqual(['ok', 'error', 'ok']);
    expect(String((results[1] as { error: Error }).error.message)).toMatch(
      /targets\.aws\.vpcId: got "vpc-planted"; planted construction failure/,
    );
    const text = (i: number) => fs.readFileSync((results[i] as { files: string[] }).files[0], 'utf8');
    expect(text(0)).toBe(snapshot('default', 'app-cache'));
    expect(text(2)).toBe(snapshot('go-api', 'go-api-redis'));
  }, 120_000);

  test('a stack with a cdk-nag finding fails only its spec: the others are synthesized alone', () => {
    const items = [renamed('default', 'nagged-3'), path.join(ROOT, 'examples', 'default.yaml')].map(
      (spec, i) => ({ deployment: loadDeployment(spec), outDir: path.join(tmp, String(i)) }),
    );
    const results = synthAwsFleet(items);
    expect(results.map((r) => ('files' in r ? 'ok' : 'error'))).toEqual(['error', 'ok']);
    const message = String((results[0] as { error: Error }).error.message);
    expect(message).toMatch(/AwsSolutions-SNS[23]/);
    expect(message).toContain('nagged-3-elasticache');
    expect(message).not.toContain('app-cache-elasticache');
    expect(fs.readFileSync((results[1] as { files: string[] }).files[0], 'utf8')).toBe(
      snapshot('default', 'app-cache'),
    );
  }, 120_000);
});

test('Pulumi previews: a failing job fails alone, every other job of the fleet is written', async () => {
  const good = renamed('hospitality-staging', 'good-7');
  const jobs = [
    {
      spec: path.join(tmp, 'missing.yaml'),
      target: 'gcp' as const,
      outFile: path.join(tmp, 'm', 'gcp.json'),
    },
    { spec: good, target: 'gcp' as const, outFile: path.join(tmp, 'g', 'gcp.json') },
    { spec: good, target: 'azure-managed' as const, outFile: path.join(tmp, 'g', 'azure-managed.json') },
  ];
  const seen: string[] = [];
  const errors = await previewPulumiFleet(jobs, {
    children: 2,
    onDone: (job, e) =>
      seen.push(`${path.basename(path.dirname(job.outFile))}/${job.target}:${e ? 'error' : 'ok'}`),
  });
  expect(errors[0]).toMatch(/redis:spec/);
  expect(errors[0]!.split('\n')).toHaveLength(1);
  expect(errors.slice(1)).toEqual([undefined, undefined]);
  expect(seen.sort()).toEqual(['g/azure-managed:ok', 'g/gcp:ok', 'm/gcp:error']);
  expect(fs.existsSync(jobs[0].outFile)).toBe(false);
  expect(JSON.parse(fs.readFileSync(jobs[1].outFile, 'utf8')).deployment).toBe('good-7');
}, 120_000);

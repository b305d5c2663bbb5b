/**
 * Spec fields `targets.aws.flavor: serverless` refuses: one line naming the field, the value and the
 * fix, at load time. In process for every field; through the synth CLI (exit 2, one line, nothing
 * written) for an unknown flavor and two cluster-only settings.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { main as synthMain } from '../../lib/cli/synth';
import { deploymentFromYaml } from '../../lib/deployment';
import { runCliInProcess } from '../support/run-cli';

const ROOT = path.join(__dirname, '..', '..');
const SPEC = fs.readFileSync(path.join(ROOT, 'examples', 'go-api-serverless.yaml'), 'utf8');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const withChange = (fn: (s: Json) => void): string => {
  const s = parse(SPEC);
  fn(s);
  return stringify(s);
};

const CASES: Array<[string, (s: Json) => void, RegExp]> = [
  [
    'nodeType',
    (s) => (s.targets.aws.nodeType = 'cache.r7g.large'),
    /targets\.aws\.nodeType: got "cache\.r7g\.large"; .*no node type.*flavor: replication-group/,
  ],
  ['port', (s) => (s.targets.aws.port = 6380), /targets\.aws\.port: got 6380; .*always listens on 6379/],
  [
    'auth token',
    (s) => (s.targets.aws.auth = 'token'),
    /targets\.aws\.auth: got "token"; .*no AUTH token.*auth: rbac/,
  ],
  [
    'sizing.shards',
    (s) => (s.sizing = { memoryGb: 4, shards: 2, reason: 'pinned for the test' }),
    /sizing\.shards: got 2/,
  ],
  [
    'sizing.replicas',
    (s) => (s.sizing = { memoryGb: 4, replicas: 2, reason: 'pinned for the test' }),
    /sizing\.replicas: got 2/,
  ],
  ['minShards', (s) => (s.availability = { minShards: 3 }), /availability\.minShards: got 3/],
  [
    'replicasPerShard',
    (s) => (s.availability = { replicasPerShard: 2 }),
    /availability\.replicasPerShard: got 2/,
  ],
  [
    'replication topology',
    (s) => (s.availability = { topology: 'replication' }),
    /availability\.topology: got "replication"; .*cluster mode enabled/,
  ],
  [
    'multi-AZ off',
    (s) => {
      s.availability = { multiAz: false };
      s.waivers = [{ rule: 'multi-az', reason: 'a single zone on purpose' }];
    },
    /availability\.multiAz: got false; .*three zones/,
  ],
  [
    'eviction policy',
    (s) => (s.keyspace.evictionPolicy = 'allkeys-lru'),
    /keyspace\.evictionPolicy: got "allkeys-lru"; .*volatile-lru/,
  ],
  [
    'keyspace notifications',
    (s) => (s.keyspace.keyspaceNotifications = 'Ex'),
    /keyspace\.keyspaceNotifications: got "Ex"; .*no parameter group/,
  ],
  [
    'TLS off (development)',
    (s) => {
      s.profile = 'development';
      s.security = { tls: false, auth: false };
    },
    /security\.tls: got false; .*TLS connections only/,
  ],
  ['engine version', (s) => (s.engineVersion = '6.2'), /engineVersion: got "6\.2"; .*redis 7\.x only/],
  [
    'unknown flavor',
    (s) => (s.targets.aws.flavor = 'nodes'),
    /targets\.aws\.flavor: got "nodes"; expected one of "replication-group", "serverless"/,
  ],
];

test.each(CASES)('%s is refused with the field, the value and the fix', (_, change, message) => {
  expect(() => deploymentFromYaml(withChange(change), 'spec.yaml')).toThrow(message);
});

test('valid but unusual: topology cluster, volatile-lru spelled out, valkey 8.2, a kms key: accepted', () => {
  const d = deploymentFromYaml(
    withChange((s) => {
      s.availability = { topology: 'cluster', deletionProtection: true };
      s.keyspace.evictionPolicy = 'volatile-lru';
      s.engine = 'valkey';
      s.engineVersion = '8.2';
      s.targets.aws.kmsKeyArn = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    }),
  );
  expect(d.spec.targets.aws?.flavor).toBe('serverless');
});

test('without the field the flavor is replication-group and no check applies', () => {
  expect(() =>
    deploymentFromYaml(
      withChange((s) => {
        delete s.targets.aws.flavor;
        s.targets.aws.port = 6380;
      }),
    ),
  ).not.toThrow();
});

// In-process through runCli + the synth CLI's main (test/support/run-cli.ts); test/cli/synth.test.ts
// runs the real tsx child that proves the entry point's wiring.
describe('through the synth CLI', () => {
  test.each(CASES.filter(([name]) => ['unknown flavor', 'nodeType'].includes(name)))(
    '%s: exit 2, one line on stderr, nothing written',
    async (_, change, message) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'serverless-cli-'));
      try {
        const spec = path.join(dir, 'bad.yaml');
        fs.writeFileSync(spec, withChange(change));
        const out = path.join(dir, 'dist');
        const r = await runCliInProcess(synthMain, ['--spec', spec, '--out', out], ROOT);
        expect(r.code).toBe(2);
        const lines = r.stderr.trimEnd().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(message);
        expect(r.stderr).not.toMatch(/\n\s+at /);
        expect(fs.existsSync(out)).toBe(false);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});

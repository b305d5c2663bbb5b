import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TargetResult } from '../../lib/conformance/types';
import { deploymentFromYaml, loadDeployment } from '../../lib/deployment';
import { isSpecError } from '../../lib/errors';
import { recommendations, reasons, validateReasons, validateRecommendations } from '../../lib/guides/data';
import { checkGuides, classify, guideSummary } from '../../lib/guides/evaluate';
import { GUIDES, type Recommendation } from '../../lib/guides/types';

const root = path.join(__dirname, '..', '..');
const shared = path.join(root, '..', 'shared');

describe('the recommendations catalog', () => {
  test('loads: unique ids, every cited reason exists, every practice says why', () => {
    const recs = recommendations();
    expect(recs.length).toBeGreaterThan(100);
    expect(new Set(recs.map((r) => r.id)).size).toBe(recs.length);
    for (const g of Object.keys(GUIDES)) expect(recs.some((r) => r.guide === g)).toBe(true);
  });

  test('the guide files are named as in ../shared/guides, and exist there when it is present', () => {
    for (const file of Object.values(GUIDES)) {
      expect(file).toMatch(/^guides\/\d{3}_[0-9a-f]{16}\.txt$/);
      // The project works without ../shared; where it is present (CI has it) the files must be there.
      if (fs.existsSync(shared)) expect(fs.existsSync(path.join(shared, file))).toBe(true);
    }
  });

  test.each([
    ['a duplicate id', (r: Recommendation[]) => [...r, r[0]], /0?\d+\.id: got "g000-/],
    [
      'a reason that is not in the table',
      (r: Recommendation[]) => [{ ...r[0], reason: 'no-such-reason' }],
      /reason: got "no-such-reason"/,
    ],
    [
      'a practice without a reason',
      (r: Recommendation[]) => [{ ...r[0], check: { kind: 'practice' }, reason: undefined }],
      /reason: .*no artifact shows/,
    ],
    [
      'an unknown check kind',
      (r: Recommendation[]) => [{ ...r[0], check: { kind: 'vibes' } }],
      /0\.check\.kind/,
    ],
    ['a bad id', (r: Recommendation[]) => [{ ...r[0], id: 'Timeout' }], /0\.id: got "Timeout"/],
  ])('%s is one line naming the entry', (_n, mutate, message) => {
    let err = '';
    try {
      validateRecommendations(mutate(structuredClone(recommendations())), reasons());
    } catch (e) {
      if (!isSpecError(e)) throw e;
      err = e.message;
    }
    expect(err).toMatch(message);
    expect(err).not.toContain('\n');
  });

  test('a reason needs a source the report can cite', () => {
    expect(() =>
      validateReasons({ x: { text: 'because we said so, at length', source: 'trust me' } }),
    ).toThrow(/source/);
    expect(() =>
      validateReasons({ 'x-1': { text: 'a fact with a source', source: 'https://redis.io/docs/latest/' } }),
    ).not.toThrow();
  });
});

/** A minimal artifact folder: one node conf and the contracts given. */
function fixture(conf: string, contracts: Record<string, Record<string, string>> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guides-'));
  fs.mkdirSync(path.join(dir, 'self-hosted'));
  fs.writeFileSync(path.join(dir, 'self-hosted', 'redis-7000.conf'), conf);
  const conformance = Object.entries(contracts).map(
    ([target, contract]) => ({ target, files: [], cells: {}, contract }) as unknown as TargetResult,
  );
  return { dir, conformance, done: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

const rec = (over: Partial<Recommendation>): Recommendation => ({
  id: 'g002-test-rule',
  guide: '002',
  section: 'Redis Configuration File',
  says: 'a recommendation under test',
  check: { kind: 'conf', directive: 'timeout', value: '300' },
  ...over,
});

describe('classification', () => {
  // A valid but unusual spec: digits in the name, every optional keyspace field.
  const d = deploymentFromYaml(
    fs
      .readFileSync(path.join(root, 'examples', 'default.yaml'), 'utf8')
      .replace(/^name: .*$/m, 'name: cache-v2-01'),
  );

  test('honoured where the artifact has it, with the file and value', () => {
    const f = fixture('timeout 300\nsave "900 1 300 10"\n');
    try {
      expect(classify(rec({}), { dir: f.dir, deployment: d, conformance: [] })).toMatchObject({
        status: 'honoured',
        detail: 'self-hosted/redis-7000.conf: timeout 300',
      });
      // Quoted values compare without their quotes.
      const save = rec({ check: { kind: 'conf', directive: 'save', value: '900 1 300 10' } });
      expect(classify(save, { dir: f.dir, deployment: d, conformance: [] }).status).toBe('honoured');
    } finally {
      f.done();
    }
  });

  test('a departure without a reason is unexplained; with one it is departed and cites the source', () => {
    const f = fixture('timeout 0\n');
    try {
      const input = { dir: f.dir, deployment: d, conformance: [] };
      expect(classify(rec({}), input)).toMatchObject({
        status: 'unexplained',
        detail: 'self-hosted confs: timeout 0',
      });
      const explained = classify(rec({ reason: 'timeout-zero' }), input);
      expect(explained.status).toBe('departed');
      expect(explained.reason).toMatch(/\(guides\/000_7e458c6c1cedcf5a\.txt\)$/);
    } finally {
      f.done();
    }
  });

  test("an absent directive is honoured only when Redis's own default is the guide's value", () => {
    const f = fixture('timeout 0\n');
    try {
      const input = { dir: f.dir, deployment: d, conformance: [] };
      const samples = (redisDefault?: string) =>
        rec({ check: { kind: 'conf', directive: 'maxmemory-samples', value: '5', redisDefault } });
      expect(classify(samples('5'), input).status).toBe('honoured');
      expect(classify(samples(), input)).toMatchObject({
        status: 'unexplained',
        detail: 'self-hosted confs: maxmemory-samples (absent)',
      });
    } finally {
      f.done();
    }
  });

  test('env: every published contract must have the key (and the value when one is given), scoped by targets', () => {
    const f = fixture('', {
      aws: { REDIS_TLS: 'true', REDIS_SENTINEL_1: 'x' },
      'self-hosted': { REDIS_TLS: 'false' },
    });
    try {
      const input = { dir: f.dir, deployment: d, conformance: f.conformance };
      const tls = rec({ check: { kind: 'env', key: 'REDIS_TLS', value: 'true' } });
      expect(classify(tls, input)).toMatchObject({
        status: 'unexplained',
        detail: 'REDIS_TLS: self-hosted=false',
      });
      const sentinel = (targets?: Array<'aws' | 'self-hosted'>) =>
        rec({ check: { kind: 'env', key: 'REDIS_SENTINEL_1', targets } });
      expect(classify(sentinel(), input)).toMatchObject({
        status: 'unexplained',
        detail: 'REDIS_SENTINEL_1 missing on self-hosted',
      });
      expect(classify(sentinel(['aws']), input).status).toBe('honoured');
    } finally {
      f.done();
    }
  });

  test('a recommendation for another profile, topology or workload does not apply, and says why', () => {
    const f = fixture('timeout 0\n');
    try {
      const input = { dir: f.dir, deployment: d, conformance: [] };
      expect(classify(rec({ when: { mode: ['cluster'] } }), input)).toMatchObject({
        status: 'n/a',
        detail: 'applies to cluster topologies only',
      });
      expect(classify(rec({ when: { workload: 'devices' } }), input).detail).toBe(
        'applies to a workload sized by devices only',
      );
    } finally {
      f.done();
    }
  });

  test('alerts are read from the artifacts: a missing signal on one platform is named', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guides-'));
    try {
      fs.mkdirSync(path.join(dir, 'k8s'));
      fs.writeFileSync(
        path.join(dir, 'k8s', 'opstree.yaml'),
        '          expr: redis_memory_used_bytes > 1\n',
      );
      fs.writeFileSync(path.join(dir, 'k8s', 'values-redis.yaml'), '        expr: redis_up == 0\n');
      const input = { dir, deployment: d, conformance: [] };
      const memory = rec({ check: { kind: 'alert', signal: 'memory' } });
      expect(classify(memory, input)).toMatchObject({
        status: 'unexplained',
        detail: 'no memory alert on bitnami',
      });
      const down = rec({ check: { kind: 'alert', signal: 'down' } });
      expect(classify(down, input)).toMatchObject({
        status: 'unexplained',
        detail: 'no down alert on opstree',
      });
      // ElastiCache has no "instance down" metric: with only an AWS template it does not apply.
      fs.rmSync(path.join(dir, 'k8s'), { recursive: true });
      // Artifacts are read once per input: the changed folder is a new input.
      expect(classify(down, { ...input }).status).toBe('n/a');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('serverless alarms are read from the template like the node-based ones', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guides-'));
    try {
      fs.mkdirSync(path.join(dir, 'aws'));
      const snap = path.join(root, 'test/synth/__snapshots__/examples/go-api-serverless/aws');
      for (const f of fs.readdirSync(snap).filter((n) => n.endsWith('.template.json')))
        fs.copyFileSync(path.join(snap, f), path.join(dir, 'aws', f));
      const input = {
        dir,
        deployment: loadDeployment(path.join(root, 'examples', 'go-api-serverless.yaml')),
        conformance: [],
      };
      const status = (signal: string) =>
        classify(rec({ check: { kind: 'alert', signal } as Recommendation['check'] }), input);
      // BytesUsedForCache against the DataStorage maximum is the serverless memory alarm.
      for (const signal of ['memory', 'connections', 'evictions'])
        expect(status(signal).status).toBe('honoured');
      // No CPU or replication-lag metric on a serverless cache: the ECPU alarm is no CPU alarm.
      for (const signal of ['cpu', 'replication-lag']) expect(status(signal).status).toBe('n/a');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('alerts do not apply where the policy turns them off', () => {
    const dev = loadDeployment(path.join(root, 'examples', 'hospitality-development.yaml'));
    const r = classify(rec({ check: { kind: 'alert', signal: 'memory' } }), {
      dir: os.tmpdir(),
      deployment: dev,
      conformance: [],
    });
    expect(r).toMatchObject({ status: 'n/a', detail: 'alerts are off in the development policy' });
  });

  test('the summary counts each status', () => {
    const f = fixture('timeout 0\n');
    try {
      const results = checkGuides({ dir: f.dir, deployment: d, conformance: [] }, [
        rec({}),
        rec({ id: 'g002-b', reason: 'timeout-zero' }),
        rec({ id: 'g002-c', check: { kind: 'conf', directive: 'timeout', value: '0' } }),
        rec({ id: 'g002-d', when: { mode: ['cluster'] } }),
      ]);
      expect(guideSummary(results)).toEqual({ honoured: 1, departed: 1, 'n/a': 1, unexplained: 1 });
    } finally {
      f.done();
    }
  });
});

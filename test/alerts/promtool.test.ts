/**
 * The Prometheus rules of every example, as the charts emit them (the OpsTree PrometheusRule and the
 * Bitnami chart's metrics.prometheusRule.rules, Helm's escaping undone), pass `promtool check rules`;
 * and generated `promtool test rules` unit tests prove that each alert fires just past its threshold,
 * stays silent just short of it, and stays silent while the condition has held for less than `for:`.
 *
 * Needs promtool (Debian package `prometheus`); PROMTOOL_TESTS=skip skips with a warning.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import type { AlertRule } from '../../lib/k8s/monitoring';
import { durationMinutes, EXAMPLES, prometheusRuleGroups, promComparisons } from './collect';
import { describeWith, PROMTOOL as PROMTOOL_REQ } from '../support/tools';

const PROMTOOL = process.env.PROMTOOL ?? 'promtool';
const available = spawnSync(PROMTOOL, ['--version'], { encoding: 'utf8' }).status === 0;

/** Undo escapeForHelmTpl: what Helm renders from the Bitnami values. */
const helmRendered = (s: string) => s.replace(/\{\{ "\{\{" \}\}/g, '{{').replace(/\{\{ "\}\}" \}\}/g, '}}');

/** Labels satisfying the first selector of an expression (`=` values, `=~` with first alternatives). */
export function labelsFor(expr: string): Record<string, string> {
  const selector = /\{([^}]*)\}/.exec(expr)?.[1] ?? '';
  const labels: Record<string, string> = {};
  for (const m of selector.matchAll(/(\w+)\s*(=~|=)\s*"([^"]*)"/g)) {
    const value = m[2] === '=' ? m[3] : m[3].replace(/\(([^|)]*)(\|[^)]*)?\)/g, '$1');
    if (m[2] === '=~' && !new RegExp(`^(?:${m[3]})$`).test(value)) {
      throw new Error(`cannot build a value matching ${m[1]}=~"${m[3]}"`);
    }
    labels[m[1]] = value;
  }
  return { ...labels, pod: 'redis-0', instance: '10.0.0.1:9121', job: 'redis' };
}

interface Series {
  series: string;
  values: string;
}
type Generator = (v: number, labels: Record<string, string>, minutes: number) => Series[];

const sel = (labels: Record<string, string>, extra: Record<string, string> = {}) =>
  `{${Object.entries({ ...labels, ...extra })
    .map(([k, val]) => `${k}="${val}"`)
    .join(',')}}`;
const gauge = (name: string, value: number, labels: Record<string, string>, n: number, extra = {}) => ({
  series: `${name}${sel(labels, extra)}`,
  values: `${value}x${n}`,
});
/** A counter growing by `perMinute` each minute (from a non-zero start, so no zero-point effects). */
const counter = (name: string, perMinute: number, labels: Record<string, string>, n: number, extra = {}) => ({
  series: `${name}${sel(labels, extra)}`,
  values: `1000+${perMinute}x${n}`,
});

/**
 * Input series that make each alert's expression evaluate to `v` (the left-hand side of its
 * decisive comparison). Keyed by alert name; an alert without a generator fails the test.
 */
const GENERATORS: Record<string, Generator> = {
  RedisInstanceDown: (v, l, n) => [gauge('redis_up', v, l, n), gauge('up', 1, l, n)],
  RedisMemoryHigh: (v, l, n) => [
    gauge('redis_memory_max_bytes', 1e9, l, n),
    gauge('redis_memory_used_bytes', (v / 100) * 1e9, l, n),
  ],
  RedisEvictions: (v, l, n) => [counter('redis_evicted_keys_total', v / 60, l, n)],
  RedisConnectionsNearLimit: (v, l, n) => [gauge('redis_connected_clients', v, l, n)],
  RedisReplicationBroken: (v, l, n) => [gauge('redis_master_link_up', v, l, n)],
  RedisSnapshotFailing: (v, l, n) => [gauge('redis_rdb_last_bgsave_status', v, l, n)],
  RedisReplicasMissing: (v, l, n) => [
    gauge('redis_connected_slaves', v, l, n),
    gauge('redis_instance_info', 1, l, n, { role: 'master' }),
  ],
  RedisReplicationLag: (v, l, n) => [
    gauge('redis_connected_slave_lag_seconds', v, l, n, { slave_ip: '10.0.0.2', slave_port: '6379' }),
  ],
  // CPU-seconds per second x 100 = percent of one core: user grows v/100 s per second.
  RedisCpuHigh: (v, l, n) => [
    counter('redis_cpu_sys_seconds_total', 0, l, n),
    counter('redis_cpu_user_seconds_total', (v / 100) * 60, l, n),
  ],
  RedisCacheHitRateLow: (v, l, n) => [
    counter('redis_keyspace_hits_total', 1000 * v, l, n),
    counter('redis_keyspace_misses_total', 1000 * (1 - v), l, n),
  ],
  // One bucket (0, U] holding every command: histogram_quantile interpolates p95 = 0.95 U.
  RedisHighLatency: (v, l, n) => [
    counter('redis_commands_latencies_usec_bucket', 600, l, n, { cmd: 'get', le: String((v * 1000) / 0.95) }),
    counter('redis_commands_latencies_usec_bucket', 600, l, n, { cmd: 'get', le: '+Inf' }),
  ],
  // 600 commands a minute taking v ms each on average.
  RedisHighMeanLatency: (v, l, n) => [
    counter('redis_commands_processed_total', 600, l, n),
    counter('redis_commands_duration_seconds_total', (600 * v) / 1000, l, n, { cmd: 'get' }),
  ],
};

/** The value just past the threshold (fires) and just short of it (silent). */
export function probeValues(op: '>' | '<' | '==', threshold: number): { fire: number; quiet: number } {
  if (op === '==') return { fire: threshold, quiet: threshold === 0 ? 1 : 0 };
  const step =
    Number.isInteger(threshold) && threshold >= 1 ? Math.max(1, threshold * 0.02) : threshold * 0.02 || 0.01;
  return op === '>'
    ? { fire: threshold + step, quiet: threshold - step }
    : { fire: threshold - step, quiet: threshold + step };
}

const firing = (alert: string) => `count(ALERTS{alertname="${alert}",alertstate="firing"})`;

/** The promtool unit tests of one rule: fires past the threshold, silent short of it and before `for`. */
export function unitTests(rule: AlertRule): unknown[] {
  const generate = GENERATORS[rule.alert];
  if (!generate) throw new Error(`no series generator for alert ${rule.alert}: add one to GENERATORS`);
  const [decisive] = promComparisons(rule.expr);
  if (!decisive) throw new Error(`alert ${rule.alert}: no comparison in ${rule.expr}`);
  const hold = durationMinutes(rule.for);
  const ranges = [...rule.expr.matchAll(/\[(\d+[smh])\]/g)].map((m) => durationMinutes(m[1]));
  const settle = Math.max(0, ...ranges) + hold + 5;
  const n = settle + 5;
  const labels = labelsFor(rule.expr);
  const { fire, quiet } = probeValues(decisive.op, decisive.value);
  const at = (minutes: number) => `${minutes}m`;
  const tests: unknown[] = [
    {
      name: `${rule.alert} fires at ${fire} (threshold ${decisive.op} ${decisive.value})`,
      interval: '1m',
      input_series: generate(fire, labels, n),
      promql_expr_test: [
        { expr: firing(rule.alert), eval_time: at(settle), exp_samples: [{ labels: '{}', value: 1 }] },
      ],
    },
    {
      name: `${rule.alert} is silent at ${quiet}`,
      interval: '1m',
      input_series: generate(quiet, labels, n),
      promql_expr_test: [{ expr: firing(rule.alert), eval_time: at(settle), exp_samples: [] }],
    },
  ];
  if (hold > 0) {
    tests.push({
      name: `${rule.alert} is silent while the condition has held for less than ${rule.for}`,
      interval: '1m',
      input_series: generate(fire, labels, n),
      promql_expr_test: [{ expr: firing(rule.alert), eval_time: at(hold - 1), exp_samples: [] }],
    });
  }
  return tests;
}

function promtool(args: string[]): { ok: boolean; output: string } {
  const r = spawnSync(PROMTOOL, args, { encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

/**
 * Write each rule set (for `check rules`) and, per alert, a one-rule file with its generated unit
 * tests: promtool evaluates every rule of a test's files at every step, so one rule per test keeps
 * the run short. Returns [rule-set files, test files].
 */
function writeSuites(dir: string, sets: Array<{ id: string; rules: AlertRule[] }>): [string[], string[]] {
  const ruleFiles: string[] = [];
  const testFiles: string[] = [];
  // Rules that differ only in their label selectors (namespace, service) behave alike: test one.
  const tested = new Set<string>();
  for (const { id, rules } of sets) {
    const ruleFile = path.join(dir, `${id}.rules.yml`);
    fs.writeFileSync(ruleFile, stringify({ groups: [{ name: id, rules }] }));
    ruleFiles.push(ruleFile);
    for (const rule of rules) {
      const key = `${rule.expr.replace(/\{[^}]*\}/g, '{}')} for ${rule.for}`;
      if (tested.has(key)) continue;
      tested.add(key);
      const one = path.join(dir, `${id}-${rule.alert}.rules.yml`);
      fs.writeFileSync(one, stringify({ groups: [{ name: `${id}-${rule.alert}`, rules: [rule] }] }));
      const testFile = path.join(dir, `${id}-${rule.alert}.test.yml`);
      fs.writeFileSync(
        testFile,
        stringify({ rule_files: [path.basename(one)], evaluation_interval: '1m', tests: unitTests(rule) }),
      );
      testFiles.push(testFile);
    }
  }
  return [ruleFiles, testFiles];
}

// The one skip rule (test/support/tools.ts): missing promtool fails naming it unless PROMTOOL_TESTS=skip.
const run = describeWith(PROMTOOL_REQ);

run('Prometheus rules under promtool', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promtool-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('promtool is installed (apt-get install prometheus; or PROMTOOL_TESTS=skip)', () => {
    expect({ tool: PROMTOOL, available }).toEqual({ tool: PROMTOOL, available: true });
  });

  test('every example: check rules, and each alert fires past its threshold only after for:', () => {
    if (!available)
      throw new Error(`promtool not found (${PROMTOOL}): apt-get install prometheus, or PROMTOOL_TESTS=skip`);
    const sets = EXAMPLES.flatMap((spec) =>
      prometheusRuleGroups(spec).map(({ flavor, rules }) => ({
        id: `${path.basename(spec, '.yaml')}-${flavor}`,
        rules: rules.map((r) => ({
          ...r,
          annotations: {
            summary: helmRendered(r.annotations.summary),
            description: helmRendered(r.annotations.description),
          },
        })),
      })),
    );
    expect(sets.length).toBeGreaterThanOrEqual(10);
    const [ruleFiles, testFiles] = writeSuites(dir, sets);
    const check = promtool(['check', 'rules', ...ruleFiles]);
    expect(check.ok ? '' : check.output).toBe('');
    expect(testFiles.length).toBeGreaterThanOrEqual(12);
    const unit = promtool(['test', 'rules', ...testFiles]);
    expect(unit.ok ? '' : unit.output).toBe('');
  });

  test('bad: a rule whose threshold drifted from the generated probes fails promtool test', () => {
    if (!available) throw new Error(`promtool not found (${PROMTOOL})`);
    const rule: AlertRule = {
      alert: 'RedisConnectionsNearLimit',
      expr: 'redis_connected_clients{namespace="ns1"} > 800',
      for: '5m',
      labels: { severity: 'warning' },
      annotations: { summary: 's', description: 'd' },
    };
    const [, [testFile]] = writeSuites(dir, [{ id: 'drift', rules: [rule] }]);
    // The deployed rule fires only above 900: the generated "fires at 816" case must fail.
    fs.writeFileSync(
      path.join(dir, 'drift-RedisConnectionsNearLimit.rules.yml'),
      stringify({ groups: [{ name: 'drift', rules: [{ ...rule, expr: rule.expr.replace('800', '900') }] }] }),
    );
    const unit = promtool(['test', 'rules', testFile]);
    expect(unit.ok).toBe(false);
    expect(unit.output).toMatch(/RedisConnectionsNearLimit[\s\S]*exp: \{\} 1E\+00\s+got: nil/);
  });

  test('unusual but valid: regex selectors with alternatives and names with digits get matching labels', () => {
    expect(labelsFor('x{namespace="ns-2",service=~"r2d2-(leader|follower)-metrics"} > 1')).toMatchObject({
      namespace: 'ns-2',
      service: 'r2d2-leader-metrics',
    });
    expect(probeValues('<', 0.8)).toEqual({ fire: 0.784, quiet: 0.8160000000000001 });
    expect(probeValues('<', 1)).toEqual({ fire: 0, quiet: 2 });
  });
});

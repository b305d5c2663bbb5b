/**
 * Classifies every guide recommendation for one spec from its synthesized artifacts: honoured
 * (where it was found), departed (what was found, and the reason from the reasons table),
 * not applicable (why), or unexplained (departed with no reason: a test fails on any of these).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TargetResult } from '../conformance/types';
import type { Deployment } from '../deployment';
import { GB, TOPOLOGY } from '../planner/assumptions';
import { engineMajor } from '../policy/engine-version';
import { directives } from '../redisconf/parse';
import { recommendations, reasons } from './data';
import type { Field, GuideResult, Reason, Recommendation, Signal } from './types';

export interface GuideInputs {
  /** The spec's output folder (dist/<name> or its staging copy). */
  dir: string;
  deployment: Deployment;
  conformance: TargetResult[];
}

type Outcome = { ok: true; detail: string } | { ok: false; detail: string } | { na: string };

interface Layout {
  sentinels?: unknown[];
  nodes?: Array<{ port: number }>;
}

/**
 * The artifacts read for one input, each read once: every recommendation of a run shares them
 * (about 40 read the node confs, 15 the alert definitions of every platform).
 */
const reads = new WeakMap<
  GuideInputs,
  { confs?: ReturnType<typeof nodeConfs>; alerts?: AlertSource[]; layout?: Layout | null }
>();
function read(input: GuideInputs) {
  let r = reads.get(input);
  if (!r) reads.set(input, (r = {}));
  return r;
}
const confsOf = (input: GuideInputs) => (read(input).confs ??= nodeConfs(input.dir));
const alertsOf = (input: GuideInputs) => (read(input).alerts ??= alertSources(input.dir));
function layoutOf(input: GuideInputs): Layout | undefined {
  const r = read(input);
  if (r.layout === undefined) {
    const file = path.join(input.dir, 'self-hosted', 'layout.json');
    r.layout = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Layout) : null;
  }
  return r.layout ?? undefined;
}

// ------------------------------------------------------------------ artifact readers

/** `directive -> value` of every self-hosted node conf, keyed by file name. */
function nodeConfs(dir: string): Map<string, Map<string, string[]>> {
  const sh = path.join(dir, 'self-hosted');
  const out = new Map<string, Map<string, string[]>>();
  if (!fs.existsSync(sh)) return out;
  // Every node includes secrets.conf (the CONFIG rename lives there, its name being a secret).
  const secrets = path.join(sh, 'secrets.conf.template');
  const shared = fs.existsSync(secrets) ? fs.readFileSync(secrets, 'utf8') : '';
  for (const f of fs
    .readdirSync(sh)
    .filter((n) => /^redis-\d+\.conf$/.test(n))
    .sort()) {
    const parsed = directives(`${fs.readFileSync(path.join(sh, f), 'utf8')}\n${shared}`);
    // A quoted value compares without its quotes: save "900 1 300 10" is save 900 1 300 10.
    for (const [k, values] of parsed)
      parsed.set(
        k,
        values.map((v) => v.replace(/^"(.*)"$/, '$1')),
      );
    out.set(f, parsed);
  }
  return out;
}

/**
 * Metric names per platform for each signal. A platform without a pattern has no such metric
 * (the recommendation is n/a there, e.g. ElastiCache has no "instance down" metric: it replaces nodes).
 */
const SIGNAL_PATTERNS: Record<'aws' | 'kubernetes' | 'gcp' | 'azure', Partial<Record<Signal, RegExp>>> = {
  aws: {
    cpu: /"MetricName":"CPUUtilization"/,
    'engine-cpu': /"MetricName":"EngineCPUUtilization"/,
    // Serverless: BytesUsedForCache against the DataStorage maximum is its memory-percentage alarm.
    memory: /"MetricName":"(DatabaseMemoryUsage(Counted)?Percentage|BytesUsedForCache)"/,
    connections: /"MetricName":"CurrConnections"/,
    evictions: /"MetricName":"Evictions"/,
    'replication-lag': /"MetricName":"ReplicationLag"/,
    latency: /"MetricName":"Successful(Read|Write)RequestLatency"/,
    'hit-rate': /"MetricName":"(CacheHitRate|CacheHits)"/,
  },
  kubernetes: {
    down: /\bredis_up\b/,
    cpu: /\bredis_cpu_(sys|user)_seconds_total\b|\bcontainer_cpu_usage_seconds_total\b/,
    memory: /\bredis_memory_used_bytes\b/,
    connections: /\bredis_connected_clients\b/,
    evictions: /\bredis_evicted_keys_total\b/,
    'replication-lag': /\bredis_master_last_io_seconds_ago\b|\bredis_connected_slave_lag_seconds\b/,
    latency: /\bredis_(commands_duration_seconds|latency_percentiles_usec|commands_latencies_usec)\w*/,
    'hit-rate': /\bredis_keyspace_hits_total\b/,
  },
  // Memorystore for Redis (redis.googleapis.com/stats/...) and Memorystore Cluster (.../cluster/...).
  gcp: {
    cpu: /stats\/cpu_utilization|cluster\/cpu\/\w*utilization/,
    memory: /stats\/memory\/usage_ratio|cluster\/memory\/\w*utilization/,
    connections: /clients\/connected|cluster\/clients\/\w*connected_clients/,
    evictions: /stats\/evicted_keys|cluster\/stats\/\w*evicted_keys/,
    'replication-lag': /replication\/master\/slaves\/lag|replication\/\w*offset_diff/,
    'hit-rate': /stats\/cache_hit_ratio|cluster\/stats\/\w*cache_hit_ratio/,
  },
  azure: {
    cpu: /"metricName":"(percentProcessorTime|serverLoad|allpercentprocessortime)"/i,
    memory: /"metricName":"usedmemorypercentage"/i,
    connections: /"metricName":"connectedclients"/i,
    evictions: /"metricName":"evictedkeys"/i,
    'hit-rate': /"metricName":"(cachemissrate|cachehits)"/i,
  },
};

/**
 * A metric a platform has only in some of its offerings: ElastiCache publishes request latency for
 * Valkey only (7.2+, node-based); Memorystore Cluster and Azure Managed Redis have no hit ratio.
 */
function lacksMetric(source: AlertSource, signal: Signal, d: Deployment): string | undefined {
  if (source.target === 'aws' && signal === 'latency' && d.policy.engine !== 'valkey')
    return 'ElastiCache publishes request latency for Valkey only';
  if (source.target === 'aws-serverless' && ['cpu', 'engine-cpu', 'replication-lag'].includes(signal))
    return 'ElastiCache Serverless publishes no CPU or replication-lag metric (it scales and replicates itself); its ECPU and ThrottledCmds alarms watch compute';
  if (
    source.target === 'gcp' &&
    signal === 'hit-rate' &&
    d.plan.choices.gcp.service === 'memorystore-cluster'
  )
    return 'Memorystore Cluster has no hit-ratio metric';
  if (source.target === 'azure-managed' && signal === 'hit-rate')
    return 'Azure Managed Redis reports hits and misses as counts a metric alert cannot divide';
  return undefined;
}

interface AlertSource {
  target: string;
  platform: keyof typeof SIGNAL_PATTERNS;
  text: string;
}

/** The alert definitions of every artifact, flattened to text the signal patterns run on. */
function alertSources(dir: string): AlertSource[] {
  const out: AlertSource[] = [];
  const aws = path.join(dir, 'aws');
  if (fs.existsSync(aws)) {
    for (const f of fs.readdirSync(aws).filter((n) => n.endsWith('.template.json'))) {
      const t = JSON.parse(fs.readFileSync(path.join(aws, f), 'utf8')) as {
        Resources?: Record<string, { Type: string; Properties?: unknown }>;
      };
      const alarms = Object.values(t.Resources ?? {}).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
      const serverless = Object.values(t.Resources ?? {}).some(
        (r) => r.Type === 'AWS::ElastiCache::ServerlessCache',
      );
      out.push({
        target: serverless ? 'aws-serverless' : 'aws',
        platform: 'aws',
        text: alarms.map((a) => JSON.stringify(a.Properties)).join('\n'),
      });
    }
  }
  const k8s = path.join(dir, 'k8s');
  if (fs.existsSync(k8s)) {
    for (const [target, file] of [
      ['opstree', 'opstree.yaml'],
      ['bitnami', 'values-redis.yaml'],
    ] as const) {
      const full = path.join(k8s, file);
      if (!fs.existsSync(full)) continue;
      const exprs = fs
        .readFileSync(full, 'utf8')
        .split('\n')
        .filter((l) => /^\s*expr:/.test(l));
      out.push({ target, platform: 'kubernetes', text: exprs.join('\n') });
    }
  }
  for (const [target, platform] of [
    ['gcp', 'gcp'],
    ['azure-premium', 'azure'],
    ['azure-managed', 'azure'],
  ] as const) {
    const full = path.join(dir, 'pulumi', `${target}.json`);
    if (!fs.existsSync(full)) continue;
    const doc = JSON.parse(fs.readFileSync(full, 'utf8')) as {
      resources?: Array<{ type: string; inputs?: unknown }>;
    };
    const alerts = (doc.resources ?? []).filter((r) => /alertPolicy|MetricAlert/i.test(r.type));
    out.push({
      target,
      platform,
      text: alerts.map((a) => JSON.stringify(a.inputs).replace(/\\"/g, '"')).join('\n'),
    });
  }
  return out;
}

// ------------------------------------------------------------------ checks

function confCheck(
  input: GuideInputs,
  c: { directive: string; value: string; match?: 'equal' | 'contains'; redisDefault?: string },
): Outcome {
  const { directive, value } = c;
  const confs = confsOf(input);
  if (confs.size === 0) return { na: 'no self-hosted redis.conf was rendered' };
  const first = [...confs.keys()][0];
  if (c.match === 'contains') {
    const all = [...confs.values()].every((d) => (d.get(directive) ?? []).some((v) => v.startsWith(value)));
    return all
      ? { ok: true, detail: `self-hosted/${first} and every node conf: ${directive} ${value}` }
      : { ok: false, detail: `no "${directive} ${value}" in every self-hosted node conf` };
  }
  const found = new Set<string>();
  for (const d of confs.values()) found.add((d.get(directive) ?? ['(absent)']).join(' | '));
  const values = [...found];
  if (values.length === 1 && values[0] === '(absent)' && c.redisDefault === value)
    return { ok: true, detail: `self-hosted confs leave ${directive} at Redis's default, ${value}` };
  if (values.length === 1 && values[0] === value)
    return {
      ok: true,
      detail: `self-hosted/${first}${confs.size > 1 ? ` (and ${confs.size - 1} more)` : ''}: ${directive} ${value}`,
    };
  return { ok: false, detail: `self-hosted confs: ${directive} ${values.join(' / ')}` };
}

function envCheck(conformance: TargetResult[], key: string, value?: string, targets?: string[]): Outcome {
  const published = conformance.filter((t) => t.contract && (!targets || targets.includes(t.target)));
  if (published.length === 0) return { na: 'no target published a contract' };
  const missing = published.filter((t) => !(key in t.contract!)).map((t) => t.target);
  const wrong = published
    .filter((t) => value !== undefined && key in t.contract! && t.contract![key] !== value)
    .map((t) => `${t.target}=${t.contract![key]}`);
  if (missing.length === 0 && wrong.length === 0)
    return {
      ok: true,
      detail: `${key}${value !== undefined ? `=${value}` : ''} in the contract of ${published.map((t) => t.target).join(', ')}`,
    };
  return {
    ok: false,
    detail: [
      missing.length ? `${key} missing on ${missing.join(', ')}` : '',
      wrong.length ? `${key}: ${wrong.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; '),
  };
}

function invariantCheck(conformance: TargetResult[], invariant: string): Outcome {
  const cells = conformance.map((t) => ({
    target: t.target,
    cell: t.cells[invariant as keyof typeof t.cells],
  }));
  const failing = cells.filter((c) => c.cell?.status === 'fail');
  const waived = cells.filter((c) => c.cell?.status === 'waived');
  const passing = cells.filter((c) => c.cell?.status === 'pass');
  if (failing.length)
    return { ok: false, detail: `${invariant} fails on ${failing.map((c) => c.target).join(', ')}` };
  if (waived.length)
    return {
      ok: false,
      detail: `waived on ${waived.map((c) => `${c.target} (${c.cell.detail})`).join(', ')}`,
    };
  if (passing.length === 0) return { na: `the ${invariant} cell is n/a on every target` };
  return {
    ok: true,
    detail: `conformance cell ${invariant} passes on ${passing.map((c) => c.target).join(', ')}`,
  };
}

function alertCheck(input: GuideInputs, signal: Signal): Outcome {
  const d = input.deployment;
  if (!d.policy.alerts.enabled) return { na: `alerts are off in the ${d.policy.profile} policy` };
  const sources = alertsOf(input).filter(
    (s) => SIGNAL_PATTERNS[s.platform][signal] && !lacksMetric(s, signal, d),
  );
  if (sources.length === 0) return { na: `no synthesized platform has a ${signal} metric to alert on` };
  const missing = sources
    .filter((s) => !SIGNAL_PATTERNS[s.platform][signal]!.test(s.text))
    .map((s) => s.target);
  if (missing.length === 0)
    return { ok: true, detail: `${signal} alert on ${sources.map((s) => s.target).join(', ')}` };
  return { ok: false, detail: `no ${signal} alert on ${missing.join(', ')}` };
}

function fieldValue(field: Field, input: GuideInputs): number | string | boolean | undefined {
  const { plan, policy } = input.deployment;
  switch (field) {
    case 'mode':
      return plan.topology.mode;
    case 'shards':
      return plan.topology.shards;
    case 'replicasPerShard':
      return plan.topology.replicasPerShard;
    case 'memoryGb':
      return Math.round((plan.memory.neededBytes / GB) * 100) / 100;
    case 'pinnedMemoryGb':
      return plan.sizing?.memoryGb;
    case 'maxclients':
      return plan.connections.maxclients;
    case 'poolSize':
      return plan.connections.poolSize;
    case 'authTokenLength':
      return policy.security.auth ? policy.security.authTokenLength : 0;
    case 'tlsMinVersion':
      return policy.security.tls ? policy.security.tlsMinVersion : 'none';
    case 'engineMajor':
      return engineMajor(policy);
    case 'snapshotRetentionDays':
      return policy.persistence.rdb ? policy.persistence.snapshotRetentionDays : 0;
    case 'evictionPolicy':
      return policy.keyspace.evictionPolicy;
    case 'aof':
      return policy.persistence.aof;
    case 'rdb':
      return policy.persistence.rdb;
    case 'cpuAlertPercent':
      return policy.alerts.cpuPercent;
    case 'memoryAlertPercent':
      return policy.alerts.memoryPercent;
    case 'connectionsAlert':
      return Math.round((plan.connections.maxclients * policy.alerts.connectionsPercent) / 100);
    case 'evictionsAlertPerHour':
      return policy.alerts.evictionsPerHour;
    case 'replicationLagAlertSeconds':
      return policy.alerts.replicationLagSeconds;
    case 'latencyAlertMs':
      return policy.alerts.latencyP95Ms;
    case 'clusterAboveGb':
      return TOPOLOGY.singleNodeMaxDataGb.value;
    case 'clusterAboveOps':
      return TOPOLOGY.opsPerShard.value;
    case 'sentinels':
    case 'clusterBasePort': {
      const layout = layoutOf(input);
      if (!layout) return undefined;
      return field === 'sentinels' ? (layout.sentinels?.length ?? 0) : layout.nodes?.[0]?.port;
    }
  }
}

function valueCheck(
  field: Field,
  op: 'eq' | 'gte' | 'lte',
  want: number | string | boolean,
  input: GuideInputs,
): Outcome {
  const got = fieldValue(field, input);
  if (got === undefined) return { na: `${field} does not apply to this spec` };
  const ok =
    op === 'eq'
      ? got === want
      : typeof got === 'number' && typeof want === 'number' && (op === 'gte' ? got >= want : got <= want);
  const sign = { eq: '=', gte: '>=', lte: '<=' }[op];
  return ok
    ? { ok: true, detail: `${field} ${String(got)} (${sign} ${String(want)}) in the plan and policy` }
    : { ok: false, detail: `${field} is ${String(got)}` };
}

// ------------------------------------------------------------------ classification

function applies(r: Recommendation, d: Deployment): string | undefined {
  const w = r.when;
  if (!w) return undefined;
  if (w.profile && !w.profile.includes(d.policy.profile)) return `applies to ${w.profile.join('/')} only`;
  if (w.mode && !w.mode.includes(d.plan.topology.mode))
    return `applies to ${w.mode.join('/')} topologies only`;
  if (w.workload && !d.spec.workload[w.workload]) return `applies to a workload sized by ${w.workload} only`;
  if (w.tls !== undefined && d.policy.security.tls !== w.tls)
    return `applies with TLS ${w.tls ? 'on' : 'off'} only`;
  return undefined;
}

function outcome(r: Recommendation, input: GuideInputs): Outcome {
  const c = r.check;
  switch (c.kind) {
    case 'conf':
      return confCheck(input, c);
    case 'env':
      return envCheck(input.conformance, c.key, c.value, c.targets);
    case 'invariant':
      return invariantCheck(input.conformance, c.invariant);
    case 'alert':
      return alertCheck(input, c.signal);
    case 'value':
      return valueCheck(c.field, c.op, c.value, input);
    case 'practice':
      return { na: 'an operational practice or an application setting: no artifact can show it' };
  }
}

const cite = (r: Reason) => `${r.text} (${r.source})`;

export function classify(
  r: Recommendation,
  input: GuideInputs,
  table: Record<string, Reason> = reasons(),
): GuideResult {
  const base = { id: r.id, guide: r.guide, section: r.section, says: r.says };
  const reason = r.reason ? table[r.reason] : undefined;
  const notApplicable = applies(r, input.deployment);
  if (notApplicable) return { ...base, status: 'n/a', detail: notApplicable };
  const o = outcome(r, input);
  if ('na' in o) return { ...base, status: 'n/a', detail: reason ? `${o.na}: ${cite(reason)}` : o.na };
  if (o.ok) return { ...base, status: 'honoured', detail: o.detail };
  // A production waiver is the spec's own reason for a departure from a policy default.
  const waived = /^waived on /.test(o.detail);
  if (reason) return { ...base, status: 'departed', detail: o.detail, reason: cite(reason) };
  if (waived) return { ...base, status: 'departed', detail: o.detail, reason: 'a waiver in the spec' };
  return { ...base, status: 'unexplained', detail: o.detail };
}

/** Every recommendation, classified for one spec's artifacts. */
export function checkGuides(input: GuideInputs, recs: Recommendation[] = recommendations()): GuideResult[] {
  return recs.map((r) => classify(r, input));
}

export function guideSummary(results: GuideResult[]): Record<GuideResult['status'], number> {
  const count = (s: GuideResult['status']) => results.filter((r) => r.status === s).length;
  return {
    honoured: count('honoured'),
    departed: count('departed'),
    'n/a': count('n/a'),
    unexplained: count('unexplained'),
  };
}
